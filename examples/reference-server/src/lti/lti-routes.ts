import type { Clock, SqlClient } from '@passport/core';
import {
  allScopes,
  createDynamicRegistration,
  createLtiTool,
  type FetchLike,
  type LtiError,
  type LtiLaunch,
  type LtiTool,
  type PlatformRegistry,
} from '@passport/lti13';
import type { GradeSyncService } from '../gradesync/gradesync-service.ts';
import type { Handler } from '../http/handler.ts';
import type { Router } from '../http/router.ts';
import type { LearningService } from '../learning/learning-service.ts';
import type { StudentLaunch } from '../learning/student-launch.ts';
import type { Logger } from '../logger.ts';
import { createDeepLinkPicker, type DeepLinkPicker, deepLinkPath } from './deep-link/deep-link-picker.ts';
import { launchPage } from './launch-page.ts';
import { createLtiToolStores } from './lti-storage.ts';

export interface LtiRoutesOptions {
  /** Only `sql` is used: the packages' SqlClient over the server's connections. Run `migrateLtiStorage` first. */
  database: { readonly sql: SqlClient };
  /**
   * The server's public URL (`https://passport.example.org`, `http://127.0.0.1:3000`), from which the login,
   * launch, key set and registration URLs are made. A function is read on the first LTI request, for servers
   * that learn their port only once listening (port 0).
   */
  publicUrl: string | (() => string);
  logger: Logger;
  /** Outbound HTTP (platform key sets, dynamic registration); default undici's fetch. */
  fetch?: FetchLike;
  clock?: Clock;
  /**
   * Mark the login state cookie `Secure; SameSite=None; Partitioned`, so it survives inside an LMS iframe. Default:
   * on for https and for http://localhost (browsers keep Secure cookies there), off for other plain-http hosts.
   */
  secureCookies?: boolean;
  /** Status of platforms registered through dynamic registration; `pending` ones cannot launch. Default `active`. */
  registrationStatus?: 'active' | 'pending';
  /**
   * Grade sync: every accepted launch is recorded (LMS instance, course endpoints, learner). With `learning` too,
   * a deep linking request lands on the Coursera content picker (`/lti/deep-link`).
   */
  gradeSync?: GradeSyncService;
  learning?: LearningService;
  /** A resource-link launch of a deep-linked Coursera activity continues to Coursera through this (`/learn`). */
  studentLaunch?: StudentLaunch;
}

export interface LtiRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handler: Handler;
}

/** The tool side of LTI 1.3 as the reference server serves it. */
export interface LtiRoutes {
  /** OIDC login initiation, GET and POST: `/lti/login`. */
  readonly login: Handler;
  /** The launch (redirect URI), POST: `/lti/launch`. */
  readonly launch: Handler;
  /** The tool's public key set, GET: `/lti/jwks`. */
  readonly jwks: Handler;
  /** LTI Dynamic Registration, tool side, GET: `/lti/register`. */
  readonly register: Handler;
  /** Every route with its method and path, to mount on a router. */
  readonly routes: readonly LtiRoute[];
  readonly registry: PlatformRegistry;
  /** Deletes expired login states; resolves how many (run it from a periodic job). */
  purgeExpiredLogins(): Promise<number>;
}

export const ltiPaths = {
  login: '/lti/login',
  launch: '/lti/launch',
  jwks: '/lti/jwks',
  register: '/lti/register',
  deepLink: deepLinkPath,
} as const;

/** The tool's display name in the platforms it registers with. */
const toolName = 'Passport';

/**
 * The reference server's LTI 1.3 tool: login, launch, key set and dynamic registration as Fetch handlers, with
 * platforms, login states and the tool's key ring (generated on first use) in the server's database. An accepted
 * launch answers a page naming the user, role and course; a refused one keeps @passport/lti13's error page (or JSON)
 * naming the `LTI_*` code and what to fix, and is logged with that code.
 */
export function createLtiRoutes(options: LtiRoutesOptions): LtiRoutes {
  const { logger } = options;
  const stores = createLtiToolStores(options.database.sql);
  let built: BuiltTool | undefined;
  let picker: DeepLinkPicker | undefined;

  const build = () => {
    built ??= buildTool(options, stores, baseUrl(resolvePublicUrl(options.publicUrl)), () => picker);
    return built;
  };
  if (options.gradeSync !== undefined && options.learning !== undefined) {
    picker = createDeepLinkPicker({
      database: options.database,
      learning: options.learning,
      gradeSync: options.gradeSync,
      logger,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      tool: () => ({ keyRing: build().tool.keyRing, launchUrl: build().launchUrl }),
    });
  }
  // A fixed URL is checked now, so a bad one fails at start rather than at the first launch.
  if (typeof options.publicUrl === 'string') build();

  // Refusals are logged by @passport/lti13's error hook (see `buildTool`), with their typed code.
  const login: Handler = (request) => build().tool.login(request);
  const launch: Handler = (request) => build().tool.launch(request);
  const jwks: Handler = (request) => build().tool.jwks(request);
  const register: Handler = (request) => build().register(request);
  const pickerRoutes: LtiRoute[] =
    picker === undefined
      ? []
      : [
          { method: 'GET', path: ltiPaths.deepLink, handler: picker.page },
          { method: 'POST', path: ltiPaths.deepLink, handler: picker.pick },
        ];

  return {
    login,
    launch,
    jwks,
    register,
    routes: [
      { method: 'GET', path: ltiPaths.login, handler: login },
      { method: 'POST', path: ltiPaths.login, handler: login },
      { method: 'POST', path: ltiPaths.launch, handler: launch },
      { method: 'GET', path: ltiPaths.jwks, handler: jwks },
      { method: 'GET', path: ltiPaths.register, handler: register },
      ...pickerRoutes,
    ],
    registry: stores.registry,
    purgeExpiredLogins: () => build().tool.purgeExpiredLogins(),
  };
}

/** Creates the LTI routes and mounts them on the router; returns them (for jobs that purge login states). */
export function registerLtiRoutes(router: Router, options: LtiRoutesOptions): LtiRoutes {
  const lti = createLtiRoutes(options);
  for (const route of lti.routes) router.on(route.method, route.path, route.handler);
  return lti;
}

interface BuiltTool {
  readonly tool: LtiTool;
  readonly register: Handler;
  readonly launchUrl: string;
}

function buildTool(
  options: LtiRoutesOptions,
  stores: ReturnType<typeof createLtiToolStores>,
  base: URL,
  picker: () => DeepLinkPicker | undefined,
): BuiltTool {
  const { logger } = options;
  const url = (path: string) => new URL(path.slice(1), base).href;
  const secure = options.secureCookies ?? (base.protocol === 'https:' || base.hostname === 'localhost');
  // Told of every refusal with its typed LtiError before it is answered; it cannot change the answer.
  const onError = (error: LtiError, _request: Request, context: { endpoint: string }) => {
    logger.warn('LTI request refused', {
      route: context.endpoint,
      status: error.status,
      code: error.code,
      ...(error.code === 'LTI_INTERNAL_ERROR' ? { error: error.cause } : {}),
    });
  };
  const tool = createLtiTool({
    onError,
    launchUrl: url(ltiPaths.launch),
    registry: stores.registry,
    loginStates: stores.loginStates,
    keys: stores.keys,
    cookie: { secure, partitioned: secure },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onLaunch: async (launch) => {
      logger.info('LTI launch', launchFields(launch));
      let recorded: Awaited<ReturnType<GradeSyncService['recordLaunch']>> | undefined;
      try {
        recorded = await options.gradeSync?.recordLaunch(launch);
      } catch (error) {
        // Grade sync learns the course's endpoints at its next launch; the launch itself goes on.
        logger.error('recording the launch for grade sync failed', { error, ...launchFields(launch) });
      }
      const contentPicker = picker();
      if (
        launch.messageType === 'LtiDeepLinkingRequest' &&
        contentPicker !== undefined &&
        recorded !== undefined
      )
        return await contentPicker.start(launch, {
          lmsId: recorded.instance.lmsId,
          tenantId: recorded.tenantId,
        });
      if (launch.messageType === 'LtiResourceLinkRequest' && recorded !== undefined) {
        const page = await options.studentLaunch?.start(launch, {
          lmsId: recorded.instance.lmsId,
          tenantId: recorded.tenantId,
        });
        if (page !== undefined) return page;
      }
      return launchPage(launch);
    },
  });
  const registration = createDynamicRegistration({
    onError,
    registry: stores.registry,
    clientName: toolName,
    loginUrl: url(ltiPaths.login),
    launchUrl: url(ltiPaths.launch),
    jwksUrl: url(ltiPaths.jwks),
    targetLinkUri: url(ltiPaths.launch),
    ...(picker() === undefined
      ? {}
      : {
          messages: [
            {
              type: 'LtiDeepLinkingRequest',
              target_link_uri: url(ltiPaths.deepLink),
              label: 'Coursera content',
            },
          ],
        }),
    // Grade sync posts scores and reads line items, results and course members.
    scopes: [...allScopes],
    status: options.registrationStatus ?? 'active',
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return { tool, register: registration.handler, launchUrl: url(ltiPaths.launch) };
}

/** What a launch log line carries: where it came from, never who (names and emails stay out of the logs). */
function launchFields(launch: LtiLaunch): Record<string, unknown> {
  return {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    messageType: launch.messageType,
    contextId: launch.context?.id,
    stateBinding: launch.stateBinding,
  };
}

function resolvePublicUrl(publicUrl: string | (() => string)): string {
  return typeof publicUrl === 'function' ? publicUrl() : publicUrl;
}

/** The base the LTI paths hang from: the public URL with a trailing slash (a path prefix behind a proxy is kept). */
function baseUrl(publicUrl: string): URL {
  if (!URL.canParse(publicUrl))
    throw new TypeError(`LTI publicUrl must be an absolute URL (got ${publicUrl})`);
  const parsed = new URL(publicUrl);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`LTI publicUrl must be an http or https URL (got ${publicUrl})`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new TypeError(`LTI publicUrl must have no query or fragment (got ${publicUrl})`);
  }
  if (!parsed.pathname.endsWith('/')) parsed.pathname = `${parsed.pathname}/`;
  return parsed;
}
