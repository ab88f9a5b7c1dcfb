import { createMemoryStores, type MemoryStores } from '../../src/adapters/memory/memory-stores-bundle.ts';
import type { AppRegistration, DistrictGrant, SignInMethod } from '../../src/ports.ts';
import { createSsoIdp, type SsoIdp, type SsoIdpOptions, type SsoStores } from '../../src/sso-idp.ts';
import { Browser, decodeEntities, readForms } from './browser.ts';
import { districtId, password, rosterUsers, TestClock } from './fixtures.ts';
import { serveLater } from './serve.ts';

export const quizSecret = 'quiz-secret-0123456789-abcdefghijklmnop';
export const consentSecret = 'consent-secret-0123456789-abcdefghijklm';

export const apps = {
  quiz: {
    appId: 'app-quiz',
    partnerId: 'partner-quizzes',
    name: 'Quiz Town',
    launchUrl: 'https://quiz.example/login',
    oidc: {
      clientId: 'quiz-client',
      clientSecret: quizSecret,
      redirectUris: ['https://quiz.example/callback'],
      postLogoutRedirectUris: ['https://quiz.example/signed-out'],
    },
  },
  spa: {
    appId: 'app-spa',
    partnerId: 'partner-spa',
    name: 'Reading Rocket',
    launchUrl: 'https://spa.example/',
    oidc: { clientId: 'spa-client', redirectUris: ['https://spa.example/callback'] },
  },
  publicSub: {
    appId: 'app-public-sub',
    partnerId: 'partner-spa',
    name: 'Public Subject App',
    oidc: {
      clientId: 'public-sub-client',
      clientSecret: 'public-sub-secret-0123456789-abcdefghijk',
      redirectUris: ['https://public.example/callback'],
      subjectType: 'public',
    },
  },
  consent: {
    appId: 'app-consent',
    partnerId: 'partner-quizzes',
    name: 'Consent Corner',
    oidc: {
      clientId: 'consent-client',
      clientSecret: consentSecret,
      redirectUris: ['https://consent.example/cb'],
    },
  },
  classOnly: {
    appId: 'app-class',
    partnerId: 'partner-quizzes',
    name: 'Math Seven',
    oidc: {
      clientId: 'class-client',
      clientSecret: 'class-secret-0123456789-abcdefghijklmnopq',
      redirectUris: ['https://class.example/cb'],
    },
  },
  ungranted: {
    appId: 'app-ungranted',
    partnerId: 'partner-other',
    name: 'Not Enabled',
    oidc: {
      clientId: 'ungranted-client',
      clientSecret: 'ungranted-secret-0123456789-abcdefghijkl',
      redirectUris: ['https://ungranted.example/cb'],
    },
  },
} satisfies Record<string, AppRegistration>;

export const grants: DistrictGrant[] = [
  {
    districtId,
    appId: 'app-quiz',
    schoolIds: ['school-north'],
    roles: ['student', 'teacher'],
    claims: [
      'name',
      'given_name',
      'family_name',
      'email',
      'role',
      'district_id',
      'school_ids',
      'grades',
      'class_ids',
    ],
  },
  { districtId, appId: 'app-spa', claims: ['name', 'role'] },
  { districtId, appId: 'app-public-sub', claims: ['name'] },
  { districtId, appId: 'app-consent', claims: ['name', 'email'], requireConsent: true },
  { districtId, appId: 'app-class', classIds: ['class-math-7'], claims: ['name', 'class_ids'] },
];

export interface Harness {
  readonly idp: SsoIdp;
  readonly stores: MemoryStores;
  readonly clock: TestClock;
  readonly origin: string;
  readonly baseUrl: string;
  browser(): Browser;
  /** Walks the sign-in page with a password (from a page that shows it) and returns the next response. */
  signInWithPassword(
    browser: Browser,
    pageUrl: string,
    body: string,
    username: string,
    secret?: string,
  ): Promise<Response>;
  close(): Promise<void>;
}

export const passwordMethod: SignInMethod = { kind: 'password', id: 'password', name: 'Password' };

export async function createHarness(
  options: {
    basePath?: string;
    /** The host name in the origin (`localhost` for a second server whose cookies must not mix with the first's). */
    hostname?: string;
    stores?: SsoStores;
    signInMethods?: SignInMethod[];
    idp?: Partial<SsoIdpOptions>;
    /** What the server runs: by default the IdP's handler alone; a host mounts its own routes beside it. */
    host?: (idp: SsoIdp, origin: string) => (request: Request) => Promise<Response>;
  } = {},
): Promise<Harness> {
  const server = await serveLater(options.hostname === undefined ? {} : { hostname: options.hostname });
  const clock = new TestClock();
  const stores = (options.stores ?? createMemoryStores()) as MemoryStores;
  const baseUrl = `${server.origin}${options.basePath ?? '/sso'}`;
  let counter = 0;
  const idp = createSsoIdp({
    baseUrl,
    stores,
    clock,
    generateId: () => `id-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
    secrets: {
      cookies: ['cookie-secret-0123456789-abcdefghijklmnop'],
      pairwise: 'pairwise-secret-0123456789-abcdefghijklm',
    },
    ...options.idp,
  });
  server.setHandler(options.host === undefined ? idp.handle : options.host(idp, server.origin));
  for (const user of rosterUsers) (stores.roster as { save?: (user: unknown) => void }).save?.(user);
  await stores.districts.saveDistrict({
    districtId,
    name: 'Maple School District',
    signInMethods: options.signInMethods ?? [passwordMethod],
  });
  for (const app of Object.values(apps)) await idp.registerApp(app);
  for (const grant of grants) await idp.grantApp(grant);
  for (const user of rosterUsers) {
    if (user.username !== undefined) {
      await idp.setPassword({ districtId, username: user.username, userId: user.userId, password });
    }
  }
  return {
    idp,
    stores,
    clock,
    origin: server.origin,
    baseUrl,
    browser: () => new Browser(),
    async signInWithPassword(browser, pageUrl, body, username, secret = password) {
      const picker = /<ul id="districts">[\s\S]*?<a href="([^"]+)"/.exec(body);
      if (picker?.[1] !== undefined) {
        const next = new URL(decodeEntities(picker[1]), pageUrl).href;
        const page = await browser.follow(next);
        pageUrl = page.url;
        body = page.body;
      }
      const form = readForms(body).find(
        (candidate) => 'password' in candidate.fields || candidate.action.endsWith('/signin/password'),
      );
      if (form === undefined) throw new Error(`no password form on ${pageUrl}`);
      return browser.submit(pageUrl, form, { username, password: secret });
    },
    close: () => server.close(),
  };
}
