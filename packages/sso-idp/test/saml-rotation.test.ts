import samlify from 'samlify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/adapters/memory/memory-stores-bundle.ts';
import { createSsoIdp } from '../src/sso-idp.ts';
import { districtId } from './support/fixtures.ts';
import { createHarness, type Harness } from './support/harness.ts';
import {
  atlasAcs,
  atlasEntityId,
  atlasServiceProvider,
  credentials,
  decodeBase64,
  passportIdentityProvider,
  readPostedResponse,
  samlApps,
} from './support/saml.ts';

const day = 86_400;
const start = Date.now();
const switchAt = new Date(start + 10 * day * 1000);
const retireAt = new Date(start + 20 * day * 1000);
const certificateBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const current = certificateBody(credentials.idp.certificate);
const next = certificateBody(credentials.idpNext.certificate);

let harness: Harness;

/** Atlas as an SP whose clock allows the test clock's jumps (samlify checks assertion times on the real clock). */
const driftingAtlas = () =>
  samlify.ServiceProvider({
    entityID: atlasEntityId,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    assertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: atlasAcs },
    ],
    clockDrifts: [-40 * day * 1000, 40 * day * 1000],
  });

beforeAll(async () => {
  harness = await createHarness({
    idp: {
      saml: {
        signing: [
          { ...credentials.idp, retireAt },
          { ...credentials.idpNext, signFrom: switchAt },
        ],
      },
    },
  });
  await harness.idp.registerApp(samlApps.atlas);
  await harness.idp.grantApp({ districtId, appId: 'app-atlas', claims: ['name', 'email'] });
});
afterAll(() => harness.close());

const metadata = async () => (await fetch(`${harness.baseUrl}/saml/metadata`)).text();

/** The signing certificates of the metadata, in order. */
const publishedCertificates = (xml: string) =>
  [...xml.matchAll(/<KeyDescriptor use="signing">[\s\S]*?<(?:ds:)?X509Certificate>([^<]+)</g)].map((match) =>
    (match[1] ?? '').replace(/\s+/g, ''),
  );

/** An SP that trusts exactly one Passport certificate (what samlify verifies HTTP-POST responses with). */
async function spTrusting(certificatePem: string) {
  let kept = false;
  const xml = (await metadata()).replace(
    /<KeyDescriptor use="signing">[\s\S]*?<\/KeyDescriptor>/g,
    (descriptor) => {
      const keep = !kept && descriptor.replace(/\s+/g, '').includes(certificateBody(certificatePem));
      kept ||= keep;
      return keep ? descriptor : '';
    },
  );
  if (!kept) throw new Error('certificate not in the metadata');
  return samlify.IdentityProvider({ metadata: xml });
}

/** IdP-initiated sign-on to Atlas as Ada; the posted response and the certificate its signatures carry. */
async function signOn() {
  const browser = harness.browser();
  let step = await browser.follow(`${harness.baseUrl}/saml/launch/app-atlas`);
  if (new URL(step.url).pathname.endsWith('/signin')) {
    const posted = await harness.signInWithPassword(browser, step.url, step.body, 'ada');
    step = await browser.follow(new URL(posted.headers.get('location') ?? '', step.url).href);
  }
  const posted = readPostedResponse(step.body);
  if (posted === undefined) throw new Error('no SAML response');
  const xml = decodeBase64(posted.fields.SAMLResponse ?? '');
  const carried = [...xml.matchAll(/<ds:X509Certificate>([^<]+)</g)].map((match) => match[1]);
  return { fields: posted.fields, carried };
}

describe('SAML signing certificate rotation', () => {
  it('1. publish: the next certificate is in the metadata before it signs', async () => {
    expect(publishedCertificates(await metadata())).toEqual([current, next]);
    const { fields, carried } = await signOn();
    expect(carried).toEqual([current, current]);
    const parsed = await atlasServiceProvider().parseLoginResponse(
      await spTrusting(credentials.idp.certificate),
      'post',
      {
        body: fields,
      },
    );
    expect(parsed.extract.attributes?.displayName).toBe('Ada Lovelace');
  });

  it('2. switch: from signFrom the next certificate signs; the previous one stays published for the overlap', async () => {
    harness.clock.advance(10 * day + 1);
    expect(publishedCertificates(await metadata())).toEqual([next, current]);
    const { fields, carried } = await signOn();
    expect(carried).toEqual([next, next]);
    const parsed = await driftingAtlas().parseLoginResponse(
      await passportIdentityProvider(`${harness.baseUrl}/saml/metadata`),
      'post',
      { body: fields },
    );
    expect(parsed.extract.attributes?.displayName).toBe('Ada Lovelace');
    // An SP that never picked up the next certificate now fails, which is why it is published first.
    await expect(
      driftingAtlas().parseLoginResponse(await spTrusting(credentials.idp.certificate), 'post', {
        body: fields,
      }),
    ).rejects.toThrow('ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA');
  });

  it('3. retire: from retireAt the previous certificate leaves the metadata', async () => {
    harness.clock.advance(10 * day);
    expect(publishedCertificates(await metadata())).toEqual([next]);
    expect((await signOn()).carried).toEqual([next, next]);
  });
});

describe('rotation options', () => {
  it('refuses a credential retired before it signs, and answers SSO_SIGNING_KEY_MISSING when none is active', async () => {
    const base = {
      baseUrl: 'https://sso.example.org',
      stores: createMemoryStores(),
      secrets: {
        cookies: ['cookie-secret-0123456789-abcdefghijklmnop'],
        pairwise: 'pairwise-secret-0123456789-abcdefghijklm',
      },
    };
    expect(() =>
      createSsoIdp({
        ...base,
        saml: { signing: [{ ...credentials.idp, signFrom: switchAt, retireAt: switchAt }] },
      }),
    ).toThrow(expect.objectContaining({ code: 'SSO_OPTIONS_INVALID' }));
    const retired = createSsoIdp({
      ...base,
      saml: { signing: [{ ...credentials.idp, retireAt: new Date(start - 1000) }] },
    });
    const response = await retired.handle(new Request('https://sso.example.org/saml/metadata'));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('SSO_SIGNING_KEY_MISSING');
  });
});
