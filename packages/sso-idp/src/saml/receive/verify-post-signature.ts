import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { SsoError } from '../../errors.ts';
import { attribute, children, descendants, isElement, namespaces, onlyChild } from '../xml.ts';
import {
  digestAlgorithms,
  envelopedSignature,
  exclusiveCanonicalization,
  signatureAlgorithms,
} from './signature-algorithms.ts';

const wrapped = (reason: string) =>
  new SsoError('SSO_SAML_SIGNATURE_WRAPPED', undefined, { detail: { reason } });

/** Every element carrying an ID-like attribute, by value: two elements with one ID is a wrapping attempt. */
function checkUniqueIds(root: Element): void {
  const seen = new Set<string>();
  const visit = (element: Element) => {
    for (const name of ['ID', 'Id', 'id']) {
      const value = attribute(element, name);
      if (value === undefined) continue;
      if (seen.has(value)) throw wrapped(`duplicate ID ${value}`);
      seen.add(value);
    }
    for (const child of Array.from(element.childNodes)) if (isElement(child)) visit(child);
  };
  visit(root);
}

/**
 * An enveloped XML signature on a whole protocol message (an AuthnRequest or LogoutRequest in the HTTP-POST
 * binding; or an Assertion, `signedElement`), checked strictly against XML signature wrapping: exactly one
 * Signature in the signed element, its direct child, with one Reference to the element's own ID, unique in the
 * whole document, only the enveloped-signature and exclusive
 * canonicalization transforms, SHA-256/512. It must verify with a registered certificate (never one from
 * KeyInfo). Returns the signed XML as xml-crypto canonicalized it: callers read fields from that, not from the
 * document they were sent.
 */
export function verifyPostSignature(
  xml: string,
  root: Element,
  certificates: readonly string[],
  signedElement: Element = root,
  options: { allowNestedSignatures?: boolean } = {},
): string {
  const all = descendants(signedElement, namespaces.signature, 'Signature');
  const direct = all.filter((candidate) => candidate.parentNode === signedElement);
  if (all.length === 0) throw new SsoError('SSO_SAML_SIGNATURE_REQUIRED');
  if (direct.length === 0) throw wrapped('the signature is not a child of the signed element');
  if (direct.length > 1 || (options.allowNestedSignatures !== true && all.length > 1)) {
    throw wrapped(`${all.length} signatures`);
  }
  const signature = direct[0] as Element;
  checkUniqueIds(root);
  const rootId = attribute(signedElement, 'ID');
  if (rootId === undefined) throw new SsoError('SSO_SAML_REQUEST_INVALID', 'The message has no ID.');

  const signedInfo = onlyChild(signature, namespaces.signature, 'SignedInfo');
  if (signedInfo === undefined)
    throw new SsoError('SSO_SAML_SIGNATURE_INVALID', 'The signature has no SignedInfo.');
  const canonicalization = onlyChild(signedInfo, namespaces.signature, 'CanonicalizationMethod');
  const method = onlyChild(signedInfo, namespaces.signature, 'SignatureMethod');
  const methodAlgorithm = method === undefined ? undefined : attribute(method, 'Algorithm');
  if (
    canonicalization === undefined ||
    attribute(canonicalization, 'Algorithm') !== exclusiveCanonicalization
  ) {
    throw new SsoError('SSO_SAML_SIGNATURE_UNSUPPORTED', 'Only exclusive canonicalization is accepted.');
  }
  if (methodAlgorithm === undefined || !Object.hasOwn(signatureAlgorithms, methodAlgorithm)) {
    throw new SsoError(
      'SSO_SAML_SIGNATURE_UNSUPPORTED',
      `Signature algorithm ${methodAlgorithm} is not accepted.`,
    );
  }
  const references = children(signedInfo, namespaces.signature, 'Reference');
  if (references.length !== 1) throw wrapped(`${references.length} references`);
  const reference = references[0] as Element;
  if (attribute(reference, 'URI') !== `#${rootId}`)
    throw wrapped('the reference is not to the message itself');
  const transforms = onlyChild(reference, namespaces.signature, 'Transforms');
  for (const transform of transforms === undefined
    ? []
    : children(transforms, namespaces.signature, 'Transform')) {
    const algorithm = attribute(transform, 'Algorithm');
    if (algorithm !== envelopedSignature && algorithm !== exclusiveCanonicalization) {
      throw new SsoError('SSO_SAML_SIGNATURE_UNSUPPORTED', `Transform ${algorithm} is not accepted.`);
    }
  }
  const digest = onlyChild(reference, namespaces.signature, 'DigestMethod');
  if (digest === undefined || !digestAlgorithms.has(attribute(digest, 'Algorithm') ?? '')) {
    throw new SsoError('SSO_SAML_SIGNATURE_UNSUPPORTED', 'Only SHA-256 and SHA-512 digests are accepted.');
  }

  for (const certificate of certificates) {
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature as unknown as Node);
      if (!verifier.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const signed = verifier.getSignedReferences();
    if (signed.length !== 1 || signed[0] === undefined) throw wrapped('unexpected signed references');
    return signed[0];
  }
  throw new SsoError('SSO_SAML_SIGNATURE_INVALID');
}
