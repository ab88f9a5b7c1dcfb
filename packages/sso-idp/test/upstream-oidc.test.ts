import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcUpstream } from '../src/ports.ts';
import { districtId, rosterUsers } from './support/fixtures.ts';
import { errorCodeOf } from './support/flows.ts';
import { createHarness, type Harness } from './support/harness.ts';

/**
 * The district's Google is a second Passport instance (an OpenID provider with its own directory, on `localhost`
 * so its cookies never mix with Passport's on 127.0.0.1). Passport signs people in through it and matches them
 * to the roster by email.
 */
let google: Harness;
let passport: Harness;
const clientSecret = 'passport-at-google-secret-0123456789abcdef';

function googleMethod(overrides: Partial<OidcUpstream> = {}): OidcUpstream {
  return {
    kind: 'oidc',
    id: 'google',
    name: 'Google',
    issuer: google.idp.urls.issuer,
    clientId: 'passport-maple',
    clientSecret,
    match: [{ claim: 'email', attribute: 'email' }],
    ...overrides,
  };
}

beforeAll(async () => {
  google = await createHarness({ hostname: 'localhost', basePath: '' });
  passport = await createHarness({ signInMethods: [] });
  await passport.stores.districts.saveDistrict({
    districtId,
    name: 'Maple School District',
    signInMethods: [
      googleMethod(),
      googleMethod({ id: 'google-domains', allowedEmailDomains: ['@other-district.example'] }),
      googleMethod({
        id: 'google-sis',
        scopes: ['openid', 'roster'],
        match: [{ claim: 'roster_sourced_id', attribute: 'sourcedId' }],
      }),
    ],
  });
  // Google's directory knows one more person than the roster does.
  const ada = rosterUsers[0];
  if (ada === undefined) throw new Error('fixture');
  (google.stores.roster as { save(user: unknown): void }).save({
    ...ada,
    userId: 'g-stranger',
    username: 'stranger',
    email: 'stranger@maple.k12.example',
    sourcedId: 'S1001',
  });
  await google.idp.setPassword({
    districtId,
    username: 'stranger',
    userId: 'g-stranger',
    password: 'correct horse battery staple',
  });
  const callbacks = ['google', 'google-domains', 'google-sis'].map((id) =>
    passport.idp.urls.upstreamCallback(districtId, id),
  );
  await google.idp.registerApp({
    appId: 'passport',
    partnerId: 'passport',
    name: 'Passport',
    oidc: { clientId: 'passport-maple', clientSecret, redirectUris: callbacks, subjectType: 'public' },
  });
  await google.idp.grantApp({
    districtId,
    appId: 'passport',
    claims: ['email', 'name', 'roster_sourced_id'],
  });
});
afterAll(async () => {
  await passport.close();
  await google.close();
});

/** From Passport's sign-in button through Google's password page and back; returns the last response. */
async function signInWithGoogle(username: string, methodId = 'google') {
  const browser = passport.browser();
  const start = `${passport.baseUrl}/signin/upstream/${districtId}/${methodId}?return_to=${encodeURIComponent('/sso/portal')}`;
  const atGoogle = await browser.follow(start);
  expect(new URL(atGoogle.url).host).toBe(new URL(google.origin).host);
  const posted = await google.signInWithPassword(browser, atGoogle.url, atGoogle.body, username);
  let step = await browser.follow(new URL(posted.headers.get('location') ?? '', atGoogle.url).href, {
    stopAt: passport.baseUrl,
  });
  // Stopped at Passport's callback: make that request and look at its answer.
  const callback = await browser.request(step.url);
  step = { url: step.url, response: callback, body: callback.status === 303 ? '' : await callback.text() };
  return { browser, step };
}

describe('upstream OpenID Connect sign-in (Google, Entra ID)', () => {
  it('signs in through the district’s provider and matches the roster user by email', async () => {
    const { browser, step } = await signInWithGoogle('grace');
    expect(step.response.status).toBe(303);
    expect(step.response.headers.get('location')).toBe('/sso/portal');
    const portal = await browser.follow(`${passport.baseUrl}/portal`);
    expect(portal.body).toContain('Hello, Grace Hopper');
    expect((await passport.stores.audit.list({ type: 'signin.succeeded' }))[0]).toMatchObject({
      userId: 'u-grace',
      via: 'google',
    });
  });

  it('matches on another claim when the district says so (a roster id)', async () => {
    const { browser, step } = await signInWithGoogle('alan', 'google-sis');
    expect(step.response.status).toBe(303);
    const portal = await browser.follow(`${passport.baseUrl}/portal`);
    expect(portal.body).toContain('Hello, Alan Turing');
  });

  it('no roster match: a clear page and an audit entry, and no new roster user', async () => {
    const { step } = await signInWithGoogle('stranger');
    expect(step.response.status).toBe(403);
    expect(errorCodeOf(step.body)).toBe('SSO_ROSTER_NO_MATCH');
    expect((await passport.stores.audit.list({ type: 'signin.unmatched' }))[0]).toMatchObject({
      code: 'SSO_ROSTER_NO_MATCH',
      via: 'google',
      detail: { claim: 'email', value: 'stranger@maple.k12.example' },
    });
    expect(
      await passport.stores.roster.findUsersBy(districtId, 'email', 'stranger@maple.k12.example'),
    ).toEqual([]);
  });

  it('an email outside the district’s allowed domains is not matched', async () => {
    const { step } = await signInWithGoogle('ada', 'google-domains');
    expect(errorCodeOf(step.body)).toBe('SSO_ROSTER_NO_MATCH');
  });

  it('a callback with a state that was not issued to this browser is refused', async () => {
    const { step } = await signInWithGoogle('ada');
    expect(step.response.status).toBe(303);
    const replay = await passport.browser().request(step.url);
    expect(replay.status).toBe(400);
    expect(errorCodeOf(await replay.text())).toBe('SSO_UPSTREAM_STATE_INVALID');
  });

  it('a state started in one browser cannot be finished in another (login CSRF)', async () => {
    const attacker = passport.browser();
    const atGoogle = await attacker.follow(`${passport.baseUrl}/signin/upstream/${districtId}/google`);
    const posted = await google.signInWithPassword(attacker, atGoogle.url, atGoogle.body, 'alan');
    const step = await attacker.follow(new URL(posted.headers.get('location') ?? '', atGoogle.url).href, {
      stopAt: passport.baseUrl,
    });
    const victim = passport.browser();
    const response = await victim.request(step.url);
    expect(errorCodeOf(await response.text())).toBe('SSO_UPSTREAM_STATE_INVALID');
  });

  it('the provider’s refusal is shown as such and audited', async () => {
    const browser = passport.browser();
    const atGoogle = await browser.request(`${passport.baseUrl}/signin/upstream/${districtId}/google`);
    const authorize = new URL(atGoogle.headers.get('location') ?? '');
    const callback = new URL(passport.idp.urls.upstreamCallback(districtId, 'google'));
    callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
    callback.searchParams.set('error', 'access_denied');
    const response = await browser.request(callback.href);
    expect(response.status).toBe(403);
    expect(errorCodeOf(await response.text())).toBe('SSO_UPSTREAM_REFUSED');
    expect((await passport.stores.audit.list({ type: 'signin.failed' }))[0]).toMatchObject({
      code: 'SSO_UPSTREAM_REFUSED',
      detail: { error: 'access_denied' },
    });
  });

  it('an unknown sign-in method is refused', async () => {
    const response = await passport
      .browser()
      .request(`${passport.baseUrl}/signin/upstream/${districtId}/facebook`);
    expect(errorCodeOf(await response.text())).toBe('SSO_SIGNIN_METHOD_UNAVAILABLE');
  });
});
