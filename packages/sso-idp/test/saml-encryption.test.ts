import samlify from 'samlify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRegistration } from '../src/ports.ts';
import { districtId } from './support/fixtures.ts';
import { createHarness, type Harness } from './support/harness.ts';
import {
  atlasServiceProvider,
  credentials,
  decodeBase64,
  readPostedResponse,
  samlApps,
  validateSamlSchema,
} from './support/saml.ts';

const vaultEntityId = 'https://vault.example/saml/metadata';
const vaultAcs = 'https://vault.example/saml/acs';

const vault = (algorithm?: 'aes256-cbc'): AppRegistration => ({
  appId: algorithm === undefined ? 'app-vault' : 'app-vault-cbc',
  partnerId: 'partner-vault',
  name: 'Grade Vault',
  saml: {
    entityId: algorithm === undefined ? vaultEntityId : `${vaultEntityId}/cbc`,
    assertionConsumerServices: [{ url: vaultAcs }],
    signingCertificates: [credentials.sp.certificate],
    nameIdFormat: 'persistent',
    attributes: [
      { name: 'email', claim: 'email' },
      { name: 'displayName', claim: 'name' },
    ],
    assertionEncryption: {
      certificate: credentials.sp.certificate,
      ...(algorithm === undefined ? {} : { algorithm }),
    },
  },
});

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ idp: { saml: { signing: [credentials.idp] } } });
  for (const app of [vault(), vault('aes256-cbc'), samlApps.atlas]) {
    await harness.idp.registerApp(app);
    await harness.idp.grantApp({
      districtId,
      appId: app.appId,
      claims: ['name', 'email', 'role', 'class_ids'],
    });
  }
});
afterAll(() => harness.close());

/** The app as a samlify service provider that holds the private key of its encryption certificate. */
function vaultServiceProvider(entityId: string, encryptionKey = credentials.sp.privateKey) {
  return samlify.ServiceProvider({
    entityID: entityId,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    encPrivateKey: encryptionKey,
    assertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: vaultAcs },
    ],
  });
}

/** Passport as the service provider sees it from the metadata, telling samlify its assertions come encrypted. */
async function passportAsSeenBy(encrypted: boolean) {
  const metadata = await (await fetch(`${harness.baseUrl}/saml/metadata`)).text();
  return samlify.IdentityProvider({ metadata, isAssertionEncrypted: encrypted });
}

/** IdP-initiated sign-on to an app (the portal tile), signed in as Ada: the auto-posted SAMLResponse. */
async function responseFor(appId: string) {
  const browser = harness.browser();
  let step = await browser.follow(`${harness.baseUrl}/saml/launch/${appId}`);
  if (new URL(step.url).pathname.endsWith('/signin')) {
    const posted = await harness.signInWithPassword(browser, step.url, step.body, 'ada');
    step = await browser.follow(new URL(posted.headers.get('location') ?? '', step.url).href);
  }
  const posted = readPostedResponse(step.body);
  if (posted === undefined) throw new Error(`no SAML response in ${step.body.slice(-500)}`);
  return { fields: posted.fields, xml: decodeBase64(posted.fields.SAMLResponse ?? '') };
}

describe('encrypted assertions', () => {
  it('an SP with an encryption certificate gets an EncryptedAssertion it decrypts, signed inside and out', async () => {
    const { fields, xml } = await responseFor('app-vault');
    await validateSamlSchema(xml);
    expect(xml).toContain('<saml:EncryptedAssertion');
    expect(xml).not.toMatch(/<saml:Assertion[\s>]/);
    expect(xml).not.toContain('ada.lovelace');
    expect(xml).toContain('Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"');
    expect(xml).toContain('Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"');
    expect((xml.match(/<ds:Signature\s/g) ?? []).length).toBe(1); // the Response's; the assertion's is inside
    const parsed = await vaultServiceProvider(vaultEntityId).parseLoginResponse(
      await passportAsSeenBy(true),
      'post',
      { body: fields },
    );
    expect(parsed.extract.audience).toBe(vaultEntityId);
    expect(parsed.extract.attributes).toEqual({
      email: 'ada.lovelace@maple.k12.example',
      displayName: 'Ada Lovelace',
    });
    expect(parsed.samlContent).toContain('<ds:Signature'); // the decrypted assertion carries its own signature
  });

  it('AES-CBC for an SP that asks for it; the SP still decrypts', async () => {
    const { fields, xml } = await responseFor('app-vault-cbc');
    expect(xml).toContain('Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"');
    const parsed = await vaultServiceProvider(`${vaultEntityId}/cbc`).parseLoginResponse(
      await passportAsSeenBy(true),
      'post',
      { body: fields },
    );
    expect(parsed.extract.attributes?.email).toBe('ada.lovelace@maple.k12.example');
  });

  it('only the holder of the encryption key can read it', async () => {
    const { fields } = await responseFor('app-vault');
    await expect(
      vaultServiceProvider(vaultEntityId, credentials.attacker.privateKey).parseLoginResponse(
        await passportAsSeenBy(true),
        'post',
        { body: fields },
      ),
    ).rejects.toThrow('ERR_EXCEPTION_OF_ASSERTION_DECRYPTION');
  });

  it('an SP without an encryption certificate gets a plain signed assertion', async () => {
    const { fields, xml } = await responseFor('app-atlas');
    expect(xml).not.toContain('EncryptedAssertion');
    expect(xml).toMatch(/<saml:Assertion[\s>]/);
    expect((xml.match(/<ds:Signature\s/g) ?? []).length).toBe(2);
    const parsed = await atlasServiceProvider().parseLoginResponse(await passportAsSeenBy(false), 'post', {
      body: fields,
    });
    expect(parsed.extract.attributes?.['urn:oid:0.9.2342.19200300.100.1.3']).toBe(
      'ada.lovelace@maple.k12.example',
    );
  });

  it('refuses to register an encryption certificate that is not a PEM certificate', async () => {
    const app = vault();
    await expect(
      harness.idp.registerApp({
        ...app,
        appId: 'app-bad',
        saml: {
          ...(app.saml as NonNullable<AppRegistration['saml']>),
          assertionEncryption: { certificate: 'x' },
        },
      }),
    ).rejects.toMatchObject({ code: 'SSO_OPTIONS_INVALID' });
  });
});
