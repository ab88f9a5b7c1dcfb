import { createPrivateKey, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { signedRedirectQuery, signMessage } from '../src/saml/respond/sign.ts';
import type { Browser } from './support/browser.ts';
import { districtId, rosterUsers } from './support/fixtures.ts';
import { errorCodeOf, signInToPassport } from './support/flows.ts';
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

let harness: Harness;
let ssoUrl: string;
let counter = 0;

beforeAll(async () => {
  harness = await createHarness({ idp: { saml: { signing: [credentials.idp] } } });
  ssoUrl = `${harness.baseUrl}/saml/sso`;
  await harness.idp.registerApp(samlApps.atlas);
  await harness.idp.registerApp({
    ...samlApps.mail,
    saml: { ...samlApps.mail.saml, requireSignedRequests: false },
  });
  await harness.idp.grantApp({ districtId, appId: 'app-atlas', claims: ['name', 'role', 'email'] });
  await harness.idp.grantApp({ districtId, appId: 'app-mail', claims: ['email'] });
});
afterAll(() => harness.close());

interface RequestOptions {
  id?: string;
  issuer?: string;
  destination?: string | null;
  acs?: string;
  instant?: Date;
  forceAuthn?: boolean;
  isPassive?: boolean;
  extensions?: string;
  nameIdFormat?: string;
}

function authnRequest(options: RequestOptions = {}): { id: string; xml: string } {
  const id = options.id ?? `_request_${++counter}_${Date.now()}`;
  const destination = options.destination === null ? '' : ` Destination="${options.destination ?? ssoUrl}"`;
  const flags = `${options.forceAuthn ? ' ForceAuthn="true"' : ''}${options.isPassive ? ' IsPassive="true"' : ''}`;
  const xml = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${(options.instant ?? harness.clock.now()).toISOString()}"${destination}${flags} AssertionConsumerServiceURL="${options.acs ?? atlasAcs}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${options.issuer ?? atlasEntityId}</saml:Issuer>${options.extensions ?? ''}<samlp:NameIDPolicy Format="${options.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}" AllowCreate="true"/></samlp:AuthnRequest>`;
  return { id, xml };
}

const redirectUrl = (xml: string, key = credentials.sp, relayState?: string) =>
  `${ssoUrl}?${signedRedirectQuery('SAMLRequest', xml, relayState, key)}`;

const unsignedRedirectUrl = (xml: string) =>
  `${ssoUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`;

const signedPost = (xml: string, key = credentials.sp) => signMessage(xml, 'AuthnRequest', key);

async function post(browser: Browser, xml: string) {
  return browser.request(ssoUrl, {
    method: 'POST',
    form: { SAMLRequest: Buffer.from(xml).toString('base64') },
  });
}

async function refusal(response: Response): Promise<{ status: number; code: string | undefined }> {
  return { status: response.status, code: errorCodeOf(await response.text()) };
}

describe('signatures', () => {
  it('an unsigned AuthnRequest is refused when the app requires signatures', async () => {
    const { xml } = authnRequest();
    expect(await refusal(await harness.browser().request(unsignedRedirectUrl(xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_REQUIRED',
    });
    expect(await refusal(await post(harness.browser(), xml))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_REQUIRED',
    });
  });

  it('a request signed with a key the app never registered is refused, in both bindings', async () => {
    expect(
      await refusal(await harness.browser().request(redirectUrl(authnRequest().xml, credentials.attacker))),
    ).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_INVALID',
    });
    const forged = signedPost(authnRequest().xml, credentials.attacker);
    expect(await refusal(await post(harness.browser(), forged))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_INVALID',
    });
  });

  it('changing a signed redirect query (RelayState) breaks the signature', async () => {
    const url = redirectUrl(authnRequest().xml, credentials.sp, 'original');
    const tampered = url.replace('RelayState=original', 'RelayState=changed');
    expect(await refusal(await harness.browser().request(tampered))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_INVALID',
    });
  });

  it('changing a signed POST request (its ACS URL) breaks the digest', async () => {
    const signed = signedPost(authnRequest().xml);
    const tampered = signed.replace(
      `AssertionConsumerServiceURL="${atlasAcs}"`,
      'AssertionConsumerServiceURL="https://evil.example/acs"',
    );
    expect(await refusal(await post(harness.browser(), tampered))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_INVALID',
    });
  });

  it('RSA-SHA1 is refused', async () => {
    const { xml } = authnRequest();
    const encoded = encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'));
    const octets = `SAMLRequest=${encoded}&SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`;
    const signature = sign('sha1', Buffer.from(octets), createPrivateKey(credentials.sp.privateKey)).toString(
      'base64',
    );
    const response = await harness
      .browser()
      .request(`${ssoUrl}?${octets}&Signature=${encodeURIComponent(signature)}`);
    expect(await refusal(response)).toEqual({ status: 403, code: 'SSO_SAML_SIGNATURE_UNSUPPORTED' });
  });

  it('a redirect-binding message with an embedded signature is refused', async () => {
    const signed = signedPost(authnRequest().xml);
    expect(await refusal(await harness.browser().request(unsignedRedirectUrl(signed)))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_WRAPPED',
    });
  });

  it('an app that accepts unsigned requests still has a present signature checked', async () => {
    const email = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
    const { xml } = authnRequest({
      issuer: 'https://mail.example/sp',
      acs: 'https://mail.example/acs',
      nameIdFormat: email,
    });
    const page = await harness.browser().request(unsignedRedirectUrl(xml));
    expect(new URL(page.headers.get('location') ?? '', ssoUrl).pathname).toBe('/sso/signin');
    const forged = signedPost(
      authnRequest({ issuer: 'https://mail.example/sp', acs: 'https://mail.example/acs' }).xml,
      credentials.attacker,
    );
    expect(await refusal(await post(harness.browser(), forged))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_INVALID',
    });
  });
});

describe('XML signature wrapping', () => {
  /** A legitimately signed request for the real ACS, to be wrapped inside an attacker's request. */
  const signedOriginal = () => {
    const original = authnRequest();
    return { ...original, signed: signedPost(original.xml) };
  };
  const stripDeclaration = (xml: string) => xml.replace(/^<\?xml[^>]*\?>/, '');

  it('the signed request hidden in Extensions of an evil request (signature not on the root) is refused', async () => {
    const original = signedOriginal();
    const evil = authnRequest({
      acs: 'https://evil.example/acs',
      extensions: `<samlp:Extensions><x:wrap xmlns:x="urn:attacker">${stripDeclaration(original.signed)}</x:wrap></samlp:Extensions>`,
    });
    expect(await refusal(await post(harness.browser(), evil.xml))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_WRAPPED',
    });
  });

  it('a root signature whose reference points at a wrapped copy is refused', async () => {
    const original = signedOriginal();
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original.signed)?.[0] ?? '';
    const unsignedCopy = original.signed.replace(signature, '');
    const evil = authnRequest({
      acs: 'https://evil.example/acs',
      extensions: `<samlp:Extensions><x:wrap xmlns:x="urn:attacker">${stripDeclaration(unsignedCopy)}</x:wrap></samlp:Extensions>`,
    });
    const wrapped = evil.xml.replace(
      `${atlasEntityId}</saml:Issuer>`,
      `${atlasEntityId}</saml:Issuer>${signature}`,
    );
    expect(await refusal(await post(harness.browser(), wrapped))).toEqual({
      status: 403,
      code: 'SSO_SAML_SIGNATURE_WRAPPED',
    });
  });

  it('an evil root reusing the signed request’s ID is refused (the schema forbids duplicate IDs)', async () => {
    const original = signedOriginal();
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original.signed)?.[0] ?? '';
    const unsignedCopy = original.signed.replace(signature, '');
    const evil = authnRequest({
      id: original.id,
      acs: 'https://evil.example/acs',
      extensions: `<samlp:Extensions><x:wrap xmlns:x="urn:attacker">${stripDeclaration(unsignedCopy)}</x:wrap></samlp:Extensions>`,
    });
    const wrapped = evil.xml.replace(
      `${atlasEntityId}</saml:Issuer>`,
      `${atlasEntityId}</saml:Issuer>${signature}`,
    );
    // Caught by schema validation first; verify-post-signature.test.ts shows the signature check catches it too.
    expect(await refusal(await post(harness.browser(), wrapped))).toEqual({
      status: 400,
      code: 'SSO_SAML_REQUEST_INVALID',
    });
  });
});

describe('comment injection and XML tricks', () => {
  it('a comment inserted into a signed Issuer keeps the signature valid for xml-crypto, and is still refused', async () => {
    const signed = signedPost(authnRequest().xml);
    const tampered = signed.replace(
      `${atlasEntityId}</saml:Issuer>`,
      `https://atlas.example/saml/<!-- -->metadata</saml:Issuer>`,
    );
    expect(tampered).not.toBe(signed);
    // Exclusive canonicalization drops comments, so the signature alone does not notice...
    const verifier = new SignedXml({
      publicCert: credentials.sp.certificate,
      getCertFromKeyInfo: () => null,
    });
    verifier.loadSignature(/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(tampered)?.[0] ?? '');
    expect(verifier.checkSignature(tampered)).toBe(true);
    // ...which is why any comment is refused before anything is read.
    expect(await refusal(await post(harness.browser(), tampered))).toEqual({
      status: 403,
      code: 'SSO_SAML_COMMENT_REJECTED',
    });
  });

  it('a comment splitting an Issuer to impersonate another app is refused', async () => {
    const { xml } = authnRequest({ issuer: `https://evil.example<!-- -->${atlasEntityId}` });
    expect(await refusal(await harness.browser().request(redirectUrl(xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_COMMENT_REJECTED',
    });
  });

  it('a DOCTYPE (entity expansion, XXE) is refused', async () => {
    const { xml } = authnRequest();
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml}`;
    expect(await refusal(await harness.browser().request(redirectUrl(withDoctype)))).toEqual({
      status: 400,
      code: 'SSO_SAML_REQUEST_INVALID',
    });
  });

  it('a message that is not schema-valid is refused', async () => {
    const { xml } = authnRequest();
    const invalid = xml.replace('Version="2.0"', 'Version="2.0" Bogus="1"');
    expect(await refusal(await harness.browser().request(redirectUrl(invalid)))).toEqual({
      status: 400,
      code: 'SSO_SAML_REQUEST_INVALID',
    });
  });

  it('values with XML metacharacters are escaped in the response, never turned into markup', async () => {
    const base = rosterUsers[0];
    if (base === undefined) throw new Error('fixture');
    (harness.stores.roster as { save(user: unknown): void }).save({
      ...base,
      userId: 'u-mallory',
      username: 'mallory',
      givenName:
        '</saml:AttributeValue></saml:Attribute><saml:Attribute Name="role"><saml:AttributeValue>administrator',
      familyName: '<!-- x -->&amp;',
    });
    await harness.idp.setPassword({
      districtId,
      username: 'mallory',
      userId: 'u-mallory',
      password: 'correct horse battery staple',
    });
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'mallory');
    const page = await browser.follow(redirectUrl(authnRequest().xml));
    const posted = readPostedResponse(page.body);
    const sp = atlasServiceProvider();
    const idp = await passportIdentityProvider(`${harness.baseUrl}/saml/metadata`);
    const parsed = await sp.parseLoginResponse(idp, 'post', { body: posted?.fields ?? {} });
    expect(parsed.extract.attributes?.role).toBe('student');
    expect(parsed.extract.attributes?.displayName).toBe(
      '</saml:AttributeValue></saml:Attribute><saml:Attribute Name="role"><saml:AttributeValue>administrator <!-- x -->&amp;',
    );
    expect(decodeBase64(posted?.fields.SAMLResponse ?? '')).not.toContain('<!-- x -->');
  });
});

describe('replay, freshness, addressing', () => {
  it('the same signed request works once', async () => {
    const url = redirectUrl(authnRequest().xml);
    const first = await harness.browser().request(url);
    expect(first.status).toBe(303);
    expect(await refusal(await harness.browser().request(url))).toEqual({
      status: 403,
      code: 'SSO_SAML_REQUEST_REPLAYED',
    });
    const signed = signedPost(authnRequest().xml);
    expect((await post(harness.browser(), signed)).status).toBe(303);
    expect(await refusal(await post(harness.browser(), signed))).toEqual({
      status: 403,
      code: 'SSO_SAML_REQUEST_REPLAYED',
    });
  });

  it('a request issued too long ago, or in the future, is refused', async () => {
    const old = authnRequest({ instant: new Date(harness.clock.now().getTime() - 10 * 60_000) });
    expect(await refusal(await harness.browser().request(redirectUrl(old.xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_REQUEST_EXPIRED',
    });
    const future = authnRequest({ instant: new Date(harness.clock.now().getTime() + 10 * 60_000) });
    expect(await refusal(await harness.browser().request(redirectUrl(future.xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_REQUEST_EXPIRED',
    });
  });

  it('a request addressed to another endpoint is refused; a signed POST must name its destination', async () => {
    const elsewhere = authnRequest({ destination: 'https://other-idp.example/sso' });
    expect(await refusal(await harness.browser().request(redirectUrl(elsewhere.xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_DESTINATION_MISMATCH',
    });
    const missing = signedPost(authnRequest({ destination: null }).xml);
    expect(await refusal(await post(harness.browser(), missing))).toEqual({
      status: 403,
      code: 'SSO_SAML_DESTINATION_MISMATCH',
    });
  });

  it('an unknown service provider is refused', async () => {
    const { xml } = authnRequest({ issuer: 'https://unknown.example/sp' });
    expect(await refusal(await harness.browser().request(redirectUrl(xml)))).toEqual({
      status: 403,
      code: 'SSO_SAML_SP_UNKNOWN',
    });
  });
});

describe('authentication requirements', () => {
  it('an HTTP-POST request without a visible session looks again from a same-site GET, then asks to sign in', async () => {
    const browser = harness.browser();
    const response = await post(browser, signedPost(authnRequest().xml));
    const continueUrl = new URL(response.headers.get('location') ?? '', ssoUrl);
    expect(continueUrl.pathname).toMatch(/^\/sso\/saml\/continue\//);
    const signIn = await browser.request(continueUrl.href);
    expect(new URL(signIn.headers.get('location') ?? '', ssoUrl).pathname).toBe('/sso/signin');
  });

  it('ForceAuthn asks a signed-in person to sign in again', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const response = await browser.request(redirectUrl(authnRequest({ forceAuthn: true }).xml));
    const location = new URL(response.headers.get('location') ?? '', ssoUrl);
    expect(location.pathname).toBe('/sso/signin');
    expect(location.searchParams.get('reauth')).toBe('1');
  });

  it('IsPassive without a session answers NoPassive to the app instead of showing a page', async () => {
    const page = await harness.browser().follow(redirectUrl(authnRequest({ isPassive: true }).xml));
    const posted = readPostedResponse(page.body);
    expect(decodeBase64(posted?.fields.SAMLResponse ?? '')).toContain(
      'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
    );
  });
});
