import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { readForm } from '../../http/forms.ts';
import type { AppRegistration } from '../../ports.ts';
import { descendants, namespaces, parseSamlXml } from '../xml.ts';
import { decodePostMessage, decodeRedirectMessage } from './decode-message.ts';
import { readIssuer, readMessage, type SamlMessage, type SamlMessageKind } from './read-message.ts';
import { validateSchema } from './validate-schema.ts';
import { verifyPostSignature } from './verify-post-signature.ts';
import { rawQueryParameters, verifyRedirectSignature } from './verify-redirect-signature.ts';

export interface ReceivedMessage<Message extends SamlMessage = SamlMessage> {
  readonly app: AppRegistration;
  readonly message: Message;
  readonly relayState?: string;
  readonly binding: 'redirect' | 'post';
  readonly signed: boolean;
}

export interface ReceiveOptions {
  /** The endpoint URL the message must be addressed to (its Destination). */
  readonly endpoint: string;
  /** How far IssueInstant may be in the past (default 5 minutes) and the future (default 3 minutes). */
  readonly maxAgeSeconds?: number;
  readonly clockSkewSeconds?: number;
}

const messageParameter = (kind: SamlMessageKind) =>
  kind === 'LogoutResponse' ? 'SAMLResponse' : 'SAMLRequest';

/**
 * Receives a SAML protocol message from a service provider, in this order: binding, decoding, strict parsing (no
 * DOCTYPE, no comments), schema, the issuer's registration, the signature (required for logout messages, and for
 * AuthnRequests unless the app opted out), the fields read from the signed content only, freshness, destination
 * and replay. Each refusal has its own `SSO_SAML_*` code.
 */
export async function receiveSamlMessage<Kind extends SamlMessageKind>(
  sso: SsoContext,
  request: Request,
  kind: Kind,
  options: ReceiveOptions,
): Promise<ReceivedMessage<Extract<SamlMessage, { kind: Kind }>>> {
  const url = new URL(request.url);
  const parameter = messageParameter(kind);
  let binding: 'redirect' | 'post';
  let encoded: string;
  let relayState: string | undefined;
  if (request.method === 'GET') {
    binding = 'redirect';
    encoded = url.searchParams.get(parameter) ?? '';
    relayState = url.searchParams.get('RelayState') ?? undefined;
    rawQueryParameters(url); // refuses repeated parameters
  } else if (request.method === 'POST') {
    binding = 'post';
    const form = await readForm(request);
    encoded = form.get(parameter) ?? '';
    relayState = form.get('RelayState') ?? undefined;
    if (form.has('Signature') || form.has('SigAlg')) {
      throw new SsoError(
        'SSO_SAML_BINDING_UNSUPPORTED',
        'The HTTP-POST-SimpleSign binding is not supported.',
      );
    }
  } else {
    throw new SsoError('SSO_SAML_BINDING_UNSUPPORTED');
  }
  if (encoded === '')
    throw new SsoError('SSO_SAML_REQUEST_INVALID', `The ${parameter} parameter is missing.`);
  if (relayState !== undefined && relayState.length > 80 * 4) {
    throw new SsoError('SSO_SAML_REQUEST_INVALID', 'RelayState is too long (SAML allows 80 bytes).');
  }

  const xml = binding === 'redirect' ? decodeRedirectMessage(encoded) : decodePostMessage(encoded);
  const root = parseSamlXml(xml);
  await validateSchema(xml);

  const issuer = readIssuer(root);
  const app = await sso.apps.findAppBySamlEntityId(issuer);
  const saml = app?.saml;
  if (app === undefined || saml === undefined) {
    throw new SsoError('SSO_SAML_SP_UNKNOWN', undefined, { detail: { issuer: issuer.slice(0, 300) } });
  }
  const signatureRequired = kind !== 'AuthnRequest' || saml.requireSignedRequests !== false;

  let signedRoot = root;
  let signed = false;
  const embedded = descendants(root, namespaces.signature, 'Signature').length > 0;
  if (binding === 'redirect') {
    if (embedded) {
      throw new SsoError(
        'SSO_SAML_SIGNATURE_WRAPPED',
        'An HTTP-Redirect message carries its signature in the query.',
      );
    }
    if (url.searchParams.has('Signature') || signatureRequired) {
      verifyRedirectSignature(url, parameter, saml.signingCertificates);
      signed = true;
    }
  } else if (embedded || signatureRequired) {
    signedRoot = parseSamlXml(verifyPostSignature(xml, root, saml.signingCertificates));
    signed = true;
  }

  const message = readMessage(signedRoot, kind) as Extract<SamlMessage, { kind: Kind }>;
  if (message.issuer !== issuer) {
    throw new SsoError(
      'SSO_SAML_SIGNATURE_WRAPPED',
      'The signed Issuer differs from the one the message shows.',
    );
  }
  const now = sso.clock.now().getTime();
  const maxAge = (options.maxAgeSeconds ?? 300) * 1000;
  const skew = (options.clockSkewSeconds ?? 180) * 1000;
  const instant = message.issueInstant.getTime();
  if (instant < now - maxAge - skew || instant > now + skew) {
    throw new SsoError('SSO_SAML_REQUEST_EXPIRED', undefined, {
      detail: { issueInstant: message.issueInstant.toISOString() },
    });
  }
  if (
    message.destination !== undefined
      ? message.destination !== options.endpoint
      : signed && binding === 'post'
  ) {
    throw new SsoError('SSO_SAML_DESTINATION_MISMATCH', undefined, {
      detail: { destination: message.destination?.slice(0, 300) },
    });
  }
  const fresh = await sso.oneTime.claim(
    `saml:${kind}:${issuer}:${message.id}`,
    new Date(instant + maxAge + 2 * skew),
    sso.clock.now(),
  );
  if (!fresh) throw new SsoError('SSO_SAML_REQUEST_REPLAYED', undefined, { detail: { id: message.id } });
  return { app, message, binding, signed, ...(relayState === undefined ? {} : { relayState }) };
}
