import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../src/adapters/memory/memory-stores-bundle.ts';
import { createSsoIdp } from '../src/sso-idp.ts';
import { Browser, readForms } from './support/browser.ts';
import { districtId, password, rosterUsers, TestClock } from './support/fixtures.ts';
import { apps, grants, passwordMethod, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

/**
 * The same handler in a second host: called in process, no server, no port, and behind an https base URL (so
 * cookies are `__Host-` and `Secure`). The loopback tests mount it in Node's http through `toNodeListener`.
 */
describe('the handler in process, over https', () => {
  it('signs a student in through the code flow with PKCE', async () => {
    const stores = createMemoryStores();
    const idp = createSsoIdp({
      baseUrl: 'https://sso.maple.example/sso',
      stores,
      clock: new TestClock(),
      secrets: { cookies: ['c'.repeat(32)], pairwise: 'p'.repeat(32) },
    });
    for (const user of rosterUsers) stores.roster.save(user);
    await stores.districts.saveDistrict({ districtId, name: 'Maple', signInMethods: [passwordMethod] });
    await idp.setPassword({ districtId, username: 'ada', userId: 'u-ada', password });
    await idp.registerApp(apps.quiz);
    const quizGrant = grants.find((grant) => grant.appId === 'app-quiz');
    if (quizGrant === undefined) throw new Error('fixture');
    await idp.grantApp(quizGrant);

    const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
      idp.handle(new Request(input, init))) as typeof fetch;
    const browser = new Browser(inProcess);
    const rp = new RelyingParty({
      issuer: idp.urls.issuer,
      clientId: apps.quiz.oidc.clientId,
      clientSecret: quizSecret,
      redirectUri: apps.quiz.oidc.redirectUris[0] ?? '',
      fetch: inProcess,
    });
    await rp.discover();
    expect(rp.metadata?.token_endpoint).toBe('https://sso.maple.example/sso/oidc/token');
    const request = rp.authorizationRequest({ scope: 'openid profile', extra: { district: districtId } });
    const page = await browser.follow(request.url, { stopAt: rp.redirectUri });
    const form = readForms(page.body).find((candidate) => candidate.action.endsWith('/signin/password'));
    const posted = await browser.submit(page.url, form ?? { action: '', method: 'post', fields: {} }, {
      username: 'ada',
      password,
    });
    expect(
      posted.headers.getSetCookie().some((cookie) => /^__Host-passport_session=.*; Secure/.test(cookie)),
    ).toBe(true);
    const back = await browser.follow(new URL(posted.headers.get('location') ?? '', page.url).href, {
      stopAt: rp.redirectUri,
    });
    const { code } = rp.callback(back.url, request.state);
    const tokens = (await (await rp.exchange(code ?? '', { verifier: request.verifier })).json()) as Record<
      string,
      string
    >;
    expect(decodeJwt(tokens.id_token ?? '').name).toBe('Ada Lovelace');
    await rp.verifyIdToken(tokens.id_token ?? '', request.nonce);
  });
});
