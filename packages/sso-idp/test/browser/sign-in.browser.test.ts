import {
  createLtiPlatform,
  createLtiTool,
  type LtiLaunch,
  type LtiPlatform,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryPlatformRegistry,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '@passport/lti13';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInMethod, VerifiedLaunch } from '../../src/ports.ts';
import { districtId } from '../support/fixtures.ts';
import { createHarness, type Harness, passwordMethod } from '../support/harness.ts';
import { type Served, serveLater } from '../support/serve.ts';

/**
 * Sign-in methods that only a real browser exercises, in headless Chromium over loopback HTTP:
 * - sign-in from an LMS launch: an LMS (the `@passport/lti13` platform, on 127.0.0.1) launches the host's LTI tool
 *   (`@passport/lti13`, mounted beside Passport on localhost); the tool verifies the launch and hands it to
 *   `idp.signInFromLaunch`, and the student lands in the portal signed in;
 * - badge sign-in: the badge URL's fragment is read by the page's script and posted; or, where the browser reads
 *   QR codes (`BarcodeDetector`, stubbed here because Chromium on Linux has none), the page scans the badge with
 *   the camera and keeps the sign-in's `return_to`.
 */
const chromiumPath = process.env.PASSPORT_CHROMIUM ?? '/usr/bin/chromium';
const lisClaim = 'https://purl.imsglobal.org/spec/lti/claim/lis';

let browser: Browser;
let passport: Harness;
let lms: Served & { setHandler(handler: (request: Request) => Promise<Response>): void };
let platform: LtiPlatform;

/** What the host hands Passport from a launch `@passport/lti13` verified. */
function verifiedLaunch(launch: LtiLaunch): VerifiedLaunch {
  return {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    subject: launch.user.id ?? '',
    claims: {
      ...(launch.user.email === undefined ? {} : { email: launch.user.email }),
      ...(launch.lis?.person_sourcedid === undefined
        ? {}
        : { lis_person_sourcedid: launch.lis.person_sourcedid }),
    },
  };
}

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
      // A synthetic camera for the in-page badge scanner (the QR reading itself is stubbed per page).
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  lms = await serveLater();
  platform = createLtiPlatform({
    issuer: lms.origin,
    tools: new MemoryToolRegistry(),
    keys: new MemoryKeyStore(),
    pendingLaunches: new MemoryPendingLaunchStore(),
    replayGuard: new MemoryReplayGuard(),
    gradebook: new MemoryGradebook(),
    memberships: new MemoryMembershipSource(),
  });
  const registry = new MemoryPlatformRegistry();
  const lmsMethod: SignInMethod = {
    kind: 'lms',
    id: 'canvas',
    name: 'Canvas',
    issuer: platform.urls.issuer,
    clientId: 'passport-tool',
    deploymentIds: ['1'],
    match: [{ claim: 'lis_person_sourcedid', attribute: 'sourcedId' }],
  };
  const badgeMethod: SignInMethod = { kind: 'badge', id: 'badge', name: 'Sign in with my badge' };
  // Passport and its LTI tool share one origin, so the session cookie the launch sets is Passport's.
  passport = await createHarness({
    hostname: 'localhost',
    signInMethods: [passwordMethod, lmsMethod, badgeMethod],
    host: (idp, origin) => {
      const tool = createLtiTool({
        launchUrl: `${origin}/lti/launch`,
        registry,
        loginStates: new MemoryLoginStateStore(),
        keys: new MemoryKeyStore(),
        onLaunch: (launch, request) => idp.signInFromLaunch(request, verifiedLaunch(launch)),
      });
      return (request) => {
        const path = new URL(request.url).pathname;
        if (path === '/lti/login') return tool.login(request);
        if (path === '/lti/launch') return tool.launch(request);
        if (path === '/lti/jwks') return tool.jwks(request);
        return idp.handle(request);
      };
    },
  });
  await platform.registerTool({
    clientId: 'passport-tool',
    loginUrl: `${passport.origin}/lti/login`,
    redirectUris: [`${passport.origin}/lti/launch`],
    targetLinkUri: `${passport.origin}/lti/launch`,
    jwksUri: `${passport.origin}/lti/jwks`,
    scopes: [],
    deploymentIds: ['1'],
    status: 'active',
  });
  await registry.saveRegistration({
    issuer: platform.urls.issuer,
    clientId: 'passport-tool',
    authorizationEndpoint: platform.urls.authorize,
    tokenEndpoint: platform.urls.token,
    jwksUri: platform.urls.jwks,
    status: 'active',
  });
  await registry.saveDeployment({
    issuer: platform.urls.issuer,
    clientId: 'passport-tool',
    deploymentId: '1',
  });
  // The LMS: a course page whose link launches Passport for the learner named in the query.
  lms.setHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/course') {
      const learner = url.searchParams.get('learner') ?? '';
      return new Response(
        `<!doctype html><title>Course</title><h1>Course</h1><a id="open-passport" href="/start?learner=${encodeURIComponent(learner)}">Open Passport</a>`,
        { headers: { 'content-type': 'text/html' } },
      );
    }
    if (url.pathname === '/start') {
      const sourcedId = url.searchParams.get('learner') ?? '';
      return platform.launchResponse({
        clientId: 'passport-tool',
        deploymentId: '1',
        userId: `canvas-${sourcedId}`,
        roles: ['Learner'],
        context: { id: 'course-7' },
        resourceLink: { id: 'link-1' },
        extraClaims: { [lisClaim]: { person_sourcedid: sourcedId } },
      });
    }
    return platform.handle(request);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await passport?.close();
  await lms?.close();
});

describe('in headless Chromium', () => {
  it('a student launched from the LMS lands in the Passport portal, signed in', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${lms.origin}/course?learner=stu-ada`);
      await page.click('#open-passport');
      await page.waitForURL(`${passport.baseUrl}/portal`, { timeout: 20_000 });
      expect(await page.textContent('body')).toContain('Ada');
      const [event] = await passport.stores.audit.list({ type: 'signin.succeeded' });
      expect(event).toMatchObject({ userId: 'u-ada', districtId, via: 'canvas' });
      // The session is real: the portal still knows her on a fresh load.
      await page.goto(`${passport.baseUrl}/portal`);
      expect(new URL(page.url()).pathname).toBe('/sso/portal');
    } finally {
      await page.close();
    }
  });

  it('a launch for someone the roster does not know shows the refusal page, and no session', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${lms.origin}/course?learner=stu-unknown`);
      await page.click('#open-passport');
      await page.locator('#error-code').waitFor({ timeout: 20_000 });
      expect(await page.textContent('#error-code')).toBe('SSO_ROSTER_NO_MATCH');
      await page.goto(`${passport.baseUrl}/portal`);
      expect(new URL(page.url()).pathname).toBe('/sso/signin');
    } finally {
      await page.close();
    }
  });

  it('opening a badge URL signs its student in: the page’s script posts the fragment, which no request carries', async () => {
    const badge = await passport.idp.issueBadge({ districtId, userId: 'u-alan' });
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    try {
      await page.goto(badge.url);
      await page.waitForURL(`${passport.baseUrl}/portal`, { timeout: 20_000 });
      expect(await page.textContent('body')).toContain('Alan');
      const secret = new URL(badge.url).hash.slice(1).split('.')[1] ?? '';
      expect(requested.some((url) => url.includes(secret))).toBe(false); // never in a URL sent anywhere
    } finally {
      await page.close();
    }
  });

  it('scanning a badge on the sign-in page ignores other codes, signs in and goes on to return_to', async () => {
    const badge = await passport.idp.issueBadge({ districtId, userId: 'u-ada' });
    const context = await browser.newContext({ permissions: ['camera'] });
    const codes = [
      'https://evil.example/signin#AAAA',
      `${passport.baseUrl}/signin/badge/other-district#${new URL(badge.url).hash.slice(1)}`,
      'not a url',
      badge.url,
    ];
    await context.addInitScript((values: string[]) => {
      let call = 0;
      (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
        async detect() {
          const rawValue = values[Math.min(call++, values.length - 1)];
          return [{ rawValue }];
        }
      };
    }, codes);
    const page = await context.newPage();
    try {
      const returnTo = '/sso/portal?from=scan';
      await page.goto(
        `${passport.baseUrl}/signin?district=${districtId}&return_to=${encodeURIComponent(returnTo)}`,
      );
      await page.click('#badge-signin');
      await page.click('#scan-badge');
      await page.waitForURL(`${passport.origin}${returnTo}`, { timeout: 20_000 });
      expect(await page.textContent('body')).toContain('Ada');
      const failures = await passport.stores.audit.list({ type: 'signin.failed' });
      expect(failures.filter((event) => event.detail?.badgeId !== undefined)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without a QR reader in the browser the scan button stays hidden', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector;
    });
    const page = await context.newPage();
    try {
      await page.goto(`${passport.baseUrl}/signin/badge/${districtId}`);
      expect(await page.isVisible('#badge-form')).toBe(true);
      expect(await page.isHidden('#scan-badge')).toBe(true);
    } finally {
      await context.close();
    }
  });
});
