import { createAesGcmSealing } from '@passport/coursera-connector/postgres';
import { type App, createApp } from './app.ts';
import type { Config } from './config.ts';
import { createConsoleAccountStore } from './console/accounts.ts';
import { createConsoleAuth } from './console/console-auth.ts';
import { type DatabaseHandle, databaseOptionsFromConfig, openDatabase } from './db/open-database.ts';
import { type DemoSummary, demoTenant, loadDemo } from './demo/demo.ts';
import { createDemoLms, type DemoLms } from './demo-lms/index.ts';
import { createGradeSyncService, type GradeSyncService } from './gradesync/gradesync-service.ts';
import { type HttpServer, listen } from './http/http-server.ts';
import { checkOutboundUrl, guardedFetch } from './http/outbound-guard.ts';
import { createSsoService } from './identity/sso-service.ts';
import { type DemoCoursera, startDemoCoursera } from './learning/demo-coursera.ts';
import { createLearningService } from './learning/learning-service.ts';
import { createStudentLaunch } from './learning/student-launch.ts';
import type { Logger } from './logger.ts';
import { createLtiToolStores } from './lti/lti-storage.ts';
import { createMaintenance, type Maintenance } from './maintenance/maintenance.ts';
import { createPartnerService } from './partners/partner-service.ts';
import { createRosterPullJobs, type RosterPullJobs } from './roster/pull-jobs.ts';
import { createRosterService } from './roster/roster-service.ts';
import { createRosterSourceStore } from './roster/roster-sources.ts';
import { rotateSigningKeys } from './secrets/rotate-keys.ts';
import { deriveKey, loadSealingKey } from './secrets/sealing-key.ts';

export interface StartServerOptions {
  config: Config;
  logger: Logger;
  /** The schema holding the tables; tests isolate each run in its own. Default `public`. */
  databaseSchema?: string;
  /** How long shutdown waits for in-flight requests before cutting connections; default 10 s. */
  shutdownDeadlineMs?: number;
  /**
   * The host name browsers reach the demo LMS at (default: the server's own). Another name for the same server
   * (`localhost` beside `127.0.0.1`) makes Passport a third-party site inside the LMS's frames, as in production.
   */
  demoLmsHost?: string;
  /** Where secrets such as `PASSPORT_SEALING_KEY` are read from; default `process.env`. */
  environment?: Record<string, string | undefined>;
}

export interface RunningServer {
  readonly url: string;
  /** What demo mode loaded or found (tenant, credentials), when it is on. */
  readonly demo: DemoSummary | undefined;
  /** Demo mode's LMS (its URL, its platform), when the demo is on. */
  readonly demoLms: DemoLms | undefined;
  readonly database: DatabaseHandle;
  readonly app: App;
  readonly http: HttpServer;
  /** Grade sync: its engine, LMS instances, runs and failures (the console's grade sync pages read it). */
  readonly gradeSync: GradeSyncService;
  /** Demo mode's Coursera simulator, connected as the demo district's Coursera. */
  readonly coursera: DemoCoursera | undefined;
  /**
   * Graceful shutdown: readiness turns 503, the listener closes, in-flight requests finish (or are cut at the
   * deadline), then the database closes. Calling it again returns the same promise.
   */
  close(): Promise<{ forced: boolean }>;
}

/** Opens the configured database, applies pending migrations, and serves the app on `HOST:PORT`. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const database = await openDatabase(
    {
      ...databaseOptionsFromConfig(config),
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    },
    { logger },
  );
  let app: App;
  let http: HttpServer;
  let demoSummary: DemoSummary | undefined;
  let gradeSync: GradeSyncService;
  let demoLms: DemoLms | undefined;
  let maintenance: Maintenance | undefined;
  let coursera: DemoCoursera | undefined;
  let rosterPulls: RosterPullJobs | undefined;
  let flushUsage: () => Promise<void> = async () => {};
  let listening: HttpServer | undefined;
  try {
    const { applied } = await database.migrate();
    const migration = await database.migrationVersion();
    logger.info(applied.length > 0 ? 'migrations applied' : 'database schema up to date', {
      database: database.kind,
      location: database.location,
      applied,
      migration,
    });
    const sealingKey = await loadSealingKey({
      environment: options.environment ?? process.env,
      dataDir: config.dataDir,
    });
    const roster = createRosterService({
      database,
      sealingKey,
      publicUrl: config.publicUrl,
      ...(config.credentialRecheckSeconds === undefined
        ? {}
        : { credentialRecheckSeconds: config.credentialRecheckSeconds }),
      onError: (error, request) =>
        logger.error('OneRoster request failed', {
          error,
          method: request.method,
          path: new URL(request.url).pathname,
        }),
      onUsageError: (error) => logger.error('OneRoster API usage not recorded', { error }),
    });
    flushUsage = roster.flushUsage;
    const publicUrl = () => config.publicUrl ?? http.url;
    const learning = createLearningService({ database, sealingKey });
    const ltiStores = createLtiToolStores(database.sql);
    gradeSync = createGradeSyncService({
      database,
      learning,
      lti: { registry: ltiStores.registry, keys: ltiStores.keys, accessTokens: ltiStores.accessTokens },
      logger,
    });
    const accounts = createConsoleAccountStore({ db: database.db });
    // What district admins type (roster sources, OpenID issuers) stays off the private network unless the operator
    // (or the demo) allows it.
    const allowPrivateOutbound = config.allowPrivateOutbound ?? config.demo;
    const outbound = guardedFetch();
    const sso = createSsoService({
      database,
      roster,
      accounts,
      sealingKey,
      publicUrl,
      logger,
      ...(allowPrivateOutbound ? {} : { fetch: (input, init) => outbound(new Request(input, init)) }),
    });
    const partners = createPartnerService({ db: database.db, roster });
    rosterPulls = createRosterPullJobs({
      db: database.db,
      roster,
      ...(allowPrivateOutbound ? {} : { fetch: outbound, checkUrl: (url: URL) => checkOutboundUrl(url) }),
      sources: createRosterSourceStore(
        database.db,
        createAesGcmSealing(deriveKey(sealingKey, 'passport roster sources v1')),
      ),
      logger,
    });
    const consoleAuth = createConsoleAuth({
      sso,
      accounts,
      csrfSecret: deriveKey(sealingKey, 'passport console csrf v1'),
    });
    if (config.demo) {
      await sso.syncDistricts();
      const demo = await loadDemo({
        database,
        roster,
        dataDir: config.dataDir,
        logger,
        people: { sso, accounts, partners },
      });
      demoSummary = demo;
    } else {
      logger.info('demo mode off: starting without demo data');
    }
    await sso.syncDistricts();
    const studentLaunch = createStudentLaunch({ database, sso, learning, gradeSync, publicUrl, logger });
    if (config.demo) {
      const lmsHost = options.demoLmsHost;
      const lmsBase = () => {
        const url = new URL(publicUrl());
        if (lmsHost !== undefined) url.hostname = lmsHost;
        return url.origin;
      };
      demoLms = createDemoLms({ database, roster, tenantId: demoTenant.id, baseUrl: lmsBase, logger });
    }
    app = createApp({
      database,
      logger,
      roster,
      publicUrl,
      adminToken: config.adminToken,
      console: {
        roster,
        sso,
        accounts,
        partners,
        auth: consoleAuth,
        rosterSources: { sources: rosterPulls.sources, jobs: rosterPulls },
        rotateKeys: (actor) => rotateSigningKeys({ db: database.db, sso, ltiKeys: ltiStores.keys, actor }),
      },
      gradeSync,
      learning,
      studentLaunch,
      ...(demoLms === undefined ? {} : { demoLms }),
    });
    maintenance = createMaintenance({
      logger,
      tasks: [
        { name: 'sso sessions', run: () => sso.idp().removeExpiredSessions() },
        {
          name: 'launch tickets',
          run: async () =>
            (
              await database.sql.query(
                'delete from launch_tickets where expires_at < now() returning ticket_hash',
                [],
              )
            ).rows.length,
        },
        ...(demoLms === undefined
          ? []
          : [
              { name: 'demo LMS sessions', run: () => demoLms?.purgeExpiredSessions() ?? Promise.resolve(0) },
            ]),
      ],
    });
    http = listening = await listen({
      handler: app.handle,
      host: config.host,
      port: config.port,
      logger,
      publicOrigin: config.publicUrl === undefined ? undefined : new URL(config.publicUrl).origin,
      trustedProxies: config.trustedProxies,
    });
    if (demoSummary !== undefined) {
      coursera = await startDemoCoursera({
        learning,
        tenantId: demoSummary.tenantId,
        redirectUri: new URL('coursera/callback', `${publicUrl().replace(/\/$/, '')}/`).href,
        logger,
      });
    }
  } catch (error) {
    await coursera?.stop().catch(() => {});
    await listening?.close({ deadlineMs: 0 }).catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
  logger.info('listening', { url: http.url, database: database.kind, dataDir: config.dataDir });
  // The grade sync jobs start beside the listener (pg-boss creates its tables on first start): requests are served
  // meanwhile, and syncs asked for before the jobs run are done in the request (see `requestSync`).
  // Demo mode syncs every five minutes, so a newcomer sees grades arrive; otherwise daily (and on demand).
  const jobsStarted = gradeSync
    .start(demoSummary === undefined ? {} : { cadence: { everyMinutes: 5 } })
    .then(async () => {
      const boss = gradeSync.boss;
      if (boss !== undefined) {
        await maintenance?.schedule(boss);
        await rosterPulls?.start(boss);
      }
    })
    .catch((error: unknown) => {
      logger.error('grade sync jobs did not start', { error });
    });

  let closing: Promise<{ forced: boolean }> | undefined;
  return {
    url: http.url,
    demo: demoSummary,
    demoLms,
    database,
    app,
    http,
    gradeSync,
    coursera,
    close() {
      closing ??= (async () => {
        app.markDraining();
        logger.info('shutting down', { inFlight: http.inFlight });
        const result = await http.close({ deadlineMs: options.shutdownDeadlineMs ?? 10_000 });
        // The grade sync jobs in flight (a drain posting scores) finish before the database closes.
        await jobsStarted;
        await gradeSync.stop();
        // API request counts still in memory reach the partner's usage page.
        await flushUsage();
        await coursera?.stop();
        await database.close();
        logger.info('stopped', { forced: result.forced });
        return result;
      })();
      return closing;
    },
  };
}
