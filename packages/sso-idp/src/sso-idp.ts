import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import { z } from 'zod';
import { parseAppRegistration, parseDistrictGrant } from './apps/app-schema.ts';
import { type AuditInput, type SsoContext, ssoUrls } from './context.ts';
import { SsoError } from './errors.ts';
import { errorPage } from './http/error-page.ts';
import { readForm } from './http/forms.ts';
import { redirect, withCookies } from './http/respond.ts';
import { safeReturnTo } from './http/return-to.ts';
import { KeyRing } from './keys/key-ring.ts';
import { handleLinks } from './linking/link-endpoint.ts';
import { withHashedClientSecret } from './oidc/client-secret.ts';
import { OpenIdProvider } from './oidc/openid-provider.ts';
import { portalPage } from './portal/portal-page.ts';
import type {
  AccountLinkStore,
  AppRegistration,
  AppRegistry,
  AttemptCounter,
  AuditLog,
  BadgeStore,
  DistrictGrant,
  DistrictRegistry,
  KeyStore,
  OidcArtifactStore,
  OneTimeStore,
  PasswordStore,
  RosterDirectory,
  SessionStore,
  VerifiedLaunch,
} from './ports.ts';
import type { SamlSigningCredential } from './saml/respond/sign.ts';
import { signingCredentialAt } from './saml/respond/signing-schedule.ts';
import { SamlIdentityProvider } from './saml/saml-identity-provider.ts';
import { CsrfGuard } from './sessions/csrf.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { type BadgeQrFormat, badgeQrCode } from './upstream/badge/badge-qr.ts';
import { type BadgeSheetInput, badgeSheet } from './upstream/badge/badge-sheet.ts';
import { badgeSignIn, showBadgePage } from './upstream/badge/badge-sign-in.ts';
import {
  type BadgeSummary,
  type IssueBadgeInput,
  type IssuedBadge,
  issueBadge,
  listBadges,
  revokeBadges,
} from './upstream/badge/issue-badge.ts';
import { lmsSignIn } from './upstream/lms/lms-sign-in.ts';
import { OidcUpstreamSignIn } from './upstream/oidc/oidc-sign-in.ts';
import { hashPassword } from './upstream/password/hash-password.ts';
import { defaultSignInLimits, type SignInLimits, SignInThrottle } from './upstream/password/limits.ts';
import { passwordSignIn } from './upstream/password/password-sign-in.ts';
import { SamlUpstreamSignIn } from './upstream/saml/saml-sign-in.ts';
import { signInPage } from './upstream/sign-in-page.ts';

/** The storage the identity provider needs; `createMemoryStores()` gives all of them in memory. */
export interface SsoStores {
  readonly apps: AppRegistry;
  readonly roster: RosterDirectory;
  readonly districts: DistrictRegistry;
  readonly sessions: SessionStore;
  readonly oidcArtifacts: OidcArtifactStore;
  readonly keys: KeyStore;
  readonly passwords: PasswordStore;
  readonly oneTime: OneTimeStore;
  readonly attempts: AttemptCounter;
  readonly audit: AuditLog;
  readonly links: AccountLinkStore;
  readonly badges: BadgeStore;
}

export interface SsoIdpOptions {
  /** The public URL Passport's SSO is served at (`https://sso.example.org` or `https://example.org/sso`). */
  readonly baseUrl: string;
  readonly stores: SsoStores;
  readonly secrets: {
    /** Sign the OpenID provider's cookies; the first signs, all verify, so add a new one first to rotate. */
    readonly cookies: readonly string[];
    /** Derives pairwise subjects. Changing it changes every pairwise `sub`: keep it for good. */
    readonly pairwise: string;
  };
  /** Default: true when `baseUrl` is https. */
  readonly secureCookies?: boolean;
  /**
   * Paths on the same origin, outside `baseUrl`, that sign-in may return to (`['/console']`): the host's own pages
   * that use Passport sessions through `currentUser`. Default none.
   */
  readonly hostPaths?: readonly string[];
  /** Read the client address from the last `x-forwarded-for` entry (only behind one proxy that appends it). Default false. */
  readonly trustForwardedFor?: boolean;
  readonly clock?: Clock;
  readonly generateId?: GenerateId;
  readonly fetch?: typeof fetch;
  readonly session?: {
    readonly lifetimeSeconds?: number;
    readonly idleSeconds?: number;
    readonly rotateAfterSeconds?: number;
    readonly rotationGraceSeconds?: number;
  };
  readonly tokens?: { readonly accessTokenSeconds?: number; readonly refreshTokenSeconds?: number };
  readonly keys?: { readonly overlapSeconds?: number; readonly cacheSeconds?: number };
  readonly signInLimits?: SignInLimits;
  /**
   * SAML 2.0 identity provider: signing credentials. Without dates the first signs and all are published; with
   * `signFrom`/`retireAt` they rotate on the clock (publish next, switch, retire).
   */
  readonly saml?: { readonly signing: readonly SamlSigningCredential[]; readonly assertionSeconds?: number };
  /** Receives our own failures (server errors), for logs. Default: `console.error`. */
  readonly reportError?: (error: unknown, where: string) => void;
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  stores: z.object(
    Object.fromEntries(
      [
        'apps',
        'roster',
        'districts',
        'sessions',
        'oidcArtifacts',
        'keys',
        'passwords',
        'oneTime',
        'attempts',
        'audit',
        'links',
        'badges',
      ].map((name) => [
        name,
        z.custom((value) => typeof value === 'object' && value !== null, { message: 'required' }),
      ]),
    ),
  ),
  secrets: z.object({
    cookies: z.array(z.string().min(32, 'cookie secrets must be at least 32 characters')).min(1),
    pairwise: z.string().min(32, 'the pairwise secret must be at least 32 characters'),
  }),
  secureCookies: z.boolean().optional(),
  hostPaths: z
    .array(
      z
        .string()
        .regex(/^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$/, 'a path such as /console, without a trailing slash'),
    )
    .optional(),
});

/** The person a Passport session signs in (see `SsoIdp.currentUser`). */
export interface SignedInUser {
  readonly sessionId: string;
  readonly userId: string;
  readonly districtId: string;
  readonly signInMethodId: string;
  readonly amr: readonly string[];
  readonly authTime: Date;
}

export interface SsoIdp {
  /** The Fetch handler for everything under `baseUrl`. */
  readonly handle: (request: Request) => Promise<Response>;
  readonly urls: ReturnType<typeof ssoUrls>;
  readonly oidc: OpenIdProvider;
  /** Present when `saml` signing credentials were given. */
  readonly saml: SamlIdentityProvider | undefined;
  /** Validates and saves an app registration. */
  registerApp(app: AppRegistration): Promise<AppRegistration>;
  /** Validates and saves a district's grant for an app. */
  grantApp(grant: DistrictGrant): Promise<DistrictGrant>;
  /** Sets a local password (districts with no identity provider). */
  setPassword(input: {
    districtId: string;
    username: string;
    userId: string;
    password: string;
  }): Promise<void>;
  /**
   * Sign-in from an LMS launch: call it from the LTI tool's launch handler with the verified launch; it answers the
   * browser with the Passport session cookie and a redirect to `returnTo` (a path here; the portal by default).
   */
  signInFromLaunch(request: Request, launch: VerifiedLaunch, returnTo?: string): Promise<Response>;
  /**
   * Who the request's Passport session cookie signs in, for the host's own pages (listed in `hostPaths`); undefined
   * when there is no valid session. Does not rotate the cookie (the SSO pages do).
   */
  currentUser(request: Request): Promise<SignedInUser | undefined>;
  /**
   * Issues a sign-in badge for a student (re-issuing replaces the earlier ones). The answer's `url` holds the
   * secret: render it with `badgeQrCode` and print it; it is never stored. Call it behind the host's admin sign-in.
   */
  issueBadge(input: IssueBadgeInput): Promise<IssuedBadge>;
  /** Revokes one badge (`badgeId`) or all of a user's (`userId`); returns how many. */
  revokeBadges(input: {
    districtId: string;
    badgeId?: string;
    userId?: string;
    revokedBy?: string;
  }): Promise<number>;
  /** A user's badges, newest first, with their status and without any secret (for an administrator's console). */
  listBadges(input: { districtId: string; userId: string }): Promise<BadgeSummary[]>;
  /** A printable badge sheet for a class: issues a new badge per student and answers the HTML page. */
  badgeSheet(input: BadgeSheetInput): Promise<Response>;
  /** The QR code of a badge URL, as an SVG document or a PNG `data:` URL. */
  badgeQrCode(url: string, format?: BadgeQrFormat): Promise<string>;
  /**
   * Ends the request's Passport session for a host page's own sign-out (after the host checked its CSRF token);
   * returns the `Set-Cookie` value that clears the cookie. SAML participants are not notified: use `/signout` for
   * that.
   */
  endSession(request: Request): Promise<{ setCookie: string }>;
  /** Removes expired sessions; run it periodically. Returns how many. */
  removeExpiredSessions(): Promise<number>;
  /** Retires the OpenID signing key and creates a new one (the old one stays published for the overlap). */
  rotateKeys(): Promise<{ retired: string[]; created: string }>;
}

/**
 * Passport's identity provider and SSO broker as one Fetch handler: the OpenID provider under `/oidc`, its
 * interaction pages, sign-in (`/signin`), sign-out and the app portal.
 */
export function createSsoIdp(options: SsoIdpOptions): SsoIdp {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SsoError('SSO_OPTIONS_INVALID', `Invalid option ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const urls = ssoUrls(options.baseUrl);
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? randomId;
  const secureCookies = options.secureCookies ?? urls.origin.startsWith('https:');
  const { stores } = options;
  const sessions = new SessionManager({
    store: stores.sessions,
    clock,
    generateId,
    secureCookies,
    ...options.session,
  });
  const sso: SsoContext = {
    urls,
    clock,
    generateId,
    apps: stores.apps,
    roster: stores.roster,
    districts: stores.districts,
    passwords: stores.passwords,
    oneTime: stores.oneTime,
    attempts: stores.attempts,
    links: stores.links,
    badges: stores.badges,
    auditLog: stores.audit,
    sessions,
    csrf: new CsrfGuard({ secureCookies, origin: urls.origin }),
    secureCookies,
    trustForwardedFor: options.trustForwardedFor ?? false,
    fetch: options.fetch ?? fetch,
    reportError: options.reportError ?? ((error, where) => console.error(`[sso-idp ${where}]`, error)),
    audit: (event: AuditInput) => stores.audit.record({ ...event, eventId: generateId(), at: clock.now() }),
  };
  const keyRing = new KeyRing({ store: stores.keys, clock, ...options.keys });
  const oidc = new OpenIdProvider(sso, keyRing, {
    artifacts: stores.oidcArtifacts,
    cookieSecrets: options.secrets.cookies,
    pairwiseSecret: options.secrets.pairwise,
    accessTokenSeconds: options.tokens?.accessTokenSeconds ?? 3600,
    refreshTokenSeconds: options.tokens?.refreshTokenSeconds ?? 14 * 86_400,
    sessionSeconds: options.session?.lifetimeSeconds ?? 8 * 3600,
  });
  const saml =
    options.saml === undefined
      ? undefined
      : new SamlIdentityProvider(sso, {
          signing: options.saml.signing,
          pairwiseSecret: options.secrets.pairwise,
          ...(options.saml.assertionSeconds === undefined
            ? {}
            : { assertionSeconds: options.saml.assertionSeconds }),
        });
  const throttle = new SignInThrottle(stores.attempts, options.signInLimits ?? defaultSignInLimits);
  const portalPath = new URL(urls.portal).pathname;
  const oidcUpstream = new OidcUpstreamSignIn(sso);
  const samlSigning = options.saml?.signing;
  const samlUpstream = new SamlUpstreamSignIn(
    sso,
    samlSigning === undefined ? undefined : () => signingCredentialAt(samlSigning, clock.now()),
  );

  async function upstreamMethod(districtId: string, methodId: string) {
    const district = await sso.districts.getDistrict(districtId);
    if (district === undefined) throw new SsoError('SSO_DISTRICT_UNKNOWN');
    const method = district.signInMethods.find((candidate) => candidate.id === methodId);
    if (method === undefined || method.kind === 'password')
      throw new SsoError('SSO_SIGNIN_METHOD_UNAVAILABLE');
    return method;
  }

  async function upstream(request: Request, districtId: string, methodId: string, callback: boolean) {
    const method = await upstreamMethod(districtId, methodId);
    const returnTo = () => returnToOf(new URL(request.url).searchParams.get('return_to'));
    if (method.kind === 'oidc') {
      if (callback) return oidcUpstream.callback(request, districtId, method);
      return oidcUpstream.start(districtId, method, returnTo());
    }
    if (method.kind === 'saml') {
      if (callback && request.method === 'POST') return samlUpstream.callback(request, districtId, method);
      if (!callback) return samlUpstream.start(districtId, method, returnTo());
    }
    throw new SsoError('SSO_SIGNIN_METHOD_UNAVAILABLE');
  }

  const returnBases = [urls.basePath, ...(options.hostPaths ?? [])];
  const returnToOf = (value: string | null) => safeReturnTo(value, urls.origin, returnBases, portalPath);

  async function showSignIn(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams;
    const returnTo = returnToOf(query.get('return_to'));
    const csrf = sso.csrf.issue(request);
    const districtId = query.get('district');
    const district = districtId === null ? undefined : await sso.districts.getDistrict(districtId);
    if (districtId !== null && district === undefined) throw new SsoError('SSO_DISTRICT_UNKNOWN');
    const loginHint = query.get('login_hint') ?? undefined;
    return withCookies(
      signInPage(sso, {
        returnTo,
        csrfToken: csrf.token,
        ...(district === undefined ? { districts: await sso.districts.listDistricts() } : { district }),
        ...(loginHint === undefined ? {} : { loginHint }),
      }),
      [csrf.setCookie],
    );
  }

  async function signOut(request: Request): Promise<Response> {
    const form = await readForm(request.clone());
    sso.csrf.verify(request, form);
    const ended = await sessions.end(request);
    if (ended.session !== undefined) {
      await sso.audit({
        type: 'signout',
        userId: ended.session.userId,
        districtId: ended.session.districtId,
        via: 'passport',
      });
    }
    const signInPath = new URL(urls.signIn).pathname;
    const participants = ended.session?.samlParticipants ?? [];
    if (saml !== undefined && participants.length > 0) {
      return withCookies(await saml.logoutParticipants(participants, signInPath), [ended.setCookie]);
    }
    return redirect(signInPath, 303, { 'set-cookie': ended.setCookie });
  }

  async function route(request: Request): Promise<Response> {
    if (oidc.owns(request)) return oidc.handle(request);
    const url = new URL(request.url);
    if (
      url.origin !== urls.origin ||
      !(url.pathname === urls.basePath || url.pathname.startsWith(`${urls.basePath}/`))
    ) {
      return new Response('not found', { status: 404 });
    }
    const path = url.pathname.slice(urls.basePath.length) || '/';
    const method = request.method;
    const interaction = /^\/interaction\/([^/]+)(?:\/(confirm|abort))?$/.exec(path);
    if (interaction !== null) {
      const uid = decodeURIComponent(interaction[1] ?? '');
      const action = (interaction[2] ?? 'show') as 'show' | 'confirm' | 'abort';
      if ((action === 'show') !== (method === 'GET'))
        return new Response('method not allowed', { status: 405 });
      return oidc.interaction(request, uid, action);
    }
    if (path === '/signin' && method === 'GET') return showSignIn(request);
    if (path === '/signin/password' && method === 'POST') {
      const form = await readForm(request.clone());
      sso.csrf.verify(request, form);
      return passwordSignIn(sso, throttle, request, form, returnToOf(form.get('return_to')));
    }
    const badgePath = /^\/signin\/badge\/([^/]+)$/.exec(path);
    if (badgePath !== null) {
      const districtId = decodeURIComponent(badgePath[1] ?? '');
      if (method === 'GET')
        return showBadgePage(sso, request, districtId, returnToOf(url.searchParams.get('return_to')));
      if (method !== 'POST') return new Response('method not allowed', { status: 405 });
      const form = await readForm(request.clone());
      sso.csrf.verify(request, form);
      return badgeSignIn(sso, throttle, request, districtId, form, returnToOf(form.get('return_to')));
    }
    if (path === '/signout' && method === 'POST') return signOut(request);
    if (path === '/links') return handleLinks(sso, oidc, request);
    const upstreamPath = /^\/signin\/upstream\/([^/]+)\/([^/]+)(\/callback)?$/.exec(path);
    if (upstreamPath !== null && (method === 'GET' || (method === 'POST' && upstreamPath[3] !== undefined))) {
      const [, districtId = '', methodId = '', callback] = upstreamPath;
      return upstream(
        request,
        decodeURIComponent(districtId),
        decodeURIComponent(methodId),
        callback !== undefined,
      );
    }
    if (path === '/portal' && method === 'GET') return portalPage(sso, request);
    if (path.startsWith('/saml/')) {
      if (saml === undefined) return new Response('not found', { status: 404 });
      if (path === '/saml/metadata' && method === 'GET') return saml.metadata();
      if (path === '/saml/sso' && (method === 'GET' || method === 'POST')) return saml.singleSignOn(request);
      if (path === '/saml/slo' && (method === 'GET' || method === 'POST')) return saml.singleLogout(request);
      const resume = /^\/saml\/continue\/([A-Za-z0-9_-]+)$/.exec(path);
      if (resume !== null && method === 'GET') return saml.resume(request, resume[1] ?? '');
      const launch = /^\/saml\/launch\/([^/]+)$/.exec(path);
      if (launch !== null && method === 'GET')
        return saml.launch(request, decodeURIComponent(launch[1] ?? ''));
      return new Response('not found', { status: 404 });
    }
    if (path === '/' && method === 'GET') return redirect(portalPath);
    return new Response('not found', { status: 404 });
  }

  return {
    urls,
    oidc,
    saml,
    handle: async (request) => {
      try {
        return await route(request);
      } catch (error) {
        return errorPage(error);
      }
    },
    async registerApp(app) {
      const valid = withHashedClientSecret(parseAppRegistration(app));
      await stores.apps.saveApp(valid);
      return valid;
    },
    async grantApp(grant) {
      const valid = parseDistrictGrant(grant);
      if ((await stores.apps.getApp(valid.appId)) === undefined) throw new SsoError('SSO_APP_UNKNOWN');
      await stores.apps.saveGrant(valid);
      return valid;
    },
    async setPassword(input) {
      await stores.passwords.save({
        districtId: input.districtId,
        username: input.username.toLowerCase(),
        userId: input.userId,
        passwordHash: await hashPassword(input.password),
        updatedAt: clock.now(),
      });
    },
    rotateKeys: () => oidc.rotateKeys(),
    async signInFromLaunch(request, launch, returnTo) {
      try {
        return await lmsSignIn(sso, request, launch, returnToOf(returnTo ?? null));
      } catch (error) {
        return errorPage(error);
      }
    },
    async currentUser(request) {
      const session = await sessions.peek(request);
      if (session === undefined) return undefined;
      return {
        sessionId: session.sessionId,
        userId: session.userId,
        districtId: session.districtId,
        signInMethodId: session.signInMethodId,
        amr: session.amr,
        authTime: session.authTime,
      };
    },
    issueBadge: (input) => issueBadge(sso, input),
    revokeBadges: (input) => revokeBadges(sso, input),
    listBadges: (input) => listBadges(sso, input),
    badgeSheet: async (input) => (await badgeSheet(sso, input)).response,
    badgeQrCode: (url, format) => badgeQrCode(url, format),
    async endSession(request) {
      const ended = await sessions.end(request);
      if (ended.session !== undefined) {
        await sso.audit({
          type: 'signout',
          userId: ended.session.userId,
          districtId: ended.session.districtId,
          via: 'host',
        });
      }
      return { setCookie: ended.setCookie };
    },
    removeExpiredSessions: () => stores.sessions.deleteExpired(clock.now()),
  };
}
