import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readForms } from './support/browser.ts';
import { authorize, errorCodeOf, signInToPassport } from './support/flows.ts';
import { apps, consentSecret, createHarness, type Harness, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

let harness: Harness;
let quiz: RelyingParty;
let spa: RelyingParty;

const relyingParty = (app: { oidc: { clientId: string; redirectUris: string[] } }, secret?: string) =>
  new RelyingParty({
    issuer: harness.idp.urls.issuer,
    clientId: app.oidc.clientId,
    ...(secret === undefined ? {} : { clientSecret: secret }),
    redirectUri: app.oidc.redirectUris[0] ?? '',
  });

beforeAll(async () => {
  harness = await createHarness();
  quiz = relyingParty(apps.quiz, quizSecret);
  spa = relyingParty(apps.spa);
  await quiz.discover();
  await spa.discover();
});
afterAll(() => harness.close());

/** Signs `username` in through `rp` and exchanges the code; returns the parsed token response. */
async function tokensFor(rp: RelyingParty, username: string, scope = 'openid profile', extra = {}) {
  const browser = harness.browser();
  const request = rp.authorizationRequest({ scope, extra });
  const end = await authorize(harness, browser, rp, request, username);
  expect(end.code, end.body.slice(0, 500)).toBeDefined();
  const response = await rp.exchange(end.code ?? '', { verifier: request.verifier });
  const tokens = (await response.json()) as Record<string, string>;
  expect(response.status, JSON.stringify(tokens)).toBe(200);
  return { tokens, request, browser };
}

describe('discovery and keys', () => {
  it('publishes the provider metadata under the issuer', () => {
    const metadata = quiz.metadata;
    expect(metadata?.issuer).toBe(`${harness.baseUrl}/oidc`);
    expect(metadata?.authorization_endpoint).toBe(`${harness.baseUrl}/oidc/auth`);
    expect(metadata?.response_types_supported).toEqual(['code']);
    expect(metadata?.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata?.subject_types_supported).toEqual(expect.arrayContaining(['public', 'pairwise']));
    expect(metadata?.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'profile', 'email', 'roster', 'classes']),
    );
    expect(metadata?.end_session_endpoint).toBe(`${harness.baseUrl}/oidc/session/end`);
  });

  it('serves only public key members in the JWKS', async () => {
    const jwks = (await (await fetch(quiz.metadata?.jwks_uri ?? '')).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key[member]).toBeUndefined();
    }
  });
});

describe('OpenID Connect Core rules, one by one', () => {
  it('nonce: the ID token carries the nonce of the request', async () => {
    const { tokens, request } = await tokensFor(quiz, 'ada');
    expect(decodeJwt(tokens.id_token ?? '').nonce).toBe(request.nonce);
    await expect(quiz.verifyIdToken(tokens.id_token ?? '', 'another-nonce')).rejects.toThrow(
      'nonce mismatch',
    );
  });

  it('state: returned unchanged, on success and on error', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest({ extra: { prompt: 'none' } });
    const end = await authorize(harness, browser, quiz, request);
    expect(end.error).toBe('login_required');
    expect(new URL(end.url).searchParams.get('state')).toBe(request.state);
    const { request: second, browser: signedIn } = await tokensFor(quiz, 'ada');
    expect(second.state).toBeDefined();
    expect(signedIn).toBeDefined();
  });

  it('redirect URI: anything but an exact match of a registered URI is refused on a page, never redirected to', async () => {
    for (const redirectUri of [
      'https://quiz.example/callback/more',
      'https://quiz.example/callback?extra=1',
      'https://QUIZ.example/callback',
      'https://quiz.example/Callback',
      'http://quiz.example/callback',
      'https://evil.example/callback',
    ]) {
      const browser = harness.browser();
      const request = quiz.authorizationRequest({ redirectUri });
      const response = await browser.request(request.url);
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('invalid_redirect_uri');
    }
  });

  it('redirect URI: the token request must repeat the authorization request’s redirect URI', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest();
    const end = await authorize(harness, browser, quiz, request, 'ada');
    const response = await quiz.exchange(end.code ?? '', {
      verifier: request.verifier,
      redirectUri: 'https://quiz.example/other',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('code reuse: a second exchange fails and revokes what the first one issued', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest();
    const end = await authorize(harness, browser, quiz, request, 'ada');
    const first = await quiz.exchange(end.code ?? '', { verifier: request.verifier });
    const tokens = (await first.json()) as Record<string, string>;
    expect(first.status).toBe(200);
    expect((await quiz.userinfo(tokens.access_token ?? '')).status).toBe(200);
    const second = await quiz.exchange(end.code ?? '', { verifier: request.verifier });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await quiz.userinfo(tokens.access_token ?? '')).status).toBe(401);
  });

  it('PKCE: a public client without a code challenge is refused', async () => {
    const browser = harness.browser();
    const request = spa.authorizationRequest({ pkce: false });
    const end = await authorize(harness, browser, spa, request);
    expect(end.error).toBe('invalid_request');
    expect(new URL(end.url).searchParams.get('error_description')).toMatch(/PKCE|code_challenge/);
  });

  it('PKCE: the plain method is refused (no downgrade from S256)', async () => {
    const browser = harness.browser();
    const request = spa.authorizationRequest({
      pkce: false,
      extra: { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
    });
    const end = await authorize(harness, browser, spa, request);
    expect(end.error).toBe('invalid_request');
  });

  it('PKCE downgrade: a code issued for a challenge needs the matching verifier', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest();
    const end = await authorize(harness, browser, quiz, request, 'ada');
    const withoutVerifier = await quiz.exchange(end.code ?? '');
    expect(withoutVerifier.status).toBe(400);
    expect(await withoutVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const again = quiz.authorizationRequest();
    const second = await authorize(harness, browser, quiz, again, 'ada');
    const wrongVerifier = await quiz.exchange(second.code ?? '', { verifier: 'x'.repeat(43) });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE downgrade: a verifier sent for a code issued without a challenge is refused', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest({ pkce: false });
    const end = await authorize(harness, browser, quiz, request, 'ada');
    expect(end.code).toBeDefined();
    const response = await quiz.exchange(end.code ?? '', { verifier: request.verifier });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a public client exchanges its code with the verifier and no secret', async () => {
    const { tokens } = await tokensFor(spa, 'ada');
    expect(tokens.id_token).toBeDefined();
  });

  it('client authentication: a wrong secret is invalid_client', async () => {
    const impostor = new RelyingParty({
      issuer: quiz.issuer,
      clientId: apps.quiz.oidc.clientId,
      clientSecret: 'not-the-secret-0123456789-abcdefghijklmnop',
      redirectUri: quiz.redirectUri,
    });
    await impostor.discover();
    const response = await impostor.exchange('some-code');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('claims exactly as the grant allows', () => {
  it('userinfo and the ID token carry only the claims of the grant, even for scopes asking more', async () => {
    const { tokens } = await tokensFor(spa, 'ada', 'openid profile email roster classes');
    const idToken = decodeJwt(tokens.id_token ?? '');
    expect(idToken.name).toBe('Ada Lovelace');
    expect(idToken.role).toBe('student');
    for (const claim of ['email', 'given_name', 'school_ids', 'class_ids', 'district_id', 'grades']) {
      expect(idToken[claim], claim).toBeUndefined();
    }
    const userinfo = (await (await spa.userinfo(tokens.access_token ?? '')).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(userinfo).sort()).toEqual(['name', 'role', 'sub']);
  });

  it('a grant limited to some classes names only those classes', async () => {
    const classApp = relyingParty(apps.classOnly, 'class-secret-0123456789-abcdefghijklmnopq');
    await classApp.discover();
    const { tokens } = await tokensFor(classApp, 'ada', 'openid profile classes');
    expect(decodeJwt(tokens.id_token ?? '').class_ids).toEqual(['class-math-7']);
  });

  it('scopes not asked for are not released even when granted', async () => {
    const { tokens } = await tokensFor(quiz, 'ada', 'openid');
    const idToken = decodeJwt(tokens.id_token ?? '');
    expect(idToken.name).toBeUndefined();
    expect(idToken.email).toBeUndefined();
  });
});

describe('subjects', () => {
  it('pairwise subjects differ per app and stay stable; a public subject is the Passport user id', async () => {
    const first = decodeJwt((await tokensFor(quiz, 'ada')).tokens.id_token ?? '').sub;
    const again = decodeJwt((await tokensFor(quiz, 'ada')).tokens.id_token ?? '').sub;
    const otherApp = decodeJwt((await tokensFor(spa, 'ada')).tokens.id_token ?? '').sub;
    const publicApp = relyingParty(apps.publicSub, 'public-sub-secret-0123456789-abcdefghijk');
    await publicApp.discover();
    const publicSub = decodeJwt((await tokensFor(publicApp, 'ada')).tokens.id_token ?? '').sub;
    expect(first).toBe(again);
    expect(first).not.toBe(otherApp);
    expect(first).not.toBe('u-ada');
    expect(publicSub).toBe('u-ada');
  });
});

describe('refresh tokens', () => {
  it('offline_access with prompt=consent gives a rotating refresh token; a used one is refused', async () => {
    const { tokens } = await tokensFor(quiz, 'ada', 'openid profile offline_access', { prompt: 'consent' });
    expect(tokens.refresh_token).toBeDefined();
    const refreshed = await quiz.refresh(tokens.refresh_token ?? '');
    const next = (await refreshed.json()) as Record<string, string>;
    expect(refreshed.status, JSON.stringify(next)).toBe(200);
    expect(next.access_token).toBeDefined();
    expect(next.refresh_token).toBeDefined();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await quiz.refresh(tokens.refresh_token ?? '');
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('without offline_access there is no refresh token', async () => {
    const { tokens } = await tokensFor(quiz, 'ada');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('a grant withdrawn by the district stops refresh and userinfo', async () => {
    const { tokens } = await tokensFor(publicAppFor(), 'grace', 'openid profile offline_access', {
      prompt: 'consent',
    });
    await harness.stores.apps.removeGrant('district-maple', 'app-public-sub');
    try {
      const rp = publicAppFor();
      await rp.discover();
      const refreshed = await rp.refresh(tokens.refresh_token ?? '');
      expect(refreshed.status).toBe(400);
      expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
      expect((await rp.userinfo(tokens.access_token ?? '')).status).toBe(401);
    } finally {
      await harness.idp.grantApp({ districtId: 'district-maple', appId: 'app-public-sub', claims: ['name'] });
    }
  });
});

function publicAppFor() {
  const rp = relyingParty(apps.publicSub, 'public-sub-secret-0123456789-abcdefghijk');
  rp.metadata = quiz.metadata;
  return rp;
}

describe('prompt and max_age', () => {
  it('prompt=none with a Passport session signs in without any page', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const request = quiz.authorizationRequest({ extra: { prompt: 'none' } });
    const end = await authorize(harness, browser, quiz, request);
    expect(end.code).toBeDefined();
  });

  it('prompt=login asks for the password again even with a session', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const request = quiz.authorizationRequest({ extra: { prompt: 'login' } });
    const step = await browser.follow(request.url, { stopAt: quiz.redirectUri });
    expect(new URL(step.url).pathname).toBe('/sso/signin');
    expect(new URL(step.url).searchParams.get('reauth')).toBe('1');
    harness.clock.advance(1);
    const posted = await harness.signInWithPassword(browser, step.url, step.body, 'ada');
    const end = await browser.follow(new URL(posted.headers.get('location') ?? '', step.url).href, {
      stopAt: quiz.redirectUri,
    });
    expect(end.url.startsWith(quiz.redirectUri), `${browser.visited.join('\n')}\n${end.body}`).toBe(true);
    expect(quiz.callback(end.url, request.state).code).toBeDefined();
  });

  it('max_age: an older sign-in must be repeated, and auth_time is in the ID token', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'ada');
    const signedInAt = Math.floor(harness.clock.now().getTime() / 1000);
    harness.clock.advance(120);
    const request = quiz.authorizationRequest({ extra: { max_age: '60' } });
    const step = await browser.follow(request.url, { stopAt: quiz.redirectUri });
    expect(new URL(step.url).pathname).toBe('/sso/signin');
    const end = await authorize(harness, browser, quiz, request, 'ada');
    const response = await quiz.exchange(end.code ?? '', { verifier: request.verifier });
    const tokens = (await response.json()) as Record<string, string>;
    const authTime = decodeJwt(tokens.id_token ?? '').auth_time as number;
    expect(authTime).toBeGreaterThanOrEqual(signedInAt + 120);
  });
});

describe('district grants: sign-on refused outside them, with a clear page', () => {
  const cases = [
    { user: 'alan', app: 'quiz', code: 'SSO_GRANT_SCHOOL_EXCLUDED' },
    { user: 'parent', app: 'quiz', code: 'SSO_GRANT_ROLE_EXCLUDED' },
    { user: 'alan', app: 'classOnly', code: 'SSO_GRANT_CLASS_EXCLUDED' },
    { user: 'ada', app: 'ungranted', code: 'SSO_APP_NOT_GRANTED' },
  ] as const;
  for (const { user, app, code } of cases) {
    it(`${user} → ${app}: ${code}`, async () => {
      const secret = app === 'quiz' ? quizSecret : 'x'.repeat(40);
      const rp = relyingParty(apps[app], secret);
      rp.metadata = quiz.metadata;
      const browser = harness.browser();
      const request = rp.authorizationRequest();
      const end = await authorize(harness, browser, rp, request, user);
      expect(end.status).toBe(403);
      expect(errorCodeOf(end.body)).toBe(code);
      const events = await harness.stores.audit.list({ type: 'sso.refused' });
      expect(events[0]).toMatchObject({ code, appId: apps[app].appId });
      // "Return to the app" tells the app the user was not signed in.
      const back = readForms(end.body).find((form) => form.action.endsWith('/abort'));
      expect(back).toBeDefined();
      const returned = await browser.submit(end.url, back ?? { action: '', method: 'post', fields: {} });
      const location = returned.headers.get('location') ?? '';
      const final = await browser.follow(new URL(location, end.url).href, { stopAt: rp.redirectUri });
      expect(new URL(final.url).searchParams.get('error')).toBe('access_denied');
    });
  }

  it('prompt=none outside the grant answers access_denied to the app', async () => {
    const browser = harness.browser();
    await signInToPassport(harness, browser, 'alan');
    const request = quiz.authorizationRequest({ extra: { prompt: 'none' } });
    const end = await authorize(harness, browser, quiz, request);
    expect(end.error).toBe('access_denied');
  });

  it('a disabled roster user cannot sign in', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest();
    const end = await authorize(harness, browser, quiz, request, 'gone');
    expect(end.status).toBe(401);
    expect(errorCodeOf(end.body)).toBe('SSO_SIGNIN_FAILED');
  });
});

describe('consent where the district requires it', () => {
  const consentApp = () => {
    const rp = relyingParty(apps.consent, consentSecret);
    rp.metadata = quiz.metadata;
    return rp;
  };

  it('asks, lists only the granted claims, and signs in on Allow', async () => {
    const rp = consentApp();
    const browser = harness.browser();
    const request = rp.authorizationRequest({ scope: 'openid profile email roster' });
    const page = await authorize(harness, browser, rp, request, 'ada');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Consent Corner would like to know');
    expect(page.body).toContain('Your name');
    expect(page.body).toContain('Your email address');
    expect(page.body).not.toContain('Your role');
    const allow = readForms(page.body).find((form) => form.action.endsWith('/confirm'));
    const posted = await browser.submit(page.url, allow ?? { action: '', method: 'post', fields: {} });
    const end = await browser.follow(new URL(posted.headers.get('location') ?? '', page.url).href, {
      stopAt: rp.redirectUri,
    });
    expect(rp.callback(end.url, request.state).code).toBeDefined();
    expect((await harness.stores.audit.list({ type: 'consent.granted' }))[0]).toMatchObject({
      appId: 'app-consent',
      detail: { asked: 'yes' },
    });
  });

  it('Don’t allow returns access_denied to the app', async () => {
    const rp = consentApp();
    const browser = harness.browser();
    const request = rp.authorizationRequest();
    const page = await authorize(harness, browser, rp, request, 'ada');
    const deny = readForms(page.body).find((form) => form.action.endsWith('/abort'));
    const posted = await browser.submit(page.url, deny ?? { action: '', method: 'post', fields: {} });
    const end = await browser.follow(new URL(posted.headers.get('location') ?? '', page.url).href, {
      stopAt: rp.redirectUri,
    });
    expect(rp.callback(end.url, request.state).error).toBe('access_denied');
  });

  it('a consent post without the CSRF token is refused', async () => {
    const rp = consentApp();
    const browser = harness.browser();
    const request = rp.authorizationRequest();
    const page = await authorize(harness, browser, rp, request, 'ada');
    const allow = readForms(page.body).find((form) => form.action.endsWith('/confirm'));
    const posted = await browser.request(new URL(allow?.action ?? '', page.url).href, {
      method: 'POST',
      form: { csrf_token: 'forged' },
    });
    expect(posted.status).toBe(403);
    expect(errorCodeOf(await posted.text())).toBe('SSO_CSRF_INVALID');
  });
});

describe('logout', () => {
  it('RP-initiated logout ends the Passport session and returns to the registered URI with state', async () => {
    const { tokens, browser } = await tokensFor(quiz, 'ada');
    const url = new URL(quiz.metadata?.end_session_endpoint ?? '');
    url.searchParams.set('id_token_hint', tokens.id_token ?? '');
    url.searchParams.set('post_logout_redirect_uri', 'https://quiz.example/signed-out');
    url.searchParams.set('state', 'bye');
    const confirm = await browser.follow(url.href);
    expect(confirm.body).toContain('Sign out of Passport?');
    const form = readForms(confirm.body).find((candidate) => candidate.fields.xsrf !== undefined);
    const posted = await browser.submit(confirm.url, form ?? { action: '', method: 'post', fields: {} }, {
      logout: 'yes',
    });
    expect(posted.headers.get('location')).toBe('https://quiz.example/signed-out?state=bye');
    const portal = await browser.request(`${harness.baseUrl}/portal`);
    expect(new URL(portal.headers.get('location') ?? '', harness.baseUrl).pathname).toBe('/sso/signin');
    expect((await harness.stores.audit.list({ type: 'signout' }))[0]).toMatchObject({
      userId: 'u-ada',
      via: 'oidc',
    });
  });

  it('an unregistered post-logout redirect URI is refused', async () => {
    const { tokens, browser } = await tokensFor(quiz, 'ada');
    const url = new URL(quiz.metadata?.end_session_endpoint ?? '');
    url.searchParams.set('id_token_hint', tokens.id_token ?? '');
    url.searchParams.set('post_logout_redirect_uri', 'https://evil.example/');
    const response = await browser.request(url.href);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('signing out of Passport ends single sign-on for the apps', async () => {
    const { browser } = await tokensFor(quiz, 'ada');
    const portal = await browser.follow(`${harness.baseUrl}/portal`);
    const signOut = readForms(portal.body).find((form) => form.action.endsWith('/signout'));
    await browser.submit(portal.url, signOut ?? { action: '', method: 'post', fields: {} });
    const request = quiz.authorizationRequest({ extra: { prompt: 'none' } });
    const end = await authorize(harness, browser, quiz, request);
    expect(end.error).toBe('login_required');
  });
});

describe('key rotation with overlap', () => {
  it('new tokens are signed by the new key, the old key stays published for the overlap, then goes', async () => {
    const before = decodeProtectedHeader((await tokensFor(quiz, 'ada')).tokens.id_token ?? '').kid;
    const rotated = await harness.idp.rotateKeys();
    expect(rotated.retired).toContain(before);
    harness.clock.advance(31); // past the key cache
    const after = decodeProtectedHeader((await tokensFor(quiz, 'ada')).tokens.id_token ?? '').kid;
    expect(after).toBe(rotated.created);
    const jwks = (await (await fetch(quiz.metadata?.jwks_uri ?? '')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([rotated.created, before]);
    harness.clock.advance(86_400 + 31);
    const later = (await (await fetch(quiz.metadata?.jwks_uri ?? '')).json()) as { keys: { kid: string }[] };
    expect(later.keys.map((key) => key.kid)).toEqual([rotated.created]);
  });
});
