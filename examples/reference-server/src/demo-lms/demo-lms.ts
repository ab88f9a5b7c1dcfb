import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import { createLtiPlatform, type FetchLike, type LtiPlatform } from '@passport/lti13';
import {
  PostgresKeyStore,
  PostgresPendingLaunchStore,
  PostgresReplayGuard,
  PostgresToolRegistry,
} from '@passport/lti13/postgres';
import type { RosterStore } from '@passport/oneroster';
import { z } from 'zod';
import type { TransactionalSqlClient } from '../db/sql-client.ts';
import type { Handler } from '../http/handler.ts';
import { createRouter } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import type { LmsContext } from './context.ts';
import { registerCourseRoutes } from './course-routes.ts';
import { createDeepLinkingReceiver } from './deep-linking-return.ts';
import { createLmsGradebook, createLmsMembershipSource } from './lms-gradebook.ts';
import { createLmsStore, lmsAdministrator } from './lms-store.ts';
import { platformPaths, registerPlatformEndpoints } from './platform-endpoints.ts';
import { type SeedResult, seedFromRoster } from './seed-from-roster.ts';
import { createSessions, type Sessions } from './session.ts';
import { registerSignInRoutes } from './sign-in-routes.ts';

/** The key ring of the demo LMS's platform keys in `lti_keys` (the server's tool signs with `lti-tool`). */
export const demoLmsKeyRing = 'demo-lms';

const optionsSchema = z.object({
  /** The server database (migrated: `0003_demo_lms` and @passport/lti13's tables); only `sql` is used. */
  database: z.custom<{ readonly sql: TransactionalSqlClient }>(
    (value) => typeof (value as { sql?: { query?: unknown } } | undefined)?.sql?.query === 'function',
    'must be a database handle with `sql`',
  ),
  /** The server's roster service: courses, teachers and students are read from its store. */
  roster: z.custom<{ readonly store: RosterStore }>(
    (value) => typeof (value as { store?: { list?: unknown } } | undefined)?.store?.list === 'function',
    'must be the roster service (with `store`)',
  ),
  /** The tenant whose classes become the LMS's courses. */
  tenantId: z.string().min(1, 'must not be empty'),
  /** Where browsers reach the server (`http://127.0.0.1:3000`); a function when the port is known only later. */
  baseUrl: z.union([
    z.url({ protocol: /^https?$/ }),
    z.custom<() => string>((value) => typeof value === 'function', 'must be a URL or a function'),
  ]),
  /** The path the host mounts the LMS under. */
  path: z
    .string()
    .regex(/^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'must be a path such as /demo-lms')
    .default('/demo-lms'),
  logger: z.custom<Logger>(
    (value) => typeof (value as Logger | undefined)?.info === 'function',
    'must be a Logger',
  ),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function').optional(),
  generateId: z.custom<GenerateId>((value) => typeof value === 'function').optional(),
  /** Outbound HTTP of the platform (tools' key sets); default undici's fetch. */
  fetch: z.custom<FetchLike>((value) => typeof value === 'function').optional(),
  sessionTtlSeconds: z
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  /** `Secure` on the session cookie; default: when the LMS URL is https. */
  secureCookies: z.boolean().optional(),
  /** Status of tools that register themselves; `pending` ones wait for the administrator's activation. */
  dynamicRegistrationStatus: z.enum(['active', 'pending']).default('active'),
});

export type DemoLmsOptions = z.input<typeof optionsSchema>;

export interface DemoLms {
  /** Every page and LTI endpoint of the LMS; mount it under `path`. */
  readonly handle: Handler;
  /** The path prefix the LMS answers under (`/demo-lms`). */
  readonly path: string;
  /** The LMS's public URL (server URL + path), read from `baseUrl` when called. */
  url(): string;
  /**
   * Copies the tenant's classes, teachers and students from the roster (updating what is there). The first
   * request does it when the LMS has no course yet; call it again after a roster import to refresh.
   */
  seed(): Promise<SeedResult>;
  /** The LTI 1.3 platform behind the LMS (built on first use, once the URL is known). */
  platform(): LtiPlatform;
  /** Deletes expired sign-in sessions; resolves how many (run it from a periodic job). */
  purgeExpiredSessions(): Promise<number>;
}

/**
 * The demo LMS: a small learning management system on @passport/lti13's platform side. Courses, teachers and
 * students come from a tenant's roster; an administrator registers LTI tools (dynamic registration or by hand);
 * teachers add activities by deep linking and read the gradebook the tools fill over AGS; members launch activities
 * in a new window or framed in the course page. The platform's OIDC, token, key set, AGS and NRPS endpoints are
 * served under the same path. State lives in the server database. Options are checked now; a bad one throws a
 * TypeError naming it.
 */
export function createDemoLms(options: DemoLmsOptions): DemoLms {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `Demo LMS option ${issue?.path.join('.') || '(options)'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const config = parsed.data;
  const base = config.path;
  const sql = config.database.sql;
  const clock = config.clock ?? systemClock;
  const store = createLmsStore(sql);

  const lmsUrl = (): string => {
    const server = typeof config.baseUrl === 'function' ? config.baseUrl() : config.baseUrl;
    return `${server.replace(/\/+$/, '')}${base}`;
  };

  let sessions: Sessions | undefined;
  let platform: LtiPlatform | undefined;
  let seeding: Promise<void> | undefined;

  const seed = async (): Promise<SeedResult> => {
    const result = await seedFromRoster({ roster: config.roster.store, tenantId: config.tenantId, store });
    await store.saveUser(lmsAdministrator);
    config.logger.info('demo LMS seeded from the roster', { tenant: config.tenantId, ...result });
    return result;
  };

  const context: LmsContext = {
    base,
    store,
    gradebook: createLmsGradebook(sql, clock),
    memberships: createLmsMembershipSource(store),
    tools: new PostgresToolRegistry(sql),
    clock,
    generateId: config.generateId ?? randomId,
    logger: config.logger,
    lmsUrl,
    sessions() {
      sessions ??= createSessions(store, clock, {
        path: base,
        secure: config.secureCookies ?? new URL(lmsUrl()).protocol === 'https:',
        ttlSeconds: config.sessionTtlSeconds,
      });
      return sessions;
    },
    platform() {
      platform ??= buildPlatform();
      return platform;
    },
    inTransaction: (work) =>
      sql.transaction((transaction) =>
        work({ store: createLmsStore(transaction), gradebook: createLmsGradebook(transaction, clock) }),
      ),
    /** Once per process, when the LMS has no course yet; a failed attempt is retried on the next request. */
    async ensureSeeded() {
      seeding ??= (async () => {
        if ((await store.countCourses()) === 0) await seed();
        else await store.saveUser(lmsAdministrator);
      })().catch((error: unknown) => {
        seeding = undefined;
        throw error;
      });
      await seeding;
    },
  };

  function buildPlatform(): LtiPlatform {
    const url = lmsUrl();
    const publicPath = new URL(url).pathname.replace(/\/$/, '');
    return createLtiPlatform({
      issuer: url,
      baseUrl: url,
      tools: context.tools,
      keys: new PostgresKeyStore(sql, demoLmsKeyRing),
      pendingLaunches: new PostgresPendingLaunchStore(sql),
      replayGuard: new PostgresReplayGuard(sql, clock),
      gradebook: context.gradebook,
      memberships: context.memberships,
      clock,
      generateId: context.generateId,
      ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
      paths: {
        authorize: `${publicPath}${platformPaths.authorize}`,
        token: `${publicPath}${platformPaths.token}`,
        jwks: `${publicPath}${platformPaths.jwks}`,
        deepLinkingReturn: `${publicPath}${platformPaths.deepLinkingReturn}`,
        services: `${publicPath}${platformPaths.services}`,
        register: `${publicPath}${platformPaths.register}`,
        openidConfiguration: `${publicPath}${platformPaths.openidConfiguration}`,
      },
      productFamilyCode: 'passport-demo-lms',
      dynamicRegistrationStatus: config.dynamicRegistrationStatus,
      onDeepLinkingResponse: createDeepLinkingReceiver(context),
    });
  }

  const router = createRouter({
    onUnexpectedError: (error, request) =>
      config.logger.error('demo LMS request failed', {
        error,
        method: request.method,
        path: new URL(request.url).pathname,
      }),
  });
  registerSignInRoutes(router, context);
  registerCourseRoutes(router, context);
  registerAdminRoutes(router, context);
  registerPlatformEndpoints(router, context);

  return {
    handle: router.handle,
    path: base,
    url: lmsUrl,
    seed,
    platform: () => context.platform(),
    purgeExpiredSessions: () => store.deleteExpiredSessions(clock.now()),
  };
}
