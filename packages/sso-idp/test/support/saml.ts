import { readFileSync } from 'node:fs';
import * as xmllint from '@authenio/samlify-node-xmllint';
import samlify from 'samlify';
import type { AppRegistration } from '../../src/ports.ts';
import { readForms } from './browser.ts';

samlify.setSchemaValidator(xmllint);

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/saml/${name}`, import.meta.url), 'utf8');

export const credentials = {
  idp: { privateKey: fixture('idp.key'), certificate: fixture('idp.crt') },
  idpNext: { privateKey: fixture('idp-next.key'), certificate: fixture('idp-next.crt') },
  sp: { privateKey: fixture('sp.key'), certificate: fixture('sp.crt') },
  attacker: { privateKey: fixture('sp-attacker.key'), certificate: fixture('sp-attacker.crt') },
  upstream: { privateKey: fixture('upstream-idp.key'), certificate: fixture('upstream-idp.crt') },
};

export const atlasEntityId = 'https://atlas.example/saml/metadata';
export const atlasAcs = 'https://atlas.example/saml/acs';
export const atlasSlo = 'https://atlas.example/saml/slo';

export const samlApps = {
  atlas: {
    appId: 'app-atlas',
    partnerId: 'partner-atlas',
    name: 'Atlas Maps',
    saml: {
      entityId: atlasEntityId,
      assertionConsumerServices: [
        { url: atlasAcs, index: 0 },
        { url: 'https://atlas.example/saml/acs-two', index: 1 },
      ],
      singleLogoutService: { url: atlasSlo, binding: 'redirect' },
      signingCertificates: [credentials.sp.certificate],
      nameIdFormat: 'persistent',
      attributes: [
        {
          name: 'urn:oid:0.9.2342.19200300.100.1.3',
          friendlyName: 'mail',
          claim: 'email',
          nameFormat: 'uri',
        },
        { name: 'displayName', claim: 'name' },
        { name: 'role', claim: 'role' },
        { name: 'classes', claim: 'class_ids' },
        { name: 'sourcedId', claim: 'roster_sourced_id' },
      ],
    },
  },
  mail: {
    appId: 'app-mail',
    partnerId: 'partner-mail',
    name: 'Mailbox',
    saml: {
      entityId: 'https://mail.example/sp',
      assertionConsumerServices: [{ url: 'https://mail.example/acs' }],
      signingCertificates: [credentials.sp.certificate],
      nameIdFormat: 'emailAddress',
      attributes: [{ name: 'email', claim: 'email' }],
      signResponse: false,
    },
  },
} satisfies Record<string, AppRegistration>;

/** A samlify service provider playing the app, signing its requests with the test SP key. */
export function atlasServiceProvider(options: { key?: { privateKey: string; certificate: string } } = {}) {
  const key = options.key ?? credentials.sp;
  return samlify.ServiceProvider({
    entityID: atlasEntityId,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    wantLogoutResponseSigned: true,
    wantLogoutRequestSigned: true,
    privateKey: key.privateKey,
    signingCert: key.certificate,
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    nameIDFormat: ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
    assertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: atlasAcs },
    ],
    singleLogoutService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: atlasSlo },
    ],
    signatureConfig: {
      prefix: 'ds',
      location: { reference: "/*[local-name(.)='AuthnRequest']/*[local-name(.)='Issuer']", action: 'after' },
    },
  });
}

/**
 * Passport's IdP as the service provider sees it, from the published metadata. samlify verifies HTTP-Redirect
 * signatures with a single certificate only, so the test SP keeps the first (signing) certificate, the way an SP
 * that has not picked up the next certificate yet would.
 */
export async function passportIdentityProvider(metadataUrl: string) {
  let first = true;
  const metadata = (await (await fetch(metadataUrl)).text()).replace(
    /<KeyDescriptor use="signing">[\s\S]*?<\/KeyDescriptor>/g,
    (descriptor) => {
      const keep = first;
      first = false;
      return keep ? descriptor : '';
    },
  );
  return samlify.IdentityProvider({
    metadata,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
  });
}

/** The SAMLResponse and RelayState of an auto-posting page, and where it posts. */
export function readPostedResponse(
  body: string,
): { action: string; fields: Record<string, string> } | undefined {
  const form = readForms(body).find(
    (candidate) => 'SAMLResponse' in candidate.fields || 'SAMLRequest' in candidate.fields,
  );
  return form === undefined ? undefined : { action: form.action, fields: form.fields };
}

export const decodeBase64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

export const validateSamlSchema = (xml: string) => xmllint.validate(xml);
