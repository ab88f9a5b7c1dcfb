import type { RosterClaims } from '../../claims/roster-claims.ts';
import type { SamlAttributeMapping } from '../../ports.ts';
import { escapeXml, namespaces } from '../xml.ts';

export const statusCodes = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  noPassive: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  invalidNameIdPolicy: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
  unknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
} as const;

const attributeNameFormats = {
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
} as const;

const authnContexts = {
  pwd: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  other: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
} as const;

const attr = (name: string, value: string | undefined) =>
  value === undefined ? '' : ` ${name}="${escapeXml(value)}"`;

function status(top: string, second?: string, message?: string): string {
  const inner = second === undefined ? '' : `<samlp:StatusCode Value="${escapeXml(second)}"/>`;
  const text =
    message === undefined ? '' : `<samlp:StatusMessage>${escapeXml(message)}</samlp:StatusMessage>`;
  return `<samlp:Status><samlp:StatusCode Value="${escapeXml(top)}">${inner}</samlp:StatusCode>${text}</samlp:Status>`;
}

/** The attribute statement of an app's mapping, from the claims its grant releases (absent claims are left out). */
export function attributeStatement(mapping: readonly SamlAttributeMapping[], claims: RosterClaims): string {
  const attributes = mapping
    .map((entry) => {
      const value = claims[entry.claim];
      if (value === undefined) return '';
      const values = (Array.isArray(value) ? value : [value]) as string[];
      const rendered = values
        .map((item) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(item)}</saml:AttributeValue>`)
        .join('');
      return `<saml:Attribute${attr('Name', entry.name)}${attr('NameFormat', attributeNameFormats[entry.nameFormat ?? 'unspecified'])}${attr('FriendlyName', entry.friendlyName)}>${rendered}</saml:Attribute>`;
    })
    .join('');
  return attributes === '' ? '' : `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`;
}

export interface LoginResponseInput {
  readonly responseId: string;
  readonly assertionId: string;
  readonly issuer: string;
  readonly destination: string;
  readonly audience: string;
  readonly inResponseTo?: string;
  readonly now: Date;
  /** How long the assertion may be used. */
  readonly validSeconds: number;
  readonly nameId: { readonly value: string; readonly format: string };
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly sessionIndex: string;
  readonly sessionNotOnOrAfter: Date;
  readonly attributeStatement: string;
}

/** A successful login Response with one Assertion, unsigned (signing comes next). */
export function loginResponseXml(input: LoginResponseInput): string {
  const now = input.now.toISOString();
  const until = new Date(input.now.getTime() + input.validSeconds * 1000).toISOString();
  const notBefore = new Date(input.now.getTime() - 30_000).toISOString();
  const context = input.amr.includes('pwd') ? authnContexts.pwd : authnContexts.other;
  return `<samlp:Response xmlns:samlp="${namespaces.protocol}" xmlns:saml="${namespaces.assertion}" ID="${escapeXml(input.responseId)}" Version="2.0" IssueInstant="${now}"${attr('Destination', input.destination)}${attr('InResponseTo', input.inResponseTo)}><saml:Issuer>${escapeXml(input.issuer)}</saml:Issuer>${status(statusCodes.success)}<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="${escapeXml(input.assertionId)}" Version="2.0" IssueInstant="${now}"><saml:Issuer>${escapeXml(input.issuer)}</saml:Issuer><saml:Subject><saml:NameID${attr('Format', input.nameId.format)}>${escapeXml(input.nameId.value)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}"${attr('Recipient', input.destination)}${attr('InResponseTo', input.inResponseTo)}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${input.authTime.toISOString()}" SessionIndex="${escapeXml(input.sessionIndex)}" SessionNotOnOrAfter="${input.sessionNotOnOrAfter.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>${context}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>${input.attributeStatement}</saml:Assertion></samlp:Response>`;
}

/** A Response that carries only an error status (no assertion). */
export function errorResponseXml(input: {
  responseId: string;
  issuer: string;
  destination: string;
  inResponseTo?: string;
  now: Date;
  status: string;
  secondStatus?: string;
  message?: string;
}): string {
  return `<samlp:Response xmlns:samlp="${namespaces.protocol}" xmlns:saml="${namespaces.assertion}" ID="${escapeXml(input.responseId)}" Version="2.0" IssueInstant="${input.now.toISOString()}"${attr('Destination', input.destination)}${attr('InResponseTo', input.inResponseTo)}><saml:Issuer>${escapeXml(input.issuer)}</saml:Issuer>${status(input.status, input.secondStatus, input.message)}</samlp:Response>`;
}

export function logoutRequestXml(input: {
  id: string;
  issuer: string;
  destination: string;
  now: Date;
  nameId: { value: string; format: string };
  sessionIndex: string;
}): string {
  return `<samlp:LogoutRequest xmlns:samlp="${namespaces.protocol}" xmlns:saml="${namespaces.assertion}" ID="${escapeXml(input.id)}" Version="2.0" IssueInstant="${input.now.toISOString()}"${attr('Destination', input.destination)}><saml:Issuer>${escapeXml(input.issuer)}</saml:Issuer><saml:NameID${attr('Format', input.nameId.format)}>${escapeXml(input.nameId.value)}</saml:NameID><samlp:SessionIndex>${escapeXml(input.sessionIndex)}</samlp:SessionIndex></samlp:LogoutRequest>`;
}

export function logoutResponseXml(input: {
  id: string;
  issuer: string;
  destination: string;
  inResponseTo: string;
  now: Date;
  status: string;
  secondStatus?: string;
}): string {
  return `<samlp:LogoutResponse xmlns:samlp="${namespaces.protocol}" xmlns:saml="${namespaces.assertion}" ID="${escapeXml(input.id)}" Version="2.0" IssueInstant="${input.now.toISOString()}"${attr('Destination', input.destination)}${attr('InResponseTo', input.inResponseTo)}><saml:Issuer>${escapeXml(input.issuer)}</saml:Issuer>${status(input.status, input.secondStatus)}</samlp:LogoutResponse>`;
}
