import samlify from 'samlify';
import type { SsoUrls } from '../context.ts';
import type { SamlAppSettings, SamlAssertionEncryption } from '../ports.ts';
import { rsaSha256 } from './receive/signature-algorithms.ts';
import { nameIdFormats } from './respond/name-id.ts';
import type { SamlSigningCredential } from './respond/sign.ts';

const bindings = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** XML Encryption 1.1 block ciphers (GCM is authenticated; CBC only for service providers without it). */
const dataEncryptionAlgorithms = {
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes128-gcm': 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'aes256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'aes128-cbc': 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
} as const;

/** RSA-OAEP key transport; RSA PKCS#1 v1.5 is refused (and Node no longer decrypts it). */
const rsaOaep = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';

export type SamlifyIdentityProvider = ReturnType<typeof samlify.IdentityProvider>;
export type SamlifyServiceProvider = ReturnType<typeof samlify.ServiceProvider>;

/**
 * Passport as a samlify identity provider. `signing` is the credential that signs; `published` are all the
 * certificates the metadata lists (the signing one first, plus the next or previous during a rotation).
 */
export function identityProvider(
  urls: SsoUrls,
  signing: SamlSigningCredential,
  published: readonly string[] = [signing.certificate],
  encryption?: SamlAssertionEncryption,
): SamlifyIdentityProvider {
  return samlify.IdentityProvider({
    ...(encryption === undefined
      ? {}
      : {
          isAssertionEncrypted: true,
          // Sign the assertion, encrypt it, then sign the Response over the EncryptedAssertion.
          encryptThenSign: true,
          dataEncryptionAlgorithm: dataEncryptionAlgorithms[encryption.algorithm ?? 'aes256-gcm'],
          keyEncryptionAlgorithm: rsaOaep,
        }),
    entityID: urls.samlMetadata,
    privateKey: signing.privateKey,
    signingCert: published.length === 1 ? published[0] : [...published],
    requestSignatureAlgorithm: rsaSha256,
    wantAuthnRequestsSigned: true,
    generateID: () => `_${crypto.randomUUID().replace(/-/g, '')}`,
    nameIDFormat: Object.values(nameIdFormats),
    singleSignOnService: [
      { Binding: bindings.redirect, Location: urls.samlSso },
      { Binding: bindings.post, Location: urls.samlSso },
    ],
    singleLogoutService: [
      { Binding: bindings.redirect, Location: urls.samlSlo },
      { Binding: bindings.post, Location: urls.samlSlo },
    ],
  });
}

/** A registered app as a samlify service provider: what samlify needs to sign a login response for it. */
export function serviceProvider(saml: SamlAppSettings, acsUrl: string): SamlifyServiceProvider {
  return samlify.ServiceProvider({
    entityID: saml.entityId,
    wantAssertionsSigned: true,
    wantMessageSigned: saml.signResponse !== false,
    assertionConsumerService: [{ Binding: bindings.post, Location: acsUrl }],
    ...(saml.assertionEncryption === undefined ? {} : { encryptCert: saml.assertionEncryption.certificate }),
  });
}
