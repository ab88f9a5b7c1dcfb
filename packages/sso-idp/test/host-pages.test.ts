import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readForms } from './support/browser.ts';
import { districtId } from './support/fixtures.ts';
import { createHarness, type Harness } from './support/harness.ts';

// A host (the reference server's console) serves its own pages beside Passport's SSO, signs people in through
// `/sso/signin?return_to=/console/...` and reads who they are with `idp.currentUser(request)`.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ idp: { hostPaths: ['/console'] } });
});
afterAll(() => harness.close());

const consoleRequest = (cookie: string) =>
  new Request(`${harness.origin}/console/districts`, { headers: cookie === '' ? {} : { cookie } });

describe('host pages using Passport sessions', () => {
  it('signs in with return_to naming a host page and reads the user from the session cookie', async () => {
    const browser = harness.browser();
    const page = await browser.follow(
      `${harness.baseUrl}/signin?district=${districtId}&return_to=${encodeURIComponent('/console/districts?x=1')}`,
    );
    const response = await harness.signInWithPassword(browser, page.url, page.body, 'ada');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/districts?x=1');

    const cookie = browser.cookieHeader(new URL(`${harness.origin}/console/districts`));
    const user = await harness.idp.currentUser(consoleRequest(cookie));
    expect(user).toMatchObject({ userId: 'u-ada', districtId, signInMethodId: 'password' });
    expect(user?.authTime).toBeInstanceOf(Date);

    // Sign out on the SSO side ends it for the host too.
    const portal = await browser.follow(`${harness.baseUrl}/portal`);
    const signOut = readForms(portal.body).find((form) => form.action.endsWith('/signout'));
    expect(signOut).toBeDefined();
    if (signOut !== undefined) await browser.submit(portal.url, signOut);
    expect(await harness.idp.currentUser(consoleRequest(cookie))).toBeUndefined();
  });

  it('ends the session for a host page sign-out, with a cookie that clears it in the browser', async () => {
    const browser = harness.browser();
    const page = await browser.follow(
      `${harness.baseUrl}/signin?district=${districtId}&return_to=%2Fconsole`,
    );
    await harness.signInWithPassword(browser, page.url, page.body, 'alan');
    const cookie = browser.cookieHeader(new URL(`${harness.origin}/console`));
    expect((await harness.idp.currentUser(consoleRequest(cookie)))?.userId).toBe('u-alan');

    const { setCookie } = await harness.idp.endSession(consoleRequest(cookie));
    expect(setCookie).toMatch(/^passport_session=;.*Max-Age=0/);
    expect(await harness.idp.currentUser(consoleRequest(cookie))).toBeUndefined();
    const audit = await harness.stores.audit.list({ userId: 'u-alan' });
    expect(audit.some((event) => event.type === 'signout' && event.via === 'host')).toBe(true);
  });

  it('gives undefined without a cookie or with a forged one', async () => {
    expect(await harness.idp.currentUser(consoleRequest(''))).toBeUndefined();
    expect(
      await harness.idp.currentUser(consoleRequest('passport_session=forged-token-0123456789abcdefghij')),
    ).toBeUndefined();
  });

  it('still refuses a return_to outside the SSO and the host paths (SSO_REDIRECT_UNSAFE)', async () => {
    const response = await fetch(`${harness.baseUrl}/signin?district=${districtId}&return_to=%2Fadmin`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('SSO_REDIRECT_UNSAFE');
  });

  it('refuses a host path option that is not a plain path (SSO_OPTIONS_INVALID)', async () => {
    await expect(createHarness({ idp: { hostPaths: ['console/'] } })).rejects.toMatchObject({
      code: 'SSO_OPTIONS_INVALID',
    });
  });
});
