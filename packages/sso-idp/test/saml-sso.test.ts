import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './support/browser.ts';
import { districtId } from './support/fixtures.ts';
import { errorCodeOf, signInToPassport } from './support/flows.ts';
import { createHarness, type Harness } from './support/harness.ts';
import {
  atlasAcs,
  atlasServiceProvider,
  atlasSlo,
  credentials,
  decodeBase64,
  passportIdentityProvider,
  readPostedResponse,
  samlApps,
  validateSamlSchema,
} from './support/saml.ts';

let harness: Harness;
let idp: Awaited<ReturnType<typeof passportIdentityProvider>>;
const sp = atlasServiceProvider();

beforeAll(async () => {
  harness = await createHarness({
    idp: { saml: { signing: [credentials.idp, credentials.idpNext] } },
  });
  for (const app of Object.values(samlApps)) await harness.idp.registerApp(app);
  await harness.idp.grantApp({
    districtId,
    appId: 'app-atlas',
    roles: ['student', 'teacher'],
    claims: ['name', 'email', 'role', 'class_ids'],
  });
  await harness.idp.grantApp({ districtId, appId: 'app-mail', claims: ['email'] });
  idp = await passportIdentityProvider(`${harness.baseUrl}/saml/metadata`);
});
afterAll(() => harness.close());

/** Walks from a URL (or a response) to the auto-posting SAML response page, signing in as `username` if asked. */
async function toAcs(browser: Browser, start: string, username?: string) {
  let step = await browser.follow(start);
  if (username !== undefined && new URL(step.url).pathname.endsWith('/signin')) {
    const posted = await harness.signInWithPassword(browser, step.url, step.body, username);
    step = await browser.follow(new URL(posted.headers.get('location') ?? '', step.url).href);
  }
  return step;
}

async function parseAtAtlas(body: string) {
  const posted = readPostedResponse(body);
  if (posted === undefined) throw new Error(`no SAML response in ${body.slice(-700)}`);
  const parsed = await sp.parseLoginResponse(idp, 'post', { body: posted.fields });
  return { posted, parsed, xml: decodeBase64(posted.fields.SAMLResponse ?? '') };
}

describe('metadata', () => {
  it('publishes the entity, both signing certificates, and both SSO bindings', async () => {
    const response = await fetch(`${harness.baseUrl}/saml/metadata`);
    const xml = await response.text();
    expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
    expect(xml).toContain(`entityID="${harness.baseUrl}/saml/metadata"`);
    expect(xml).toContain('WantAuthnRequestsSigned="true"');
    expect(xml).toContain(
      `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${harness.baseUrl}/saml/sso"`,
    );
    expect(xml).toContain(
      `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${harness.baseUrl}/saml/sso"`,
    );
    const body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    expect(xml).toContain(body(credentials.idp.certificate));
    expect(xml).toContain(body(credentials.idpNext.certificate));
  });
});

describe('SP-initiated sign-on', () => {
  it('HTTP-Redirect: signs a student in with a signed, schema-valid response and the mapped attributes', async () => {
    const browser = harness.browser();
    const { id, context } = sp.createLoginRequest(idp, 'redirect') as { id: string; context: string };
    const step = await toAcs(browser, context, 'ada');
    const { posted, parsed, xml } = await parseAtAtlas(step.body);
    expect(posted.action).toBe(atlasAcs);
    await validateSamlSchema(xml);
    expect(xml).toContain('SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(xml).toContain('DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"');
    expect((xml.match(/<ds:Signature\s/g) ?? []).length).toBe(2); // response and assertion
    expect(parsed.extract.response?.inResponseTo).toBe(id);
    expect(parsed.extract.audience).toBe(samlApps.atlas.saml.entityId);
    expect(parsed.extract.nameID).not.toBe('u-ada');
    expect(parsed.extract.attributes).toEqual({
      'urn:oid:0.9.2342.19200300.100.1.3': 'ada.lovelace@maple.k12.example',
      displayName: 'Ada Lovelace',
      role: 'student',
      classes: ['class-math-7', 'class-art-7'],
    });
    expect((await harness.stores.audit.list({ type: 'sso.issued' }))[0]).toMatchObject({
      appId: 'app-atlas',
      via: 'saml',
      detail: { initiated: 'sp' },
    });
  });

  it('HTTP-POST: a signed AuthnRequest posted to the SSO endpoint signs in', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'grace');
    const request = sp.createLoginRequest(idp, 'post') as {
      id: string;
      context: string;
      entityEndpoint: string;
    };
    const posted = await browser.request(request.entityEndpoint, {
      method: 'POST',
      form: { SAMLRequest: request.context, RelayState: 'deep/link' },
    });
    // Signed in already: the answer is the auto-posting page itself.
    expect(posted.status).toBe(200);
    const { parsed, posted: form } = await parseAtAtlas(await posted.text());
    expect(form.fields.RelayState).toBe('deep/link');
    expect(parsed.extract.response?.inResponseTo).toBe(request.id);
    expect(parsed.extract.attributes?.role).toBe('teacher');
  });

  it('persistent NameIDs are stable per app; other apps get other identifiers', async () => {
    const first = await parseAtAtlas(
      (
        await toAcs(
          harness.browser(),
          (sp.createLoginRequest(idp, 'redirect') as { context: string }).context,
          'ada',
        )
      ).body,
    );
    const second = await parseAtAtlas(
      (
        await toAcs(
          harness.browser(),
          (sp.createLoginRequest(idp, 'redirect') as { context: string }).context,
          'ada',
        )
      ).body,
    );
    expect(first.parsed.extract.nameID).toBe(second.parsed.extract.nameID);
    expect(first.xml).toContain('Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"');
  });

  it('an AuthnRequest naming an unregistered assertion consumer URL is refused on a page', async () => {
    const browser = harness.browser();
    const { context } = sp.createLoginRequest(idp, 'redirect', {
      customTagReplacement: (template: string) => {
        const id = '_unregistered_acs';
        const xml = template
          .replace('{ID}', id)
          .replace('{Destination}', `${harness.baseUrl}/saml/sso`)
          .replace('{Issuer}', samlApps.atlas.saml.entityId)
          .replace('{IssueInstant}', harness.clock.now().toISOString())
          .replace('{AssertionConsumerServiceURL}', 'https://evil.example/acs')
          .replace('{ProtocolBinding}', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST')
          .replace(
            / ForceAuthn="\{ForceAuthn\}"| AssertionConsumerServiceIndex="\{AssertionConsumerServiceIndex\}"/g,
            '',
          )
          .replace('{NameIDFormat}', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')
          .replace('{AllowCreate}', 'true');
        return { id, context: xml };
      },
    }) as { context: string };
    const response = await browser.request(context);
    expect(response.status).toBe(403);
    expect(errorCodeOf(await response.text())).toBe('SSO_SAML_ACS_UNREGISTERED');
  });

  it('a NameID format the app is not set up for gets an InvalidNameIDPolicy response', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const { context } = sp.createLoginRequest(idp, 'redirect', {
      customTagReplacement: (template: string) => {
        const id = '_wrong_format';
        const xml = template
          .replace('{ID}', id)
          .replace('{Destination}', `${harness.baseUrl}/saml/sso`)
          .replace('{Issuer}', samlApps.atlas.saml.entityId)
          .replace('{IssueInstant}', harness.clock.now().toISOString())
          .replace('{AssertionConsumerServiceURL}', atlasAcs)
          .replace('{ProtocolBinding}', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST')
          .replace(
            / ForceAuthn="\{ForceAuthn\}"| AssertionConsumerServiceIndex="\{AssertionConsumerServiceIndex\}"/g,
            '',
          )
          .replace('{NameIDFormat}', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')
          .replace('{AllowCreate}', 'true');
        return { id, context: xml };
      },
    }) as { context: string };
    const step = await browser.follow(context);
    const posted = readPostedResponse(step.body);
    const xml = decodeBase64(posted?.fields.SAMLResponse ?? '');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy');
    await expect(sp.parseLoginResponse(idp, 'post', { body: posted?.fields ?? {} })).rejects.toThrow(
      /ERR_FAILED_STATUS/,
    );
  });

  it('refuses a user outside the grant with a clear page', async () => {
    const browser = harness.browser();
    const { context } = sp.createLoginRequest(idp, 'redirect') as { context: string };
    const step = await toAcs(browser, context, 'parent');
    expect(step.response.status).toBe(403);
    expect(errorCodeOf(step.body)).toBe('SSO_GRANT_ROLE_EXCLUDED');
    expect(step.body).toContain('Return to Atlas Maps');
    expect((await harness.stores.audit.list({ type: 'sso.refused' }))[0]).toMatchObject({
      appId: 'app-atlas',
      via: 'saml',
      code: 'SSO_GRANT_ROLE_EXCLUDED',
    });
  });
});

describe('IdP-initiated sign-on', () => {
  it('a portal tile signs in to a SAML app without a request', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const portal = await browser.follow(`${harness.baseUrl}/portal`);
    expect(portal.body).toContain('data-app-id="app-atlas"');
    const step = await browser.follow(`${harness.baseUrl}/saml/launch/app-atlas`);
    const { parsed, xml } = await parseAtAtlas(step.body);
    expect(xml).not.toContain('InResponseTo');
    expect(parsed.extract.attributes?.displayName).toBe('Ada Lovelace');
  });

  it('emailAddress NameID and an assertion-only signature for an app that asks for that', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const step = await browser.follow(`${harness.baseUrl}/saml/launch/app-mail`);
    const posted = readPostedResponse(step.body);
    const xml = decodeBase64(posted?.fields.SAMLResponse ?? '');
    expect(posted?.action).toBe('https://mail.example/acs');
    expect(xml).toContain(
      '<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada.lovelace@maple.k12.example</saml:NameID>',
    );
    expect((xml.match(/<ds:Signature\s/g) ?? []).length).toBe(1);
    await validateSamlSchema(xml);
  });
});

describe('single logout', () => {
  async function signedInAtAtlas(username: string) {
    const browser = harness.browser();
    const { context } = sp.createLoginRequest(idp, 'redirect') as { context: string };
    const { parsed } = await parseAtAtlas((await toAcs(browser, context, username)).body);
    return {
      browser,
      nameId: parsed.extract.nameID as string,
      sessionIndex: parsed.extract.sessionIndex?.sessionIndex as string,
    };
  }

  it('an SP-initiated LogoutRequest ends the Passport session and gets a signed success response', async () => {
    const { browser, nameId, sessionIndex } = await signedInAtAtlas('ada');
    const { context } = sp.createLogoutRequest(
      idp,
      'redirect',
      { logoutNameID: nameId, sessionIndex },
      'bye',
    ) as {
      context: string;
    };
    const response = await browser.request(context);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(atlasSlo);
    const octetString = location.search.slice(1).replace(/&Signature=[^&]*$/, '');
    const parsed = await sp.parseLogoutResponse(idp, 'redirect', {
      query: Object.fromEntries(location.searchParams),
      octetString,
    });
    expect(parsed.extract.response?.inResponseTo).toBeDefined();
    expect(location.searchParams.get('RelayState')).toBe('bye');
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(303);
  });

  it('a LogoutRequest for someone else keeps the session and answers UnknownPrincipal', async () => {
    const { browser, sessionIndex } = await signedInAtAtlas('ada');
    const { context } = sp.createLogoutRequest(idp, 'redirect', {
      logoutNameID: 'someone-else',
      sessionIndex,
    }) as {
      context: string;
    };
    const response = await browser.request(context);
    const location = new URL(response.headers.get('location') ?? '');
    const xml = (await import('node:zlib'))
      .inflateRawSync(Buffer.from(location.searchParams.get('SAMLResponse') ?? '', 'base64'))
      .toString();
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal');
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(200);
  });

  it('signing out of Passport sends a signed LogoutRequest to each SAML app, then finishes', async () => {
    const { browser, nameId } = await signedInAtAtlas('grace');
    const portal = await browser.follow(`${harness.baseUrl}/portal`);
    const signOut = (await import('./support/browser.ts'))
      .readForms(portal.body)
      .find((form) => form.action.endsWith('/signout'));
    const response = await browser.submit(portal.url, signOut ?? { action: '', method: 'post', fields: {} });
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(atlasSlo);
    const octetString = location.search.slice(1).replace(/&Signature=[^&]*$/, '');
    const request = await sp.parseLogoutRequest(idp, 'redirect', {
      query: Object.fromEntries(location.searchParams),
      octetString,
    });
    expect(request.extract.nameID).toBe(nameId);
    const answer = sp.createLogoutResponse(
      idp,
      { extract: request.extract },
      'redirect',
      location.searchParams.get('RelayState') ?? '',
    ) as {
      context: string;
    };
    const back = await browser.request(answer.context);
    expect(new URL(back.headers.get('location') ?? '', harness.baseUrl).pathname).toBe('/sso/signin');
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(303);
  });

  it('an unsigned LogoutRequest is refused', async () => {
    const { browser, nameId, sessionIndex } = await signedInAtAtlas('ada');
    const { context } = sp.createLogoutRequest(idp, 'redirect', { logoutNameID: nameId, sessionIndex }) as {
      context: string;
    };
    const unsigned = context.replace(/&SigAlg=[^&]*/, '').replace(/&Signature=[^&]*/, '');
    const response = await browser.request(unsigned);
    expect(response.status).toBe(403);
    expect(errorCodeOf(await response.text())).toBe('SSO_SAML_SIGNATURE_REQUIRED');
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(200);
  });
});
