import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedLaunch } from '../src/ports.ts';
import { districtId } from './support/fixtures.ts';
import { authorize, errorCodeOf } from './support/flows.ts';
import { apps, createHarness, type Harness, passwordMethod, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

let harness: Harness;
let quiz: RelyingParty;
let spa: RelyingParty;

beforeAll(async () => {
  harness = await createHarness({
    signInMethods: [
      passwordMethod,
      {
        kind: 'lms',
        id: 'canvas',
        name: 'Canvas',
        issuer: 'https://canvas.example',
        clientId: 'tool-1',
        deploymentIds: ['dep-1'],
        match: [
          { claim: 'lis_person_sourcedid', attribute: 'sourcedId' },
          { claim: 'email', attribute: 'email' },
        ],
      },
    ],
  });
  quiz = new RelyingParty({
    issuer: harness.idp.urls.issuer,
    clientId: apps.quiz.oidc.clientId,
    clientSecret: quizSecret,
    redirectUri: apps.quiz.oidc.redirectUris[0] ?? '',
  });
  spa = new RelyingParty({
    issuer: harness.idp.urls.issuer,
    clientId: apps.spa.oidc.clientId,
    redirectUri: apps.spa.oidc.redirectUris[0] ?? '',
  });
  await quiz.discover();
  spa.metadata = quiz.metadata;
});
afterAll(() => harness.close());

async function signIn(rp: RelyingParty, username: string) {
  const request = rp.authorizationRequest({ scope: 'openid profile' });
  const end = await authorize(harness, harness.browser(), rp, request, username);
  const tokens = (await (await rp.exchange(end.code ?? '', { verifier: request.verifier })).json()) as Record<
    string,
    string
  >;
  return tokens;
}

const links = (token: string, method = 'GET', body?: unknown) =>
  fetch(`${harness.baseUrl}/links`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('account linking with learning platforms', () => {
  it('an app links its own account, and receives it at every later sign-on (only that app)', async () => {
    const first = await signIn(quiz, 'ada');
    expect(decodeJwt(first.id_token ?? '').linked_account_id).toBeUndefined();
    const linked = await links(first.access_token ?? '', 'PUT', {
      external_account_id: 'quiz-42',
      method: 'verified',
    });
    expect(linked.status).toBe(200);
    expect(await (await links(first.access_token ?? '')).json()).toMatchObject({
      external_account_id: 'quiz-42',
      method: 'verified',
    });
    expect(decodeJwt((await signIn(quiz, 'ada')).id_token ?? '').linked_account_id).toBe('quiz-42');
    expect(decodeJwt((await signIn(spa, 'ada')).id_token ?? '').linked_account_id).toBeUndefined();
    expect(await harness.stores.links.find('u-ada', 'app-quiz')).toMatchObject({
      externalAccountId: 'quiz-42',
    });
    expect((await harness.stores.audit.list({ type: 'link.created' }))[0]).toMatchObject({
      userId: 'u-ada',
      appId: 'app-quiz',
      detail: { method: 'verified' },
    });
  });

  it('an account linked to one person cannot be linked to another', async () => {
    const grace = await signIn(quiz, 'grace');
    const response = await links(grace.access_token ?? '', 'PUT', {
      external_account_id: 'quiz-42',
      method: 'created',
    });
    expect(response.status).toBe(409);
  });

  it('unlinking removes the claim', async () => {
    const tokens = await signIn(quiz, 'grace');
    await links(tokens.access_token ?? '', 'PUT', { external_account_id: 'quiz-7', method: 'created' });
    expect((await links(tokens.access_token ?? '', 'DELETE')).status).toBe(204);
    expect((await links(tokens.access_token ?? '')).status).toBe(404);
    expect(decodeJwt((await signIn(quiz, 'grace')).id_token ?? '').linked_account_id).toBeUndefined();
  });

  it('needs a valid access token and a well-formed body', async () => {
    expect((await links('not-a-real-token-0123456789')).status).toBe(401);
    const tokens = await signIn(quiz, 'ada');
    expect(
      (await links(tokens.access_token ?? '', 'PUT', { method: 'maybe', external_account_id: 'x' })).status,
    ).toBe(400);
  });
});

describe('sign-in from an LMS launch', () => {
  const launch = (overrides: Partial<VerifiedLaunch> = {}): VerifiedLaunch => ({
    issuer: 'https://canvas.example',
    clientId: 'tool-1',
    deploymentId: 'dep-1',
    subject: 'canvas-user-9',
    claims: { lis_person_sourcedid: 'stu-alan', email: 'someone@else.example' },
    ...overrides,
  });
  const launchRequest = () => new Request(`${harness.baseUrl}/lti/launch`, { method: 'POST' });

  it('a verified launch from the district’s LMS becomes a Passport session for the matched roster user', async () => {
    const response = await harness.idp.signInFromLaunch(launchRequest(), launch());
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sso/portal');
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('passport_session='));
    const browser = harness.browser();
    browser.setCookie(
      new URL(harness.origin).host,
      'passport_session',
      decodeURIComponent(/^passport_session=([^;]+)/.exec(cookie ?? '')?.[1] ?? ''),
    );
    const portal = await browser.follow(`${harness.baseUrl}/portal`);
    expect(portal.body).toContain('Hello, Alan Turing');
    expect((await harness.stores.audit.list({ type: 'signin.succeeded' }))[0]).toMatchObject({
      userId: 'u-alan',
      via: 'canvas',
    });
  });

  it('falls back to the next rule when a claim is missing, and goes on to a return path', async () => {
    const response = await harness.idp.signInFromLaunch(
      launchRequest(),
      launch({ claims: { email: 'grace.hopper@maple.k12.example' } }),
      '/sso/portal?from=lms',
    );
    expect(response.headers.get('location')).toBe('/sso/portal?from=lms');
  });

  it('refuses launches from registrations the district did not connect, and unmatched people', async () => {
    expect(
      errorCodeOf(
        await (await harness.idp.signInFromLaunch(launchRequest(), launch({ deploymentId: 'dep-2' }))).text(),
      ),
    ).toBe('SSO_SIGNIN_METHOD_UNAVAILABLE');
    expect(
      errorCodeOf(
        await (
          await harness.idp.signInFromLaunch(launchRequest(), launch({ issuer: 'https://moodle.example' }))
        ).text(),
      ),
    ).toBe('SSO_SIGNIN_METHOD_UNAVAILABLE');
    const unmatched = await harness.idp.signInFromLaunch(
      launchRequest(),
      launch({ claims: { lis_person_sourcedid: 'nobody' } }),
    );
    expect(unmatched.status).toBe(403);
    expect(errorCodeOf(await unmatched.text())).toBe('SSO_ROSTER_NO_MATCH');
    const unsafe = await harness.idp.signInFromLaunch(launchRequest(), launch(), 'https://evil.example/');
    expect(errorCodeOf(await unsafe.text())).toBe('SSO_REDIRECT_UNSAFE');
  });

  it('an LMS method has no button on the sign-in page', async () => {
    const page = await harness.browser().follow(`${harness.baseUrl}/signin?district=${districtId}`);
    expect(page.body).not.toContain('Canvas');
    expect(page.body).toContain('password-form');
  });
});
