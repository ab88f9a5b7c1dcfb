import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import { z } from 'zod';
import { LtiError } from '../errors.ts';
import type { FetchLike } from '../http/fetch.ts';
import { escapeHtml, htmlHeaders, htmlPage } from '../http/html.ts';
import { type LtiErrorHook, type LtiPlatformEndpoint, refuse } from '../http/report-error.ts';
import { errorResponse, jsonResponse } from '../http/respond.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { RemoteKeySets } from '../keys/remote-key-sets.ts';
import { parseOptions, port } from '../options.ts';
import type {
  Gradebook,
  KeyStore,
  MembershipSource,
  PendingLaunchStore,
  ReplayGuard,
  ToolRegistration,
  ToolRegistry,
} from '../ports.ts';
import {
  createRegistrationToken,
  handleRegistration,
  openidConfiguration,
} from '../registration/platform-registration.ts';
import {
  type ReceivedDeepLinkingResponse,
  receiveDeepLinkingResponse,
} from './deep-linking/deep-linking-return.ts';
import { handleAuthorize } from './launch/authorize.ts';
import {
  createLaunch,
  type LaunchInput,
  loginInitiationResponse,
  type StartedLaunch,
} from './launch/create-launch.ts';
import type { PlatformContext, PlatformPaths, PlatformQuirks } from './platform-context.ts';
import { platformUrl } from './platform-context.ts';
import { handleLineItem, handleLineItems, handleResults, handleScores } from './services/ags-endpoints.ts';
import { handleMemberships } from './services/nrps-endpoint.ts';
import { handleToken, oauthErrorResponse } from './token/token-endpoint.ts';

export type Handler = (request: Request) => Promise<Response>;

const platformOptionsSchema = z.object({
  /** The platform's issuer (`iss` of its id_tokens). */
  issuer: z.url(),
  /** Where the platform's endpoints are served; default the issuer. */
  baseUrl: z.url().optional(),
  tools: port<ToolRegistry>(),
  keys: port<KeyStore>(),
  pendingLaunches: port<PendingLaunchStore>(),
  replayGuard: port<ReplayGuard>(),
  gradebook: port<Gradebook>(),
  memberships: port<MembershipSource>(),
  clock: port<Clock>().optional(),
  generateId: port<GenerateId>('function').optional(),
  fetch: port<FetchLike>('function').optional(),
  paths: z
    .object({
      authorize: z.string().startsWith('/').default('/lti/authorize'),
      token: z.string().startsWith('/').default('/lti/token'),
      jwks: z.string().startsWith('/').default('/lti/jwks'),
      deepLinkingReturn: z.string().startsWith('/').default('/lti/deep-linking-return'),
      services: z.string().startsWith('/').default('/lti/contexts'),
      register: z.string().startsWith('/').default('/lti/register'),
      openidConfiguration: z.string().startsWith('/').default('/.well-known/openid-configuration'),
    })
    .prefault({}),
  quirks: z
    .object({
      lineItemQuery: z.record(z.string(), z.string()).optional(),
      rejectStaleScores: z.boolean().optional(),
      rejectNonLearnerScores: z.boolean().optional(),
      shortRoleNames: z.boolean().optional(),
    })
    .prefault({}),
  /** Extra accepted `aud` values of client assertions (D2L uses a token audience that is not the token URL). */
  tokenAudiences: z.array(z.string()).default([]),
  idTokenTtlSeconds: z.number().int().min(10).max(3600).default(300),
  launchTtlSeconds: z.number().int().min(10).max(3600).default(300),
  accessTokenTtlSeconds: z.number().int().min(60).max(86_400).default(3600),
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** The status of tools registered dynamically: `pending` (as Moodle does) until an administrator activates them. */
  dynamicRegistrationStatus: z.enum(['active', 'pending']).default('active'),
  /** The product family code in the platform's openid-configuration. */
  productFamilyCode: z.string().default('passport'),
  onDeepLinkingResponse:
    port<(response: ReceivedDeepLinkingResponse, request: Request) => Response | Promise<Response>>(
      'function',
    ).optional(),
  /**
   * Called with the typed `LtiError` and the request of every refused request (authorization, token, services, key
   * set, deep linking return, registration), before the refusal is answered. It cannot change the answer; if it
   * throws, the refusal stands.
   */
  onError: port<LtiErrorHook<LtiPlatformEndpoint>>('function').optional(),
});

export type LtiPlatformOptions = z.input<typeof platformOptionsSchema>;

export interface LtiPlatform {
  /** Every platform endpoint, routed by path. */
  readonly handle: Handler;
  readonly authorize: Handler;
  readonly token: Handler;
  readonly jwks: Handler;
  readonly services: Handler;
  readonly deepLinkingReturn: Handler;
  /** The OpenID configuration (dynamic registration). */
  readonly openidConfiguration: Handler;
  /** The dynamic registration endpoint. */
  readonly register: Handler;
  /** The URL that starts a dynamic registration at a tool: its registration URL with `openid_configuration` and a fresh `registration_token`. */
  registrationStartUrl(toolRegistrationUrl: string): Promise<string>;
  /** Activates a pending tool (an administrator's approval of a dynamic registration). */
  activateTool(clientId: string): Promise<void>;
  /** Registers (or replaces) a tool. */
  registerTool(tool: ToolRegistration): Promise<void>;
  /** Starts a launch and returns the login initiation to send the browser to. */
  startLaunch(input: LaunchInput): Promise<StartedLaunch>;
  /** Starts a launch and answers with the redirect (GET) or auto-post form (POST) to the tool's login. */
  launchResponse(
    input: LaunchInput,
    options?: { method?: 'GET' | 'POST'; storageTarget?: string },
  ): Promise<Response>;
  readonly keyRing: KeyRing;
  readonly context: PlatformContext;
  readonly urls: {
    readonly issuer: string;
    readonly authorize: string;
    readonly token: string;
    readonly jwks: string;
    readonly deepLinkingReturn: string;
    readonly register: string;
    readonly openidConfiguration: string;
  };
  /** Makes the next `count` service calls answer as a throttled LMS would (Canvas: 403 "Rate Limit Exceeded"). */
  throttle(count: number, style?: 'canvas' | 'standard'): void;
}

function throttled(style: 'canvas' | 'standard'): Response {
  if (style === 'canvas') {
    return new Response('403 Forbidden (Rate Limit Exceeded)', {
      status: 403,
      headers: { 'x-rate-limit-remaining': '0.0', 'content-type': 'text/plain' },
    });
  }
  return jsonResponse({ error: 'rate_limited' }, { status: 429, headers: { 'retry-after': '1' } });
}

/**
 * The platform side of LTI 1.3: tools registered, launches started and signed, deep linking responses received,
 * the token endpoint, AGS and NRPS served. Enough to be the core of a small LMS, and the peer the tool's tests talk
 * to over real HTTP.
 */
export function createLtiPlatform(options: LtiPlatformOptions): LtiPlatform {
  const config = parseOptions(platformOptionsSchema, options, 'LTI platform');
  const clock = config.clock ?? systemClock;
  const generateId = config.generateId ?? randomId;
  const issuer = config.issuer.replace(/\/$/, '');
  const keyRing = new KeyRing({ store: config.keys, clock });
  const context: PlatformContext = {
    issuer,
    baseUrl: config.baseUrl ?? config.issuer,
    paths: config.paths as PlatformPaths,
    tools: config.tools,
    pendingLaunches: config.pendingLaunches,
    replayGuard: config.replayGuard,
    gradebook: config.gradebook,
    memberships: config.memberships,
    keyRing,
    keySets: new RemoteKeySets({ clock, ...(config.fetch === undefined ? {} : { fetch: config.fetch }) }),
    clock,
    generateId,
    quirks: config.quirks as PlatformQuirks,
    idTokenTtlSeconds: config.idTokenTtlSeconds,
    launchTtlSeconds: config.launchTtlSeconds,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    pageSize: config.pageSize,
    throttle: { count: 0, style: 'canvas' },
    onError: config.onError,
  };
  const urls = {
    issuer,
    authorize: platformUrl(context, context.paths.authorize),
    token: platformUrl(context, context.paths.token),
    jwks: platformUrl(context, context.paths.jwks),
    deepLinkingReturn: platformUrl(context, context.paths.deepLinkingReturn),
    register: platformUrl(context, context.paths.register),
    openidConfiguration: platformUrl(context, context.paths.openidConfiguration),
  };

  const authorize: Handler = (request) => handleAuthorize(context, request);
  const token: Handler = (request) => handleToken(context, request, config.tokenAudiences);
  const jwks: Handler = async (request) => {
    try {
      return jsonResponse(await keyRing.jwks(), { headers: { 'cache-control': 'public, max-age=300' } });
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'jwks');
    }
  };

  const services: Handler = async (request) => {
    try {
      if (context.throttle.count > 0) {
        context.throttle.count--;
        return throttled(context.throttle.style);
      }
      const path = new URL(request.url).pathname;
      const prefix = `${context.paths.services}/`;
      const segments = path.startsWith(prefix)
        ? path.slice(prefix.length).split('/').map(decodeURIComponent)
        : [];
      const [contextId, kind, lineItemId, sub, ...rest] = segments;
      if (contextId !== undefined && kind === 'memberships' && lineItemId === undefined)
        return await handleMemberships(context, request, contextId);
      if (contextId !== undefined && kind === 'lineitems' && rest.length === 0) {
        if (lineItemId === undefined || lineItemId === '')
          return await handleLineItems(context, request, contextId);
        if (sub === undefined) return await handleLineItem(context, request, contextId, lineItemId);
        if (sub === 'scores') return await handleScores(context, request, contextId, lineItemId);
        if (sub === 'results') return await handleResults(context, request, contextId, lineItemId);
      }
      throw new LtiError('LTI_RESOURCE_NOT_FOUND', `No service at ${path}.`);
    } catch (error) {
      return refuse(error, request, oauthErrorResponse, config.onError, 'services');
    }
  };

  const deepLinkingReturn: Handler = async (request) => {
    try {
      const received = await receiveDeepLinkingResponse(context, request);
      if (config.onDeepLinkingResponse !== undefined)
        return await config.onDeepLinkingResponse(received, request);
      const list = received.items
        .map(
          (item) =>
            `<li>${escapeHtml(item.type)}: ${escapeHtml(String(item.title ?? ('url' in item ? item.url : '') ?? ''))}</li>`,
        )
        .join('');
      return new Response(htmlPage('Content added', `<h1>Content added</h1><ul>${list}</ul>`), {
        headers: htmlHeaders,
      });
    } catch (error) {
      return refuse(error, request, errorResponse, config.onError, 'deep-linking-return');
    }
  };

  const openidConfigurationHandler: Handler = async () =>
    jsonResponse(openidConfiguration(context, config.productFamilyCode), {
      headers: { 'cache-control': 'public, max-age=300' },
    });
  const register: Handler = (request) =>
    handleRegistration(context, request, config.dynamicRegistrationStatus);

  const routes: Array<[string, Handler]> = [
    [context.paths.openidConfiguration, openidConfigurationHandler],
    [context.paths.register, register],
    [context.paths.authorize, authorize],
    [context.paths.token, token],
    [context.paths.jwks, jwks],
    [context.paths.deepLinkingReturn, deepLinkingReturn],
  ];
  const handle: Handler = async (request) => {
    const path = new URL(request.url).pathname;
    for (const [routePath, handler] of routes) if (path === routePath) return handler(request);
    if (path.startsWith(`${context.paths.services}/`)) return services(request);
    return new Response('Not found', { status: 404 });
  };

  return {
    handle,
    authorize,
    token,
    jwks,
    services,
    deepLinkingReturn,
    openidConfiguration: openidConfigurationHandler,
    register,
    async registrationStartUrl(toolRegistrationUrl) {
      const url = new URL(toolRegistrationUrl);
      url.searchParams.set('openid_configuration', urls.openidConfiguration);
      url.searchParams.set('registration_token', await createRegistrationToken(context));
      return url.href;
    },
    async activateTool(clientId) {
      const tool = await config.tools.getTool(clientId);
      if (tool === undefined)
        throw new LtiError('LTI_TOOL_UNKNOWN', `No tool is registered with client id ${clientId}.`);
      await config.tools.saveTool({ ...tool, status: 'active' });
    },
    registerTool: (tool) => config.tools.saveTool(tool),
    startLaunch: (input) => createLaunch(context, input),
    launchResponse: async (input, responseOptions = {}) =>
      loginInitiationResponse(await createLaunch(context, input), responseOptions),
    keyRing,
    context,
    urls,
    throttle(count, style = 'canvas') {
      context.throttle.count = count;
      context.throttle.style = style;
    },
  };
}
