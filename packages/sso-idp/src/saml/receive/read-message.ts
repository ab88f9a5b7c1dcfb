import type { Element } from '@xmldom/xmldom';
import { SsoError } from '../../errors.ts';
import { attribute, children, namespaces, onlyChild, textOf } from '../xml.ts';

interface Common {
  readonly id: string;
  readonly issueInstant: Date;
  readonly destination?: string;
  readonly issuer: string;
}

export interface AuthnRequestMessage extends Common {
  readonly kind: 'AuthnRequest';
  readonly assertionConsumerServiceUrl?: string;
  readonly assertionConsumerServiceIndex?: number;
  readonly protocolBinding?: string;
  readonly forceAuthn: boolean;
  readonly isPassive: boolean;
  readonly nameIdFormat?: string;
}

export interface LogoutRequestMessage extends Common {
  readonly kind: 'LogoutRequest';
  readonly nameId: string;
  readonly nameIdFormat?: string;
  readonly sessionIndexes: readonly string[];
}

export interface LogoutResponseMessage extends Common {
  readonly kind: 'LogoutResponse';
  readonly inResponseTo?: string;
  readonly status: string;
}

export type SamlMessage = AuthnRequestMessage | LogoutRequestMessage | LogoutResponseMessage;
export type SamlMessageKind = SamlMessage['kind'];

const invalid = (message: string) => new SsoError('SSO_SAML_REQUEST_INVALID', message);

/** The Issuer of a message (read before the signature is checked only to find whose certificate to check with). */
export function readIssuer(root: Element): string {
  const issuer = onlyChild(root, namespaces.assertion, 'Issuer');
  if (issuer === undefined) throw invalid('The SAML message has no Issuer.');
  const value = textOf(issuer);
  if (value === '') throw invalid('The SAML message has an empty Issuer.');
  return value;
}

function common(root: Element): Common {
  const id = attribute(root, 'ID');
  const instant = attribute(root, 'IssueInstant');
  if (id === undefined || id === '') throw invalid('The SAML message has no ID.');
  if (attribute(root, 'Version') !== '2.0') throw invalid('Only SAML 2.0 messages are accepted.');
  const issueInstant = instant === undefined ? Number.NaN : Date.parse(instant);
  if (Number.isNaN(issueInstant)) throw invalid('The SAML message has no valid IssueInstant.');
  const destination = attribute(root, 'Destination');
  return {
    id,
    issueInstant: new Date(issueInstant),
    issuer: readIssuer(root),
    ...(destination === undefined ? {} : { destination }),
  };
}

/** Reads the fields Passport acts on from a (verified) protocol message of the expected kind. */
export function readMessage(root: Element, expected: SamlMessageKind): SamlMessage {
  if (root.namespaceURI !== namespaces.protocol || root.localName !== expected) {
    throw invalid(`Expected a ${expected}, got ${root.localName}.`);
  }
  const base = common(root);
  if (expected === 'AuthnRequest') {
    const index = attribute(root, 'AssertionConsumerServiceIndex');
    const policy = onlyChild(root, namespaces.protocol, 'NameIDPolicy');
    const acsUrl = attribute(root, 'AssertionConsumerServiceURL');
    const binding = attribute(root, 'ProtocolBinding');
    const format = policy === undefined ? undefined : attribute(policy, 'Format');
    return {
      kind: 'AuthnRequest',
      ...base,
      ...(acsUrl === undefined ? {} : { assertionConsumerServiceUrl: acsUrl }),
      ...(index === undefined ? {} : { assertionConsumerServiceIndex: Number(index) }),
      ...(binding === undefined ? {} : { protocolBinding: binding }),
      ...(format === undefined ? {} : { nameIdFormat: format }),
      forceAuthn: attribute(root, 'ForceAuthn') === 'true' || attribute(root, 'ForceAuthn') === '1',
      isPassive: attribute(root, 'IsPassive') === 'true' || attribute(root, 'IsPassive') === '1',
    };
  }
  if (expected === 'LogoutRequest') {
    const nameId = onlyChild(root, namespaces.assertion, 'NameID');
    if (nameId === undefined) throw invalid('The LogoutRequest has no NameID.');
    const format = attribute(nameId, 'Format');
    return {
      kind: 'LogoutRequest',
      ...base,
      nameId: textOf(nameId),
      ...(format === undefined ? {} : { nameIdFormat: format }),
      sessionIndexes: children(root, namespaces.protocol, 'SessionIndex').map(textOf),
    };
  }
  const status = onlyChild(root, namespaces.protocol, 'Status');
  const code = status === undefined ? undefined : onlyChild(status, namespaces.protocol, 'StatusCode');
  const inResponseTo = attribute(root, 'InResponseTo');
  return {
    kind: 'LogoutResponse',
    ...base,
    status: (code === undefined ? undefined : attribute(code, 'Value')) ?? '',
    ...(inResponseTo === undefined ? {} : { inResponseTo }),
  };
}
