import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryRosterDirectory } from '../src/adapters/memory/memory-directories.ts';
import type { SignInMethod } from '../src/ports.ts';
import { type Browser, readForms } from './support/browser.ts';
import { districtId, rosterUsers } from './support/fixtures.ts';
import { errorCodeOf } from './support/flows.ts';
import { createHarness, type Harness, passwordMethod } from './support/harness.ts';
import { decodeQr, modulesFromSvg } from './support/qr-decode.ts';

const badgeMethod: SignInMethod = { kind: 'badge', id: 'badge', name: 'Sign in with my badge' };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(
  options: { limits?: { perAddress: number; perAccount: number } } = {},
): Promise<Harness> {
  harness = await createHarness({
    signInMethods: [passwordMethod, badgeMethod],
    ...(options.limits === undefined
      ? {}
      : {
          idp: {
            signInLimits: {
              perAddress: { failures: options.limits.perAddress, windowSeconds: 60 },
              perAccount: { failures: options.limits.perAccount, lockSeconds: 900 },
            },
          },
        }),
  });
  return harness;
}

const tokenOf = (url: string) => new URL(url).hash.slice(1);

/** What a camera does with a badge: open its URL; the page's script posts the token from the fragment. */
async function scanBadge(browser: Browser, url: string, token = tokenOf(url)) {
  const page = await browser.follow(url);
  expect(page.response.status).toBe(200);
  const form = readForms(page.body).find((candidate) => candidate.action.includes('/signin/badge/'));
  if (form === undefined) throw new Error(`no badge form on ${page.url}`);
  return browser.submit(page.url, form, { badge: token });
}

async function signedInUser(h: Harness, browser: Browser) {
  const portal = await browser.follow(`${h.baseUrl}/portal`);
  return new URL(portal.url).pathname.endsWith('/portal') ? portal.body : undefined;
}

describe('badge issuing', () => {
  it('stores only a hash of the secret and puts the token in the URL fragment of the district’s badge page', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada', issuedBy: 'admin-1' });
    const url = new URL(badge.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.baseUrl}/signin/badge/${districtId}`);
    const token = tokenOf(badge.url);
    const [badgeId, secret] = token.split('.');
    expect(badgeId).toBe(badge.badgeId);
    const stored = await h.stores.badges.find(badge.badgeId);
    expect(stored?.userId).toBe('u-ada');
    expect(stored?.issuedBy).toBe('admin-1');
    expect(JSON.stringify(stored)).not.toContain(secret);
    const issued = await h.stores.audit.list({ type: 'badge.issued' });
    expect(issued.map((event) => [event.userId, event.detail?.badgeId])).toEqual([['u-ada', badge.badgeId]]);
    expect(JSON.stringify(issued)).not.toContain(secret);
  });

  it('refuses a teacher (students only by default), a disabled student and a district without badges', async () => {
    const h = await setUp();
    await expect(h.idp.issueBadge({ districtId, userId: 'u-grace' })).rejects.toMatchObject({
      code: 'SSO_BADGE_ROLE_EXCLUDED',
    });
    await expect(h.idp.issueBadge({ districtId, userId: 'u-gone' })).rejects.toMatchObject({
      code: 'SSO_USER_DISABLED',
    });
    await expect(h.idp.issueBadge({ districtId: 'elsewhere', userId: 'u-ada' })).rejects.toMatchObject({
      code: 'SSO_DISTRICT_UNKNOWN',
    });
    await h.stores.districts.saveDistrict({
      districtId: 'district-oak',
      name: 'Oak',
      signInMethods: [passwordMethod],
    });
    await expect(h.idp.issueBadge({ districtId: 'district-oak', userId: 'u-ada' })).rejects.toMatchObject({
      code: 'SSO_SIGNIN_METHOD_UNAVAILABLE',
    });
  });

  it('prints a class sheet: one badge per student with a QR code of that student’s badge URL', async () => {
    const h = await setUp();
    (h.stores.roster as MemoryRosterDirectory).save({
      ...rosterUsers[0],
      userId: 'u-ida',
      sourcedId: 'stu-ida',
      username: 'ida',
      givenName: 'Ida',
      familyName: 'Rhodes',
    } as (typeof rosterUsers)[number]);
    const response = await h.idp.badgeSheet({
      districtId,
      title: 'Math 7 · Ms. Hopper',
      classId: 'class-math-7',
      userIds: ['u-ada', 'u-ida'],
      issuedBy: 'teacher-grace',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const cards = [
      ...html.matchAll(
        /<figure class="badge" data-user-id="([^"]+)" data-badge-id="([^"]+)">([\s\S]*?)<\/figure>/g,
      ),
    ];
    expect(cards.map((card) => card[1])).toEqual(['u-ada', 'u-ida']);
    expect(html).toContain('Ada Lovelace');
    expect(html).toContain('Math 7 · Ms. Hopper');
    const issued = await h.stores.audit.list({ type: 'badge.issued' });
    expect(issued.map((event) => event.detail?.badgeId).sort()).toEqual(cards.map((card) => card[2]).sort());
    // Each card's QR code, read back with an independent decoder, is that badge's URL and signs in its student.
    const students = new Map([
      ['u-ada', 'Ada'],
      ['u-ida', 'Ida'],
    ]);
    for (const [, userId = '', badgeId = '', content = ''] of cards) {
      const svg = /<svg[\s\S]*<\/svg>/.exec(content)?.[0] ?? '';
      const url = decodeQr(modulesFromSvg(svg));
      expect(url.startsWith(`${h.baseUrl}/signin/badge/${districtId}#${badgeId}.`)).toBe(true);
      const browser = h.browser();
      expect((await scanBadge(browser, url)).status).toBe(303);
      expect(await signedInUser(h, browser)).toContain(students.get(userId));
    }
  });

  it('renders a badge URL as an SVG symbol that decodes to it, or as a PNG data URL', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    expect(decodeQr(modulesFromSvg(await h.idp.badgeQrCode(badge.url)))).toBe(badge.url);
    const png = await h.idp.badgeQrCode(badge.url, 'png');
    expect(png.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Buffer.from(png.slice('data:image/png;base64,'.length), 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('prints each student’s picture above the code, and refuses pictures from elsewhere', async () => {
    const h = await setUp();
    const picture = 'data:image/png;base64,iVBORw0KGgo=';
    const html = await (
      await h.idp.badgeSheet({
        districtId,
        title: 'Room 4',
        userIds: ['u-ada'],
        pictures: { 'u-ada': picture },
      })
    ).text();
    expect(html).toContain(`<img class="picture" src="${picture}" alt="Ada Lovelace">`);
    for (const elsewhere of [
      'https://tracker.example/ada.png',
      '//cdn.example/a.png',
      'javascript:alert(1)',
    ]) {
      await expect(
        h.idp.badgeSheet({
          districtId,
          title: 'Room 4',
          userIds: ['u-ada'],
          pictures: { 'u-ada': elsewhere },
        }),
      ).rejects.toMatchObject({ code: 'SSO_REQUEST_INVALID' });
    }
    expect((await h.stores.audit.list({ type: 'badge.issued' })).length).toBe(1);
  });

  it('checks every student before issuing any badge', async () => {
    const h = await setUp();
    await expect(
      h.idp.badgeSheet({
        districtId,
        title: 'Math 7',
        classId: 'class-math-7',
        userIds: ['u-ada', 'u-alan'],
      }),
    ).rejects.toMatchObject({ code: 'SSO_REQUEST_INVALID' });
    expect(await h.stores.audit.list({ type: 'badge.issued' })).toEqual([]);
    expect(await h.stores.badges.listByUser(districtId, 'u-ada')).toEqual([]);
  });
});

describe('badge sign-in over HTTP', () => {
  it('signs in the badge’s student with a new session and audits it', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const browser = h.browser();
    const posted = await scanBadge(browser, badge.url);
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/sso/portal');
    expect(await signedInUser(h, browser)).toContain('Ada');
    const [event] = await h.stores.audit.list({ type: 'signin.succeeded' });
    expect(event).toMatchObject({
      userId: 'u-ada',
      districtId,
      via: 'badge',
      detail: { badgeId: badge.badgeId },
    });
  });

  it('is reusable every day until revoked; a new session each time', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const first = h.browser();
    expect((await scanBadge(first, badge.url)).status).toBe(303);
    h.clock.advance(86_400);
    const second = h.browser();
    expect((await scanBadge(second, badge.url)).status).toBe(303);
    const cookie = (browser: Browser) =>
      [...browser.cookies(new URL(h.origin).host).entries()].find(([name]) => name.includes('session'))?.[1];
    expect(cookie(first)).not.toBe(cookie(second));
    expect((await h.stores.audit.list({ type: 'signin.succeeded' })).length).toBe(2);
  });

  it('a revoked badge stops working at once, and so does a replaced one', async () => {
    const h = await setUp();
    const old = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    h.clock.advance(60);
    const current = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const replaced = await scanBadge(h.browser(), old.url);
    expect(replaced.status).toBe(401);
    expect(errorCodeOf(await replaced.text())).toBe('SSO_BADGE_REVOKED');
    expect((await scanBadge(h.browser(), current.url)).status).toBe(303);
    expect(await h.idp.revokeBadges({ districtId, badgeId: current.badgeId, revokedBy: 'admin-1' })).toBe(1);
    expect(await h.idp.revokeBadges({ districtId, badgeId: current.badgeId })).toBe(0);
    const revoked = await scanBadge(h.browser(), current.url);
    expect(errorCodeOf(await revoked.text())).toBe('SSO_BADGE_REVOKED');
    const listed = await h.idp.listBadges({ districtId, userId: 'u-ada' });
    expect(listed.map((entry) => [entry.badgeId, entry.status])).toEqual([
      [current.badgeId, 'revoked'],
      [old.badgeId, 'revoked'],
    ]);
    expect(listed.every((entry) => !('secretHash' in entry))).toBe(true);
    const revocations = await h.stores.audit.list({ type: 'badge.revoked' });
    expect(revocations.map((event) => event.detail?.reason)).toEqual(['revoked', 'replaced']);
    const failed = await h.stores.audit.list({ type: 'signin.failed' });
    expect(failed.map((event) => [event.code, event.userId])).toEqual([
      ['SSO_BADGE_REVOKED', 'u-ada'],
      ['SSO_BADGE_REVOKED', 'u-ada'],
    ]);
  });

  it('revokes all of a user’s badges, and an expired badge is refused like a revoked one', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    expect(await h.idp.revokeBadges({ districtId, userId: 'u-ada' })).toBe(1);
    expect(errorCodeOf(await (await scanBadge(h.browser(), badge.url)).text())).toBe('SSO_BADGE_REVOKED');
    h.clock.advance(60);
    const expiring = await h.idp.issueBadge({
      districtId,
      userId: 'u-ada',
      expiresAt: new Date(h.clock.now().getTime() + 3_600_000),
    });
    expect((await scanBadge(h.browser(), expiring.url)).status).toBe(303);
    expect((await h.idp.listBadges({ districtId, userId: 'u-ada' }))[0]?.status).toBe('active');
    h.clock.advance(3601);
    expect((await h.idp.listBadges({ districtId, userId: 'u-ada' }))[0]?.status).toBe('expired');
    expect(errorCodeOf(await (await scanBadge(h.browser(), expiring.url)).text())).toBe('SSO_BADGE_REVOKED');
  });

  it('signs in only in its own district: another district’s badge page refuses it', async () => {
    const h = await setUp();
    await h.stores.districts.saveDistrict({
      districtId: 'district-oak',
      name: 'Oak',
      signInMethods: [badgeMethod],
    });
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const browser = h.browser();
    const elsewhere = await scanBadge(browser, `${h.baseUrl}/signin/badge/district-oak`, tokenOf(badge.url));
    expect(elsewhere.status).toBe(401);
    expect(errorCodeOf(await elsewhere.text())).toBe('SSO_BADGE_INVALID');
    expect(await signedInUser(h, browser)).toBeUndefined();
    const [failure] = await h.stores.audit.list({ type: 'signin.failed' });
    expect(failure).toMatchObject({ districtId: 'district-oak', code: 'SSO_BADGE_INVALID' });
    expect(failure?.userId).toBeUndefined();
    const noBadges = await h.browser().follow(`${h.baseUrl}/signin/badge/unknown-district`);
    expect(errorCodeOf(noBadges.body)).toBe('SSO_DISTRICT_UNKNOWN');
  });

  it('a wrong secret, an unknown badge and a malformed code get the same answer', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const browser = h.browser();
    const wrongSecret = `${badge.badgeId}.${'A'.repeat(43)}`;
    for (const token of [wrongSecret, `${'B'.repeat(16)}.${'A'.repeat(43)}`, 'not-a-badge']) {
      const response = await scanBadge(browser, badge.url.split('#')[0] ?? '', token);
      expect(response.status).toBe(401);
      expect(errorCodeOf(await response.text())).toBe('SSO_BADGE_INVALID');
    }
    expect(await signedInUser(h, browser)).toBeUndefined();
  });

  it('locks a badge after five wrong secrets, even for the right one, until the lock ends, and audits the lock', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const browser = h.browser();
    const page = badge.url.split('#')[0] ?? '';
    const codes: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await scanBadge(browser, page, `${badge.badgeId}.${String(attempt).repeat(43)}`);
      codes.push(errorCodeOf(await response.text()));
    }
    expect(codes).toEqual([...Array(4).fill('SSO_BADGE_INVALID'), 'SSO_SIGNIN_LOCKED']);
    const locked = await scanBadge(browser, badge.url);
    expect(locked.status).toBe(429);
    expect(errorCodeOf(await locked.text())).toBe('SSO_SIGNIN_LOCKED');
    expect((await h.stores.audit.list({ type: 'signin.locked' })).length).toBe(2);
    h.clock.advance(901);
    expect((await scanBadge(browser, badge.url)).status).toBe(303);
  });

  it('limits failures per client address across badges', async () => {
    const h = await setUp({ limits: { perAddress: 3, perAccount: 100 } });
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const page = badge.url.split('#')[0] ?? '';
    for (const letter of ['C', 'D', 'E'])
      await scanBadge(h.browser(), page, `${letter.repeat(16)}.${'A'.repeat(43)}`);
    const limited = await scanBadge(h.browser(), badge.url);
    expect(limited.status).toBe(429);
    expect(errorCodeOf(await limited.text())).toBe('SSO_SIGNIN_RATE_LIMITED');
  });

  it('a captured sign-in post replayed from another browser fails the CSRF check', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    const victim = h.browser();
    const page = await victim.follow(badge.url);
    const form = readForms(page.body).find((candidate) => candidate.action.includes('/signin/badge/'));
    const attacker = h.browser();
    const replayed = await attacker.submit(page.url, form ?? { action: '', method: 'post', fields: {} }, {
      badge: tokenOf(badge.url),
    });
    expect(replayed.status).toBe(403);
    expect(errorCodeOf(await replayed.text())).toBe('SSO_CSRF_INVALID');
    expect(await h.stores.audit.list({ type: 'signin.succeeded' })).toEqual([]);
  });

  it('refuses a badge whose student was disabled in the roster after it was printed', async () => {
    const h = await setUp();
    const badge = await h.idp.issueBadge({ districtId, userId: 'u-ada' });
    (h.stores.roster as MemoryRosterDirectory).save({
      ...(rosterUsers[0] as (typeof rosterUsers)[number]),
      enabled: false,
    });
    const response = await scanBadge(h.browser(), badge.url);
    expect(response.status).toBe(403);
    expect(errorCodeOf(await response.text())).toBe('SSO_USER_DISABLED');
  });

  it('the district sign-in page links to the badge page', async () => {
    const h = await setUp();
    const page = await h.browser().follow(`${h.baseUrl}/signin?district=${districtId}`);
    expect(page.body).toContain(`href="/sso/signin/badge/${districtId}?return_to=%2Fsso%2Fportal"`);
  });
});
