import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { SsoError } from '../errors.ts';

export const namespaces = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  signature: 'http://www.w3.org/2000/09/xmldsig#',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
} as const;

const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Whether a code point may appear in an XML 1.0 document (tab, newline, carriage return, and from space up). */
const allowedInXml = (code: number) =>
  code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code !== 0xfffe && code !== 0xffff);

/** Escapes text and attribute values for XML: a value can never open a tag, a comment or an entity. */
export function escapeXml(value: string): string {
  let clean = '';
  for (const character of value) if (allowedInXml(character.codePointAt(0) ?? 0)) clean += character;
  return clean.replace(/[&<>"']/g, (character) => xmlEscapes[character] ?? character);
}

const nodeTypes = {
  element: 1,
  text: 3,
  cdata: 4,
  processingInstruction: 7,
  comment: 8,
  documentType: 10,
} as const;

/**
 * Parses a SAML protocol message strictly: no DOCTYPE (no entities, no XXE), no comments and no processing
 * instructions anywhere (comment injection splits text nodes that naive readers then truncate), and any parser
 * error is fatal. Returns the root element.
 */
export function parseSamlXml(xml: string): Element {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message contains a DOCTYPE.');
  }
  let root: Element | null;
  try {
    const parsed = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
    root = parsed.documentElement;
    for (const child of Array.from(parsed.childNodes)) {
      if (child.nodeType === nodeTypes.comment || child.nodeType === nodeTypes.processingInstruction) {
        throw new SsoError('SSO_SAML_COMMENT_REJECTED');
      }
    }
  } catch (cause) {
    if (SsoError.isSsoError(cause)) throw cause;
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message is not well-formed XML.', { cause });
  }
  if (root === null) throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The SAML message is empty.');
  rejectComments(root);
  return root;
}

function rejectComments(node: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === nodeTypes.comment || child.nodeType === nodeTypes.processingInstruction) {
      throw new SsoError('SSO_SAML_COMMENT_REJECTED');
    }
    if (child.nodeType === nodeTypes.element) rejectComments(child);
  }
}

export function isElement(node: Node): node is Element {
  return node.nodeType === nodeTypes.element;
}

/** The element children with this namespace and local name. */
export function children(element: Element, namespace: string, localName: string): Element[] {
  return Array.from(element.childNodes).filter(
    (child): child is Element =>
      isElement(child) && child.namespaceURI === namespace && child.localName === localName,
  );
}

/** The single child with this name; throws `SSO_SAML_REQUEST_INVALID` when there are several. */
export function onlyChild(element: Element, namespace: string, localName: string): Element | undefined {
  const found = children(element, namespace, localName);
  if (found.length > 1) {
    throw new SsoError(
      'SSO_SAML_REQUEST_INVALID',
      `The SAML message has ${found.length} ${localName} elements.`,
    );
  }
  return found[0];
}

/** Every descendant element with this namespace and local name, the element itself included. */
export function descendants(element: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  const visit = (node: Element) => {
    if (node.namespaceURI === namespace && node.localName === localName) found.push(node);
    for (const child of Array.from(node.childNodes)) if (isElement(child)) visit(child);
  };
  visit(element);
  return found;
}

/** The text of an element made of text only (whitespace trimmed); anything else is refused. */
export function textOf(element: Element): string {
  let text = '';
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType !== nodeTypes.text && child.nodeType !== nodeTypes.cdata) {
      throw new SsoError('SSO_SAML_REQUEST_INVALID', `${element.localName} must contain text only.`);
    }
    text += child.nodeValue ?? '';
  }
  return text.trim();
}

export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}
