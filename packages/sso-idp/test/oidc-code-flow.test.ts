import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, createHarness, type Harness, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

let harness: Harness;
let quiz: RelyingParty;

beforeAll(async () => {
  harness = await createHarness();
  quiz = new RelyingParty({
    issuer: harness.idp.urls.issuer,
    clientId: apps.quiz.oidc.clientId,
    clientSecret: quizSecret,
    redirectUri: apps.quiz.oidc.redirectUris[0] ?? '',
  });
  await quiz.discover();
});
afterAll(() => harness.close());

describe('authorization code flow with PKCE over loopback', () => {
  it('signs a student in and releases the granted roster claims', async () => {
    const browser = harness.browser();
    const request = quiz.authorizationRequest({ scope: 'openid profile email roster classes' });
    const toSignIn = await browser.follow(request.url, { stopAt: quiz.redirectUri });
    expect(new URL(toSignIn.url).pathname).toBe('/sso/signin');
    const signedIn = await harness.signInWithPassword(browser, toSignIn.url, toSignIn.body, 'ada');
    expect(signedIn.status).toBe(303);
    const back = await browser.follow(new URL(signedIn.headers.get('location') ?? '', toSignIn.url).href, {
      stopAt: quiz.redirectUri,
    });
    if (!back.url.startsWith(quiz.redirectUri))
      throw new Error(`${back.url}\n${browser.visited.join('\n')}\n${back.body.slice(0, 2000)}`);
    const { code } = quiz.callback(back.url, request.state);
    expect(code).toBeDefined();
    const tokenResponse = await quiz.exchange(code ?? '', { verifier: request.verifier });
    const tokens = (await tokenResponse.json()) as Record<string, string>;
    expect(tokenResponse.status, JSON.stringify(tokens)).toBe(200);
    const idToken = await quiz.verifyIdToken(tokens.id_token ?? '', request.nonce);
    expect(idToken).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada.lovelace@maple.k12.example',
      role: 'student',
      district_id: 'district-maple',
      school_ids: ['school-north'],
      class_ids: ['class-math-7', 'class-art-7'],
      grades: ['07'],
    });
    expect(idToken.roster_sourced_id).toBeUndefined();
    expect(idToken.sub).not.toBe('u-ada');
    const userinfo = await quiz.userinfo(tokens.access_token ?? '');
    expect(await userinfo.json()).toMatchObject({ sub: idToken.sub, name: 'Ada Lovelace', role: 'student' });
  });
});
