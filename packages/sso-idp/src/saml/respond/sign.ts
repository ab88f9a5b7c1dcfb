import { createPrivateKey, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { envelopedSignature, exclusiveCanonicalization, rsaSha256 } from '../receive/signature-algorithms.ts';

export interface SamlSigningCredential {
  /** PEM private key. */
  readonly privateKey: string;
  /** PEM certificate published in the metadata. */
  readonly certificate: string;
  /**
   * Rotation: from this time the credential signs (the newest one whose `signFrom` has passed wins). Until then
   * it is only published, so service providers can trust it before it is used. Absent: signs from the start.
   */
  readonly signFrom?: Date;
  /** Rotation: from this time the credential neither signs nor appears in the metadata. Absent: never retired. */
  readonly retireAt?: Date;
}

const certificateBody = (pem: string) =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/**
 * Signs a whole protocol message (enveloped, exclusive canonicalization, RSA-SHA256), the signature placed right
 * after the message's Issuer as the schema wants. Used for error Responses and HTTP-POST logout messages.
 */
export function signMessage(xml: string, rootLocalName: string, credential: SamlSigningCredential): string {
  const signer = new SignedXml({
    privateKey: credential.privateKey,
    publicCert: credential.certificate,
    signatureAlgorithm: rsaSha256,
    canonicalizationAlgorithm: exclusiveCanonicalization,
  });
  signer.addReference({
    xpath: `/*[local-name(.)='${rootLocalName}']`,
    transforms: [envelopedSignature, exclusiveCanonicalization],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.getKeyInfoContent = () =>
    `<ds:X509Data><ds:X509Certificate>${certificateBody(credential.certificate)}</ds:X509Certificate></ds:X509Data>`;
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `/*[local-name(.)='${rootLocalName}']/*[local-name(.)='Issuer']`,
      action: 'after',
    },
  });
  return signer.getSignedXml();
}

/**
 * HTTP-Redirect binding: DEFLATE + base64 the message, then sign `SAMLRequest=…&RelayState=…&SigAlg=…` with
 * RSA-SHA256. Returns the query string to append to the endpoint.
 */
export function signedRedirectQuery(
  parameter: 'SAMLRequest' | 'SAMLResponse',
  xml: string,
  relayState: string | undefined,
  credential: SamlSigningCredential,
): string {
  const encoded = encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  const parts = [`${parameter}=${encoded}`];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(rsaSha256)}`);
  const octets = parts.join('&');
  const signature = sign('sha256', Buffer.from(octets), createPrivateKey(credential.privateKey)).toString(
    'base64',
  );
  return `${octets}&Signature=${encodeURIComponent(signature)}`;
}
