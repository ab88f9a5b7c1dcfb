import { createPublicKey, verify } from 'node:crypto';
import { SsoError } from '../../errors.ts';
import { signatureAlgorithms } from './signature-algorithms.ts';

/** The query parameters as received, values still URL-encoded (the signature covers those exact bytes). */
export function rawQueryParameters(url: URL): Map<string, string> {
  const parameters = new Map<string, string>();
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const index = part.indexOf('=');
    const name = index < 0 ? part : part.slice(0, index);
    if (parameters.has(name)) {
      throw new SsoError('SSO_SAML_REQUEST_INVALID', `The query repeats the ${name} parameter.`);
    }
    parameters.set(name, index < 0 ? '' : part.slice(index + 1));
  }
  return parameters;
}

/**
 * HTTP-Redirect binding (SAML bindings 3.4.4.1): the signature covers `SAMLRequest=…&RelayState=…&SigAlg=…` built
 * from the URL-encoded values exactly as sent. It must verify with one of the service provider's registered
 * certificates, never a key the message brings along.
 */
export function verifyRedirectSignature(
  url: URL,
  messageParameter: 'SAMLRequest' | 'SAMLResponse',
  certificates: readonly string[],
): void {
  const raw = rawQueryParameters(url);
  const signature = raw.get('Signature');
  const sigAlgRaw = raw.get('SigAlg');
  const message = raw.get(messageParameter);
  if (signature === undefined || sigAlgRaw === undefined || message === undefined) {
    throw new SsoError('SSO_SAML_SIGNATURE_REQUIRED');
  }
  const sigAlg = decodeURIComponent(sigAlgRaw.replace(/\+/g, ' '));
  const hash = signatureAlgorithms[sigAlg as keyof typeof signatureAlgorithms];
  if (hash === undefined) {
    throw new SsoError('SSO_SAML_SIGNATURE_UNSUPPORTED', `Signature algorithm ${sigAlg} is not accepted.`);
  }
  const relayState = raw.get('RelayState');
  const octets = [
    `${messageParameter}=${message}`,
    ...(relayState === undefined ? [] : [`RelayState=${relayState}`]),
    `SigAlg=${sigAlgRaw}`,
  ].join('&');
  const signatureBytes = Buffer.from(decodeURIComponent(signature.replace(/\+/g, ' ')), 'base64');
  for (const certificate of certificates) {
    try {
      if (verify(hash, Buffer.from(octets), createPublicKey(certificate), signatureBytes)) return;
    } catch {
      // A certificate that cannot verify (wrong key type) is simply not the signer.
    }
  }
  throw new SsoError('SSO_SAML_SIGNATURE_INVALID');
}
