import { afterEach, describe, expect, it } from 'vitest';
import { readForms } from './support/browser.ts';
import { password } from './support/fixtures.ts';
import { errorCodeOf, signInToPassport } from './support/flows.ts';
import { createHarness, type Harness } from './support/harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function passwordForm(h: Harness, browser = h.browser(), returnTo?: string) {
  const query = returnTo === undefined ? '' : `&return_to=${encodeURIComponent(returnTo)}`;
  const page = await browser.follow(`${h.baseUrl}/signin?district=district-maple${query}`);
  const form = readForms(page.body).find((candidate) => candidate.action.endsWith('/signin/password'));
  if (form === undefined) throw new Error('no password form');
  return { browser, page, form };
}

describe('password sign-in', () => {
  it('a wrong password and an unknown username get the same answer', async () => {
    harness = await createHarness();
    const { browser, page, form } = await passwordForm(harness);
    const wrong = await browser.submit(page.url, form, { username: 'ada', password: 'nope' });
    const unknown = await browser.submit(page.url, form, { username: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(errorCodeOf(await wrong.text())).toBe('SSO_SIGNIN_FAILED');
    expect(errorCodeOf(await unknown.text())).toBe('SSO_SIGNIN_FAILED');
    const failures = await harness.stores.audit.list({ type: 'signin.failed' });
    expect(failures.map((event) => event.code)).toEqual(['SSO_SIGNIN_FAILED', 'SSO_SIGNIN_FAILED']);
  });

  it('locks an account after five failures, even for the right password, until the lock ends', async () => {
    harness = await createHarness();
    const { browser, page, form } = await passwordForm(harness);
    const codes: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await browser.submit(page.url, form, {
        username: 'grace',
        password: `guess-${attempt}`,
      });
      codes.push(errorCodeOf(await response.text()));
    }
    expect(codes).toEqual([...Array(4).fill('SSO_SIGNIN_FAILED'), 'SSO_SIGNIN_LOCKED']);
    const locked = await browser.submit(page.url, form, { username: 'grace', password });
    expect(locked.status).toBe(429);
    expect(errorCodeOf(await locked.text())).toBe('SSO_SIGNIN_LOCKED');
    expect((await harness.stores.audit.list({ type: 'signin.locked' })).length).toBe(2);
    // Other accounts are not affected.
    expect((await browser.submit(page.url, form, { username: 'ada', password })).status).toBe(303);
    harness.clock.advance(901);
    expect((await browser.submit(page.url, form, { username: 'grace', password })).status).toBe(303);
  });

  it('limits failures per client address across accounts', async () => {
    harness = await createHarness({
      idp: {
        signInLimits: {
          perAddress: { failures: 3, windowSeconds: 60 },
          perAccount: { failures: 100, lockSeconds: 60 },
        },
      },
    });
    const { browser, page, form } = await passwordForm(harness);
    for (const username of ['a1', 'a2', 'a3'])
      await browser.submit(page.url, form, { username, password: 'x' });
    const limited = await browser.submit(page.url, form, { username: 'ada', password });
    expect(limited.status).toBe(429);
    expect(errorCodeOf(await limited.text())).toBe('SSO_SIGNIN_RATE_LIMITED');
    harness.clock.advance(61);
    expect((await browser.submit(page.url, form, { username: 'ada', password })).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('refuses a sign-in post without the token, with a wrong one, or from another origin', async () => {
    harness = await createHarness();
    const { browser, page, form } = await passwordForm(harness);
    const action = new URL(form.action, page.url).href;
    const missing = await browser.request(action, {
      method: 'POST',
      form: { ...form.fields, csrf_token: '', username: 'ada', password },
    });
    expect(missing.status).toBe(403);
    expect(errorCodeOf(await missing.text())).toBe('SSO_CSRF_INVALID');
    const wrong = await browser.request(action, {
      method: 'POST',
      form: { ...form.fields, csrf_token: 'x'.repeat(43), username: 'ada', password },
    });
    expect(errorCodeOf(await wrong.text())).toBe('SSO_CSRF_INVALID');
    const crossSite = await browser.request(action, {
      method: 'POST',
      form: { ...form.fields, username: 'ada', password },
      headers: { origin: 'https://evil.example' },
    });
    expect(errorCodeOf(await crossSite.text())).toBe('SSO_CSRF_INVALID');
    const fresh = harness.browser(); // a browser that never had the cookie
    const noCookie = await fresh.request(action, {
      method: 'POST',
      form: { ...form.fields, username: 'ada', password },
    });
    expect(errorCodeOf(await noCookie.text())).toBe('SSO_CSRF_INVALID');
    expect((await harness.stores.audit.list({ type: 'signin.succeeded' })).length).toBe(0);
  });

  it('refuses a sign-out post without the token', async () => {
    harness = await createHarness();
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const response = await browser.request(`${harness.baseUrl}/signout`, { method: 'POST', form: {} });
    expect(response.status).toBe(403);
    const portal = await browser.request(`${harness.baseUrl}/portal`);
    expect(portal.status).toBe(200);
  });
});

describe('open redirects', () => {
  const unsafe = [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/sso/../evil',
    'javascript:alert(1)',
    '/other-app/page',
    '/sso/portal\r\nx: y',
  ];
  for (const returnTo of unsafe) {
    it(`return_to ${JSON.stringify(returnTo)} is refused`, async () => {
      harness = await createHarness();
      const browser = harness.browser();
      const page = await browser.request(
        `${harness.baseUrl}/signin?district=district-maple&return_to=${encodeURIComponent(returnTo)}`,
      );
      expect(page.status).toBe(400);
      expect(errorCodeOf(await page.text())).toBe('SSO_REDIRECT_UNSAFE');
    });
  }

  it('a tampered return_to in the sign-in form is refused before signing in', async () => {
    harness = await createHarness();
    const { browser, page, form } = await passwordForm(harness);
    const response = await browser.submit(page.url, form, {
      username: 'ada',
      password,
      return_to: 'https://evil.example/',
    });
    expect(response.status).toBe(400);
    expect(errorCodeOf(await response.text())).toBe('SSO_REDIRECT_UNSAFE');
    expect((await harness.stores.audit.list({ type: 'signin.succeeded' })).length).toBe(0);
  });

  it('a return_to on this server is followed after sign-in', async () => {
    harness = await createHarness();
    const { browser, page, form } = await passwordForm(harness, undefined, '/sso/portal?tab=apps');
    const response = await browser.submit(page.url, form, { username: 'ada', password });
    expect(response.headers.get('location')).toBe('/sso/portal?tab=apps');
  });
});

describe('sessions', () => {
  it('a sign-in replaces any session the browser had (no fixation), with HttpOnly SameSite cookies', async () => {
    harness = await createHarness();
    const browser = harness.browser();
    const first = await signInToPassport(harness, browser, 'ada');
    const cookie = first.headers.getSetCookie().find((value) => value.startsWith('passport_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const before = browser.cookies(new URL(harness.origin).host).get('passport_session');
    await signInToPassport(harness, browser, 'grace');
    const after = browser.cookies(new URL(harness.origin).host).get('passport_session');
    expect(after).not.toBe(before);
    const stale = harness.browser();
    stale.setCookie(new URL(harness.origin).host, 'passport_session', before ?? '');
    const portal = await stale.request(`${harness.baseUrl}/portal`);
    expect(portal.status).toBe(303);
  });

  it('rotates the cookie token after 15 minutes; the old token works only briefly', async () => {
    harness = await createHarness();
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const host = new URL(harness.origin).host;
    const original = browser.cookies(host).get('passport_session') ?? '';
    harness.clock.advance(16 * 60);
    const rotatedResponse = await browser.request(`${harness.baseUrl}/portal`);
    expect(rotatedResponse.status).toBe(200);
    const rotated = browser.cookies(host).get('passport_session');
    expect(rotated).not.toBe(original);
    const old = harness.browser();
    old.setCookie(host, 'passport_session', original);
    expect((await old.request(`${harness.baseUrl}/portal`)).status).toBe(200);
    harness.clock.advance(61);
    expect((await old.request(`${harness.baseUrl}/portal`)).status).toBe(303);
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(200);
  });

  it('ends on idle and at its absolute lifetime', async () => {
    harness = await createHarness();
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    harness.clock.advance(2 * 3600 + 1);
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(303);
    await signInToPassport(harness, browser, 'ada');
    for (let hour = 0; hour < 8; hour++) {
      harness.clock.advance(3600);
      await browser.request(`${harness.baseUrl}/portal`);
    }
    expect((await browser.request(`${harness.baseUrl}/portal`)).status).toBe(303);
  });

  it('uses __Host- prefixed Secure cookies when served over https', async () => {
    harness = await createHarness({ idp: { secureCookies: true } });
    const response = await harness.browser().request(`${harness.baseUrl}/signin?district=district-maple`);
    const csrf = response.headers.getSetCookie().find((value) => value.startsWith('__Host-passport_csrf='));
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/SameSite=Strict/);
    expect(csrf).toMatch(/Path=\//);
  });
});

describe('portal', () => {
  it('shows only the apps the district granted to this person', async () => {
    harness = await createHarness();
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const ada = await browser.follow(`${harness.baseUrl}/portal`);
    const tiles = [...ada.body.matchAll(/data-app-id="([^"]+)"/g)].map((match) => match[1]);
    expect(tiles).toEqual(['app-quiz', 'app-spa']);
    await signInToPassport(harness, browser, 'alan');
    const alan = await browser.follow(`${harness.baseUrl}/portal`);
    expect([...alan.body.matchAll(/data-app-id="([^"]+)"/g)].map((match) => match[1])).toEqual(['app-spa']);
  });

  it('escapes app names and user names', async () => {
    harness = await createHarness();
    await harness.idp.registerApp({
      appId: 'app-xss',
      partnerId: 'p',
      name: '<img src=x onerror=alert(1)>',
      launchUrl: 'https://xss.example/',
      oidc: { clientId: 'xss', redirectUris: ['https://xss.example/cb'] },
    });
    await harness.idp.grantApp({ districtId: 'district-maple', appId: 'app-xss', claims: [] });
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const page = await browser.follow(`${harness.baseUrl}/portal`);
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.response.headers.get('content-security-policy')).toContain("script-src 'none'");
  });
});
