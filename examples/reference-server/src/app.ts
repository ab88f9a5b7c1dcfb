import { pageHandler } from './console/console-auth.ts';
import type { ConsoleContext } from './console/console-context.ts';
import { registerConsole } from './console/console-routes.ts';
import type { DatabaseHandle } from './db/open-database.ts';
import type { DemoLms } from './demo-lms/index.ts';
import { registerGradeSyncPages } from './gradesync/gradesync-pages.ts';
import type { GradeSyncService } from './gradesync/gradesync-service.ts';
import { createPartnerGradebookRoute, partnerGradebookPath } from './gradesync/partner-gradebook-route.ts';
import { registerHealthRoutes } from './health/health-routes.ts';
import type { Handler } from './http/handler.ts';
import { createRouter } from './http/router.ts';
import { ssoBasePath } from './identity/sso-service.ts';
import { registerCourseraPages } from './learning/coursera-pages.ts';
import type { LearningService } from './learning/learning-service.ts';
import type { StudentLaunch } from './learning/student-launch.ts';
import type { Logger } from './logger.ts';
import { registerLtiRoutes } from './lti/lti-routes.ts';
import { createMetrics } from './metrics/metrics.ts';
import { oneRosterBasePath, type RosterService } from './roster/roster-service.ts';
import { registerRosterUpload } from './roster/upload-route.ts';

export interface AppOptions {
  database: DatabaseHandle;
  logger: Logger;
  /** @passport/oneroster on this database; without it the OneRoster API and `/oauth/token` are not mounted. */
  roster?: RosterService;
  /** Where browsers reach this server (LTI redirect URIs); a function when the port is only known once listening.
   * Without it the LTI tool routes are not mounted. */
  publicUrl?: string | (() => string);
  /** Enables `/admin/...` (roster upload) for operators holding this token. */
  adminToken?: string | undefined;
  /** Passport's SSO under `/sso` and the console under `/console` (operators, district admins, partners). */
  console?: Omit<ConsoleContext, 'database' | 'logger'>;
  /** Grade sync and the districts' Coursera connections: launches are recorded, `/lti/deep-link` is the picker. */
  gradeSync?: GradeSyncService;
  learning?: LearningService;
  /** A student's launch of a Coursera activity continues here (`/learn`); see learning/student-launch.ts. */
  studentLaunch?: StudentLaunch;
  /** Demo mode's LMS, mounted under its path (`/demo-lms`). */
  demoLms?: DemoLms;
}

/** The whole reference server as one Fetch handler, independent of the host that serves it. */
export interface App {
  handle: Handler;
  /** Marks the start of shutdown: readiness turns 503 while in-flight requests finish. */
  markDraining(): void;
}

/** Health probes (`/healthz`, `/readyz`) are logged at debug level so they do not drown the rest. */
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

export function createApp(options: AppOptions): App {
  const { database, logger } = options;
  let draining = false;
  const router = createRouter({
    onUnexpectedError: (error, request) =>
      logger.error('request failed', { error, method: request.method, path: new URL(request.url).pathname }),
  });

  registerHealthRoutes(router, { database, logger, isDraining: () => draining });
  const metrics = createMetrics();
  router.get(
    '/metrics',
    () =>
      new Response(metrics.render({ databaseKind: database.kind }), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
      }),
  );
  if (options.roster !== undefined) {
    // The OneRoster 1.1 REST API and its OAuth 2.0 token endpoint (client credentials).
    router.mount(oneRosterBasePath, options.roster.api);
    router.mount('/oauth/token', options.roster.tokenEndpoint);
    registerRosterUpload(router, { roster: options.roster, adminToken: options.adminToken });
  }
  if (options.console !== undefined) {
    router.mount(ssoBasePath, options.console.sso.handle);
    registerConsole(router, {
      ...options.console,
      database,
      logger,
      ...(options.gradeSync === undefined ? {} : { lmsInstances: options.gradeSync.lms }),
    });
    if (options.gradeSync !== undefined && options.learning !== undefined) {
      // `/console/gradesync/:tenant`: LMS modes, linked courses, runs, waiting scores, failures and their retry.
      registerGradeSyncPages(router, {
        auth: options.console.auth,
        gradeSync: options.gradeSync,
        learning: options.learning,
        page: (handler) => pageHandler(logger, handler),
      });
      // `/console/coursera/:tenant`: connect the district's Coursera program access, then the one-time consent.
      registerCourseraPages(router, {
        auth: options.console.auth,
        learning: options.learning,
        page: (handler) => pageHandler(logger, handler),
      });
    }
  }
  if (options.publicUrl !== undefined) {
    // The LTI 1.3 tool: /lti/login, /lti/launch, /lti/jwks, and /lti/register (dynamic registration). A platform
    // that registers itself stays pending until an operator runs `passport lti platform activate`.
    registerLtiRoutes(router, {
      database,
      logger,
      publicUrl: options.publicUrl,
      registrationStatus: 'pending',
      ...(options.gradeSync === undefined ? {} : { gradeSync: options.gradeSync }),
      ...(options.learning === undefined ? {} : { learning: options.learning }),
      ...(options.studentLaunch === undefined ? {} : { studentLaunch: options.studentLaunch }),
    });
  }
  options.studentLaunch?.register(router);
  if (options.gradeSync !== undefined && options.roster !== undefined) {
    // The partner gradebook API, authenticated with the OneRoster credentials districts grant partners.
    router.mount(
      partnerGradebookPath,
      createPartnerGradebookRoute({ database, roster: options.roster, gradeSync: options.gradeSync }),
    );
  }
  if (options.demoLms !== undefined) router.mount(options.demoLms.path, options.demoLms.handle);

  return {
    async handle(request) {
      const started = performance.now();
      metrics.started();
      let response: Response;
      try {
        response = await router.handle(request);
      } finally {
        metrics.finished();
      }
      const path = new URL(request.url).pathname;
      metrics.observe({
        method: request.method,
        path,
        status: response.status,
        seconds: (performance.now() - started) / 1000,
      });
      const fields = {
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (quietPaths.has(path)) logger.debug('request', fields);
      else logger.info('request', fields);
      return response;
    },
    markDraining() {
      draining = true;
    },
  };
}
