import { inflateRawSync } from 'node:zlib';
import samlify from 'samlify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlUpstream } from '../src/ports.ts';
import { loginResponseXml } from '../src/saml/respond/response-xml.ts';
import type { Browser } from './support/browser.ts';
import { districtId } from './support/fixtures.ts';
import { errorCodeOf } from './support/flows.ts';
import { createHarness, type Harness } from './support/harness.ts';
import { credentials } from './support/saml.ts';

/** The district's ADFS is played by samlify as an identity provider, signing with the test upstream key. */
const adfsEntityId = 'https://adfs.maple.example/adfs/services/trust';
const upn = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
let harness: Harness;

const adfsMethod: SamlUpstream = {
  kind: 'saml',
  id: 'adfs',
  name: 'ADFS',
  entityId: adfsEntityId,
  ssoUrl: 'https://adfs.maple.example/adfs/ls/',
  signingCertificates: [credentials.upstream.certificate],
  match: [{ claim: upn, attribute: 'email' }],
};

beforeAll(async () => {
  harness = await createHarness({
    signInMethods: [adfsMethod],
    idp: { saml: { signing: [credentials.idp] } },
  });
});
afterAll(() => harness.close());

interface Started {
  browser: Browser;
  requestId: string;
  relayState: string;
  callback: string;
  audience: string;
}

async function start(): Promise<Started> {
  const browser = harness.browser();
  const response = await browser.request(
    `${harness.baseUrl}/signin/upstream/${districtId}/adfs?return_to=${encodeURIComponent('/sso/portal')}`,
  );
  if (response.status !== 303) throw new Error(`${response.status} ${(await response.text()).slice(-700)}`);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(adfsMethod.ssoUrl);
  expect(location.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  const request = inflateRawSync(
    Buffer.from(location.searchParams.get('SAMLRequest') ?? '', 'base64'),
  ).toString();
  return {
    browser,
    requestId: /ID="([^"]+)"/.exec(request)?.[1] ?? '',
    relayState: location.searchParams.get('RelayState') ?? '',
    callback: harness.idp.urls.upstreamCallback(districtId, 'adfs'),
    audience: harness.idp.urls.upstreamSamlEntity(districtId, 'adfs'),
  };
}

async function adfsResponse(
  flow: Started,
  options: {
    email?: string;
    audience?: string;
    inResponseTo?: string;
    key?: { privateKey: string; certificate: string };
    signResponse?: boolean;
    edit?: (xml: string) => string;
  } = {},
): Promise<string> {
  const key = options.key ?? credentials.upstream;
  const now = harness.clock.now();
  const xml = loginResponseXml({
    responseId: `_r${Math.random().toString(16).slice(2)}`,
    assertionId: `_a${Math.random().toString(16).slice(2)}`,
    issuer: adfsEntityId,
    destination: flow.callback,
    audience: options.audience ?? flow.audience,
    inResponseTo: options.inResponseTo ?? flow.requestId,
    now,
    validSeconds: 300,
    nameId: { value: 'MAPLE\\ada', format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' },
    authTime: now,
    amr: ['pwd'],
    sessionIndex: '_session',
    sessionNotOnOrAfter: new Date(now.getTime() + 3600_000),
    attributeStatement: `<saml:AttributeStatement><saml:Attribute Name="${upn}"><saml:AttributeValue>${options.email ?? 'ada.lovelace@maple.k12.example'}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`,
  });
  const idp = samlify.IdentityProvider({
    entityID: adfsEntityId,
    privateKey: key.privateKey,
    signingCert: key.certificate,
    singleSignOnService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: adfsMethod.ssoUrl },
    ],
  });
  const sp = samlify.ServiceProvider({
    entityID: flow.audience,
    wantAssertionsSigned: true,
    wantMessageSigned: options.signResponse === true,
    assertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: flow.callback },
    ],
  });
  const { context } = (await idp.createLoginResponse(
    sp,
    { extract: { request: { id: flow.requestId } } },
    'post',
    {},
    { customTagReplacement: () => ({ id: '', context: xml }) },
  )) as { context: string };
  if (options.edit === undefined) return context;
  return Buffer.from(options.edit(Buffer.from(context, 'base64').toString())).toString('base64');
}

const post = (flow: Started, samlResponse: string, relayState = flow.relayState) =>
  flow.browser.request(flow.callback, {
    method: 'POST',
    form: { SAMLResponse: samlResponse, RelayState: relayState },
  });

describe('upstream SAML sign-in (ADFS)', () => {
  it('signs in with a signed assertion and matches the roster by the UPN claim', async () => {
    const flow = await start();
    const response = await post(flow, await adfsResponse(flow));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sso/portal');
    const portal = await flow.browser.follow(`${harness.baseUrl}/portal`);
    expect(portal.body).toContain('Hello, Ada Lovelace');
  });

  it('accepts a signed Response around the signed assertion', async () => {
    const flow = await start();
    expect((await post(flow, await adfsResponse(flow, { signResponse: true }))).status).toBe(303);
  });

  const refusals: [string, (flow: Started) => Promise<string>, string][] = [
    [
      'signed with an unregistered key',
      (flow) => adfsResponse(flow, { key: credentials.attacker }),
      'SSO_UPSTREAM_TOKEN_INVALID',
    ],
    [
      'for another audience',
      (flow) => adfsResponse(flow, { audience: 'https://other-sp.example' }),
      'SSO_UPSTREAM_TOKEN_INVALID',
    ],
    [
      'in response to another request',
      (flow) => adfsResponse(flow, { inResponseTo: '_other' }),
      'SSO_UPSTREAM_TOKEN_INVALID',
    ],
    [
      'with a comment injected into the signed email',
      (flow) =>
        adfsResponse(flow, {
          edit: (xml) => xml.replace('ada.lovelace@', 'grace.hopper@maple.k12.example<!---->.ada.lovelace@'),
        }),
      'SSO_SAML_COMMENT_REJECTED',
    ],
    [
      'with a changed email (digest)',
      (flow) => adfsResponse(flow, { edit: (xml) => xml.replace('ada.lovelace@', 'grace.hopper@') }),
      'SSO_UPSTREAM_TOKEN_INVALID',
    ],
    [
      'with a second, unsigned assertion (wrapping)',
      (flow) =>
        adfsResponse(flow, {
          edit: (xml) => {
            const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] ?? '';
            const evil = assertion
              .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
              .replace('ada.lovelace@', 'grace.hopper@')
              .replace(/ID="_a/, 'ID="_evil');
            return xml.replace('</samlp:Response>', `${evil}</samlp:Response>`);
          },
        }),
      'SSO_UPSTREAM_TOKEN_INVALID',
    ],
    [
      'that says the sign-in failed',
      (flow) =>
        adfsResponse(flow, {
          edit: (xml) =>
            xml.replace(
              'urn:oasis:names:tc:SAML:2.0:status:Success',
              'urn:oasis:names:tc:SAML:2.0:status:Responder',
            ),
        }),
      'SSO_UPSTREAM_REFUSED',
    ],
    [
      'for someone not in the roster',
      (flow) => adfsResponse(flow, { email: 'nobody@maple.k12.example' }),
      'SSO_ROSTER_NO_MATCH',
    ],
  ];
  for (const [label, build, code] of refusals) {
    it(`refuses a response ${label}: ${code}`, async () => {
      const flow = await start();
      const response = await post(flow, await build(flow));
      expect(errorCodeOf(await response.text())).toBe(code);
    });
  }

  it('refuses an expired assertion', async () => {
    const flow = await start();
    const samlResponse = await adfsResponse(flow);
    harness.clock.advance(450); // past the 5 minutes and the 2-minute skew, not past the 10-minute state
    expect(errorCodeOf(await (await post(flow, samlResponse)).text())).toBe('SSO_UPSTREAM_TOKEN_INVALID');
  });

  it('refuses a response posted twice, or posted into another browser', async () => {
    const flow = await start();
    const samlResponse = await adfsResponse(flow);
    expect((await post(flow, samlResponse)).status).toBe(303);
    expect(errorCodeOf(await (await post(flow, samlResponse)).text())).toBe('SSO_UPSTREAM_STATE_INVALID');
    const other = await start();
    const victim = harness.browser();
    const response = await victim.request(other.callback, {
      method: 'POST',
      form: { SAMLResponse: await adfsResponse(other), RelayState: other.relayState },
    });
    expect(errorCodeOf(await response.text())).toBe('SSO_UPSTREAM_STATE_INVALID');
  });
});
