import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleApp } from '../support/example-app.ts';
import { startServiceProvider } from '../support/example-service-provider.ts';
import { districtId, password } from '../support/fixtures.ts';
import { createHarness, type Harness, passwordMethod } from '../support/harness.ts';
import { credentials } from '../support/saml.ts';

/**
 * Headless Chromium against real loopback servers. Passport runs on 127.0.0.1; the example app, the SAML service
 * provider and the district's "Google" (a second Passport) on localhost, which Chromium treats as another site.
 */
const chromiumPath = process.env.PASSPORT_CHROMIUM ?? '/usr/bin/chromium';
const appSecret = 'example-app-secret-0123456789-abcdefghij';
const googleSecret = 'passport-at-google-secret-0123456789abcdef';

let browser: Browser;
let passport: Harness;
let google: Harness;
let app: Awaited<ReturnType<typeof startExampleApp>>;
let serviceProvider: Awaited<ReturnType<typeof startServiceProvider>>;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  google = await createHarness({ hostname: 'localhost', basePath: '/google' });
  passport = await createHarness({
    signInMethods: [passwordMethod],
    idp: { saml: { signing: [credentials.idp] } },
  });
  await passport.stores.districts.saveDistrict({
    districtId,
    name: 'Maple School District',
    signInMethods: [
      passwordMethod,
      {
        kind: 'oidc',
        id: 'google',
        name: 'Google',
        issuer: google.idp.urls.issuer,
        clientId: 'passport-maple',
        clientSecret: googleSecret,
        match: [{ claim: 'email', attribute: 'email' }],
      },
    ],
  });
  await google.idp.registerApp({
    appId: 'passport',
    partnerId: 'passport',
    name: 'Passport',
    oidc: {
      clientId: 'passport-maple',
      clientSecret: googleSecret,
      redirectUris: [passport.idp.urls.upstreamCallback(districtId, 'google')],
    },
  });
  await google.idp.grantApp({ districtId, appId: 'passport', claims: ['email', 'name'] });

  app = await startExampleApp({
    issuer: passport.idp.urls.issuer,
    clientId: 'example-app',
    clientSecret: appSecret,
  });
  await passport.idp.registerApp({
    appId: 'app-example',
    partnerId: 'partner-example',
    name: 'Example Quiz App',
    launchUrl: `${app.origin}/login`,
    oidc: {
      clientId: 'example-app',
      clientSecret: appSecret,
      redirectUris: [app.redirectUri],
      requirePkce: true,
    },
  });
  await passport.idp.grantApp({
    districtId,
    appId: 'app-example',
    roles: ['student', 'teacher'],
    claims: ['name', 'role'],
  });

  serviceProvider = await startServiceProvider({ idpMetadataUrl: `${passport.baseUrl}/saml/metadata` });
  await passport.idp.registerApp({
    appId: 'app-saml-example',
    partnerId: 'partner-example',
    name: 'Example SAML App',
    saml: {
      entityId: serviceProvider.entityId,
      assertionConsumerServices: [{ url: serviceProvider.acs }],
      signingCertificates: [credentials.sp.certificate],
      nameIdFormat: 'persistent',
      attributes: [
        { name: 'displayName', claim: 'name' },
        { name: 'role', claim: 'role' },
      ],
    },
  });
  await passport.idp.grantApp({ districtId, appId: 'app-saml-example', claims: ['name', 'role'] });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([app?.close(), serviceProvider?.close(), passport?.close(), google?.close()]);
});

async function withPage(run: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await run(page);
  } finally {
    await context.close();
  }
}

/** On Passport's sign-in page: pick the district, then sign in with the password form. */
async function signInWithPassword(page: Page, username: string) {
  await page.click('#districts a');
  await page.fill('#password-form input[name=username]', username);
  await page.fill('#password-form input[name=password]', password);
  await page.click('#password-form button[type=submit]');
}

describe('in headless Chromium', () => {
  it('the example app signs a student in through the code flow with PKCE', async () => {
    await withPage(async (page) => {
      await page.goto(`${app.origin}/`);
      await page.click('#sign-in');
      await page.waitForURL((url) => url.pathname === '/sso/signin');
      await signInWithPassword(page, 'ada');
      await page.waitForURL((url) => url.href.startsWith(`${app.origin}/callback`));
      expect(await page.textContent('#welcome')).toBe('Welcome, Ada Lovelace');
      expect(await page.textContent('#role')).toBe('student');
      expect(await page.textContent('#sub')).not.toBe('u-ada');
      const cookies = await page.context().cookies(passport.origin);
      const session = cookies.find((cookie) => cookie.name === 'passport_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Lax');
    });
  });

  it('a district picked in the app skips Passport’s district picker', async () => {
    await withPage(async (page) => {
      await page.goto(`${app.origin}/login?district=${districtId}`);
      await page.waitForSelector('#password-form');
      await page.fill('#password-form input[name=username]', 'grace');
      await page.fill('#password-form input[name=password]', password);
      await page.click('#password-form button[type=submit]');
      await page.waitForURL((url) => url.href.startsWith(`${app.origin}/callback`));
      expect(await page.textContent('#role')).toBe('teacher');
    });
  });

  it('a person outside the grant sees the refusal page, not the app', async () => {
    await withPage(async (page) => {
      await page.goto(`${app.origin}/login`);
      await page.waitForURL((url) => url.pathname === '/sso/signin');
      await signInWithPassword(page, 'parent');
      await page.waitForSelector('#error-code');
      expect(await page.textContent('#error-code')).toBe('SSO_GRANT_ROLE_EXCLUDED');
      await page.click('#return-to-app');
      await page.waitForURL((url) => url.href.startsWith(`${app.origin}/callback`));
      expect(await page.textContent('#error')).toBe('access_denied');
    });
  });

  it('a SAML service provider signs in through SP-initiated SSO (auto-posting response)', async () => {
    await withPage(async (page) => {
      await page.goto(`${serviceProvider.origin}/login`);
      await page.waitForURL((url) => url.pathname === '/sso/signin');
      await signInWithPassword(page, 'ada');
      await page.waitForURL(`${serviceProvider.origin}/acs`);
      expect(await page.textContent('#welcome')).toBe('Hello, Ada Lovelace');
      expect(await page.textContent('#role')).toBe('student');
    });
  });

  it('a portal tile signs in to the SAML app (IdP-initiated) and to the OIDC app', async () => {
    await withPage(async (page) => {
      await page.goto(`${passport.baseUrl}/portal`);
      await signInWithPassword(page, 'grace');
      await page.waitForURL((url) => url.pathname === '/sso/portal');
      const tiles = await page.$$eval('#app-tiles a', (links) =>
        links.map((link) => link.getAttribute('data-app-id')),
      );
      expect(tiles).toEqual(expect.arrayContaining(['app-example', 'app-saml-example']));
      await page.click('a[data-app-id="app-saml-example"]');
      await page.waitForURL(`${serviceProvider.origin}/acs`);
      expect(await page.textContent('#welcome')).toBe('Hello, Grace Hopper');
      await page.goto(`${passport.baseUrl}/portal`);
      await page.click('a[data-app-id="app-example"]');
      await page.waitForURL((url) => url.href.startsWith(`${app.origin}/callback`));
      expect(await page.textContent('#welcome')).toBe('Welcome, Grace Hopper');
    });
  });

  it('upstream sign-in through the district’s Google (a second Passport) reaches the example app', async () => {
    await withPage(async (page) => {
      await page.goto(`${app.origin}/login?district=${districtId}`);
      await page.click('#upstream-google');
      await page.waitForURL(
        (url) => url.host === new URL(google.origin).host && url.pathname.endsWith('/signin'),
      );
      await signInWithPassword(page, 'alan');
      await page.waitForURL((url) => url.href.startsWith(`${app.origin}/callback`));
      expect(await page.textContent('#welcome')).toBe('Welcome, Alan Turing');
      expect((await passport.stores.audit.list({ type: 'signin.succeeded' }))[0]).toMatchObject({
        userId: 'u-alan',
        via: 'google',
      });
    });
  });
});
