import samlify from 'samlify';
import type { SsoUrls } from '../context.ts';
import type { SamlAppSettings } from '../ports.ts';
import { rsaSha256 } from './receive/signature-algorithms.ts';
import { nameIdFormats } from './respond/name-id.ts';
import type { SamlSigningCredential } from './respond/sign.ts';

const bindings = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

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
  generateId: () => string = () => `_${crypto.randomUUID().replace(/-/g, '')}`,
): SamlifyIdentityProvider {
  return samlify.IdentityProvider({
    entityID: urls.samlMetadata,
    privateKey: signing.privateKey,
    signingCert: published.length === 1 ? published[0] : [...published],
    requestSignatureAlgorithm: rsaSha256,
    wantAuthnRequestsSigned: true,
    generateID: generateId,
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
  });
}
