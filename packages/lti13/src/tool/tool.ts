import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import { z } from 'zod';
import type { LaunchMessageType } from '../claims/uris.ts';
import { serializeCookie } from '../http/cookies.ts';
import type { FetchLike } from '../http/fetch.ts';
import { escapeHtml, htmlHeaders, htmlPage } from '../http/html.ts';
import { type LtiErrorHook, type LtiToolEndpoint, refuse } from '../http/report-error.ts';
import { errorResponse, jsonResponse, withHeaders } from '../http/respond.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { RemoteKeySets } from '../keys/remote-key-sets.ts';
import { parseOptions, port } from '../options.ts';
import type { KeyStore, LoginStateStore, PlatformRegistry } from '../ports.ts';
import { stateCookieName } from './launch/check-state.ts';
import type { LtiLaunch } from './launch/launch.ts';
import { type LaunchOutcome, runLaunchPipeline } from './launch/pipeline.ts';
import { buildAuthRequestUrl } from './login/build-auth-request.ts';
import { checkLoginTarget } from './login/check-login-target.ts';
import { launchStoragePage, loginStoragePage } from './login/platform-storage-pages.ts';
import { readLoginRequest } from './login/read-login-request.ts';
import { selectRegistration } from './login/select-registration.ts';

export type Handler = (request: Request) => Promise<Response>;

const toolOptionsSchema = z.object({
  /** The tool's launch URL: the `redirect_uri` platforms post id_tokens to. */
  launchUrl: z.url(),
  registry: port<PlatformRegistry>(),
  loginStates: port<LoginStateStore>(),
  keys: port<KeyStore>(),
  /** Origins the login's `target_link_uri` may point to; default the launch URL's origin. */
  allowedTargetOrigins: z.array(z.url()).optional(),
  clock: port<Clock>().optional(),
  generateId: port<GenerateId>('function').optional(),
  fetch: port<FetchLike>('function').optional(),
  /** Allowed clock difference with platforms. Default 10 s. */
  clockSkewSeconds: z.number().int().min(0).max(300).default(10),
  /** Launches whose id_token is older than this are refused. Default 5 minutes. */
  maxLaunchAgeSeconds: z.number().int().min(60).max(3600).default(300),
  /** How long a login may take from initiation to launch. Default 10 minutes. */
  loginStateTtlSeconds: z.number().int().min(30).max(3600).default(600),
  /** Refuse resource link launches without a context, as the certification suite requires. Default true. */
  requireContext: z.boolean().default(true),
  /** The message types accepted at the launch URL. Default: all three. */
  messageTypes: z
    .array(z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest']))
    .min(1)
    .optional(),
  cookie: z
    .object({
      secure: z.boolean().default(true),
      partitioned: z.boolean().default(true),
      path: z.string().startsWith('/').default('/'),
      /** Set the state cookie at all. Default true; off, only platform storage binds the state. */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  /** Use the platform's postMessage storage when the login offers `lti_storage_target`. Default true. */
  platformStorage: z.boolean().default(true),
  /** How long the storage pages wait for the platform window. Default 2 s. */
  platformStorageTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
  jwksCache: z
    .object({
      maxAgeSeconds: z.number().int().min(1).default(3600),
      cooldownSeconds: z.number().int().min(0).default(10),
    })
    .prefault({}),
  /** Called with each accepted launch; its response goes to the browser. Default: a plain confirmation page. */
  onLaunch:
    port<(launch: LtiLaunch, request: Request) => Response | Promise<Response>>('function').optional(),
  /**
   * Called with the typed `LtiError` and the request of every refused login, launch or key set request, before the
   * refusal is answered (to log or count why). It cannot change the answer; if it throws, the refusal stands.
   */
  onError: port<LtiErrorHook<LtiToolEndpoint>>('function').optional(),
  /** Key rotation overlap. Default 1 day. */
  keyOverlapSeconds: z.number().int().min(0).default(86_400),
});

export type LtiToolOptions = z.input<typeof toolOptionsSchema>;

export interface LtiTool {
  /** OIDC login initiation (GET and POST). Mount at `/lti/login`. */
  readonly login: Handler;
  /** The launch (redirect URI). Mount at `/lti/launch`. */
  readonly launch: Handler;
  /** The tool's public key set. Mount at `/lti/jwks`. */
  readonly jwks: Handler;
  /** Deletes logins whose state has expired (run it now and then: a job, a timer); resolves how many. */
  purgeExpiredLogins(): Promise<number>;
  /** Validates a launch request without answering it. */
  validateLaunch(request: Request): Promise<LaunchOutcome>;
  readonly keyRing: KeyRing;
  readonly keySets: RemoteKeySets;
  readonly registry: PlatformRegistry;
  readonly clock: Clock;
  readonly generateId: GenerateId;
  readonly fetch: FetchLike | undefined;
  readonly launchUrl: string;
}

function defaultLaunchPage(launch: LtiLaunch): Response {
  const who = launch.user.name ?? launch.user.id ?? 'anonymous user';
  return new Response(
    htmlPage(
      'Launched',
      `<h1>Launched</h1><p>${escapeHtml(launch.messageType)} for ${escapeHtml(who)} in ${escapeHtml(launch.context?.title ?? launch.context?.id ?? 'no context')}.</p>`,
    ),
    { headers: htmlHeaders },
  );
}

/** The tool side of LTI 1.3: login initiation, launch validation and the tool's key set, as Fetch handlers. */
export function createLtiTool(options: LtiToolOptions): LtiTool {
  const config = parseOptions(toolOptionsSchema, options, 'LTI tool');
  const clock = config.clock ?? systemClock;
  const generateId = config.generateId ?? randomId;
  const launchUrl = new URL(config.launchUrl).href;
  const allowedOrigins = (config.allowedTargetOrigins ?? [launchUrl]).map((url) => new URL(url).origin);
  const keyRing = new KeyRing({ store: config.keys, clock, overlapSeconds: config.keyOverlapSeconds });
  const keySets = new RemoteKeySets({
    clock,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
    maxAgeSeconds: config.jwksCache.maxAgeSeconds,
    cooldownSeconds: config.jwksCache.cooldownSeconds,
  });
  const messageTypes: readonly LaunchMessageType[] = config.messageTypes ?? [
    'LtiResourceLinkRequest',
    'LtiDeepLinkingRequest',
    'LtiSubmissionReviewRequest',
  ];
  const cookieOptions = {
    maxAgeSeconds: config.loginStateTtlSeconds,
    path: config.cookie.path,
    secure: config.cookie.secure,
    partitioned: config.cookie.partitioned,
  };

  const login: Handler = async (request) => {
    try {
      const loginRequest = await readLoginRequest(request);
      const registration = await selectRegistration(loginRequest, config.registry);
      const targetLinkUri = checkLoginTarget(loginRequest.targetLinkUri, allowedOrigins);
      const now = clock.now();
      const state = generateId();
      const nonce = generateId();
      const useStorage = config.platformStorage && loginRequest.storageTarget !== undefined;
      await config.loginStates.save({
        state,
        nonce,
        issuer: registration.issuer,
        clientId: registration.clientId,
        deploymentId: loginRequest.deploymentId,
        targetLinkUri,
        storageTarget: useStorage ? loginRequest.storageTarget : undefined,
        createdAt: now,
        expiresAt: new Date(now.getTime() + config.loginStateTtlSeconds * 1000),
      });
      const authUrl = buildAuthRequestUrl({
        registration,
        login: loginRequest,
        redirectUri: launchUrl,
        state,
        nonce,
      });
      const headers = new Headers({ 'cache-control': 'no-store' });
      if (config.cookie.enabled)
        headers.append('set-cookie', serializeCookie(stateCookieName(state), state, cookieOptions));
      if (useStorage) {
        for (const [name, value] of Object.entries(htmlHeaders)) headers.set(name, value);
        const page = loginStoragePage({
          authUrl: authUrl.href,
          state,
          storageTarget: loginRequest.storageTarget as string,
          timeoutMs: config.platformStorageTimeoutMs,
        });
        return new Response(page, { status: 200, headers });
      }
      headers.set('location', authUrl.href);
      return new Response(null, { status: 302, headers });
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'login');
    }
  };

  const validateLaunch = (request: Request) =>
    runLaunchPipeline(request, {
      registry: config.registry,
      loginStates: config.loginStates,
      keySets,
      clock,
      clockSkewSeconds: config.clockSkewSeconds,
      maxLaunchAgeSeconds: config.maxLaunchAgeSeconds,
      requireContext: config.requireContext,
      messageTypes,
    });

  const launch: Handler = async (request) => {
    try {
      const outcome = await validateLaunch(request);
      if (outcome.kind === 'verify-platform-storage') {
        const page = launchStoragePage({
          launchUrl,
          idToken: outcome.idToken,
          state: outcome.login.state,
          storageTarget: outcome.login.storageTarget as string,
          timeoutMs: config.platformStorageTimeoutMs,
        });
        return new Response(page, { status: 200, headers: htmlHeaders });
      }
      const response = await (config.onLaunch ?? defaultLaunchPage)(outcome.launch, request);
      if (!config.cookie.enabled) return response;
      const expired = serializeCookie(stateCookieName(outcome.state), '', {
        ...cookieOptions,
        maxAgeSeconds: 0,
      });
      try {
        response.headers.append('set-cookie', expired);
        return response;
      } catch {
        // Immutable headers (a fetched response): copy.
        return withHeaders(response, [['set-cookie', expired]]);
      }
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'launch');
    }
  };

  const jwks: Handler = async (request) => {
    try {
      return jsonResponse(await keyRing.jwks(), {
        headers: { 'cache-control': 'public, max-age=300' },
        contentType: 'application/json',
      });
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'jwks');
    }
  };

  return {
    login,
    launch,
    jwks,
    validateLaunch,
    purgeExpiredLogins: () => config.loginStates.deleteExpired(clock.now()),
    keyRing,
    keySets,
    registry: config.registry,
    clock,
    generateId,
    fetch: config.fetch,
    launchUrl,
  };
}
