import { hostname } from 'node:os';
import {
  type ClassDirectory,
  type CourseBinding,
  courseResourceId,
  createGradeSync,
  createLtiGradebook,
  createPartnerGradebookApi,
  createPgBossScheduler,
  createPostgresAuditLog,
  createPostgresCircuitBreakerStore,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresPartnerStore,
  createPostgresSyncState,
  type DeadLetter,
  type DrainReport,
  type GradeSync,
  GradeSyncError,
  type GradeSyncOptions,
  itemResourceId,
  launchRecordOf,
  lineItemTags,
  type ModeSwitch,
  type PartnerAuthenticator,
  type PgBossScheduler,
  type RunRecord,
  type RunStatistics,
  type SyncCadence,
  type SyncMode,
} from '@passport/ags-gradesync';
import type { Clock } from '@passport/core';
import { systemClock } from '@passport/core';
import {
  type AccessTokenStore,
  createLtiServices,
  type FetchLike,
  KeyRing,
  type KeyStore,
  type LtiLaunch,
  type PlatformRegistry,
} from '@passport/lti13';
import type { Kysely } from 'kysely';
import { PgBoss } from 'pg-boss';
import type { DatabaseHandle } from '../db/open-database.ts';
import type { Handler } from '../http/handler.ts';
import type { LearningService } from '../learning/learning-service.ts';
import type { Logger } from '../logger.ts';
import { createBossDatabase } from './boss-database.ts';
import { bindingIdOf, customKeys } from './deep-link-keys.ts';
import { createLmsInstanceStore, type LmsInstance, type LmsInstanceStore } from './lms-instances.ts';
import { createTenantResultsSource } from './tenant-results-source.ts';

/*
 * Grade sync as the reference server runs it: @passport/ags-gradesync's engine with its PostgreSQL stores on the
 * server's database, results read from each district's Coursera connection, scores delivered to the LMS over AGS
 * with the tool's own keys, and the work done by pg-boss jobs that any server process picks up.
 */

/** What the content picker offers: option A (items), option B (course, a line item per item), the final grade. */
export type DeepLinkChoice = SyncMode;

export interface GradeSyncServiceOptions {
  database: Pick<DatabaseHandle, 'kind' | 'db' | 'sql' | 'schema'>;
  learning: LearningService;
  /** The LTI tool's stores: platform registrations, its key ring's store, and its service access tokens. */
  lti: { registry: PlatformRegistry; keys: KeyStore; accessTokens: AccessTokenStore };
  logger: Logger;
  /** Outbound HTTP to the LMS (AGS, NRPS, token endpoint); default undici's. */
  fetch?: FetchLike;
  clock?: Clock;
  /** Engine options beyond the ports (delivery limits, backoff, mapping), for operators and tests. */
  engine?: Partial<
    Pick<GradeSyncOptions, 'delivery' | 'mapping' | 'defaultMode' | 'lockWaitMs' | 'syncLeaseMs'>
  >;
  /** pg-boss: its schema (default `pgboss`, or `<schema>_pgboss` beside an isolated schema) and polling. */
  jobs?: { schema?: string; pollingIntervalSeconds?: number };
}

/** A course as the console shows it: its binding, the LMS's mode, and the line items it sends to. */
export interface BindingOverview {
  readonly binding: CourseBinding;
  readonly mode: SyncMode;
  /** Option A items linked but whose LMS line item is not known yet. */
  readonly pendingItems: readonly string[];
}

export interface GradeSyncOverview {
  readonly lmsInstances: readonly (LmsInstance & { readonly mode: SyncMode })[];
  readonly bindings: readonly BindingOverview[];
  /** The latest runs first, with what each planned and what became of it. */
  readonly runs: readonly RunStatistics[];
  /** Failed deliveries waiting for an admin to retry or discard them. */
  readonly failures: readonly DeadLetter[];
  /** Scores waiting in the outbox, with their attempts and last error (retries in progress). */
  readonly waiting: readonly { lmsId: string; userId: string; attempts: number; lastError?: string }[];
}

export interface GradeSyncService {
  readonly engine: GradeSync;
  readonly lms: LmsInstanceStore;
  /** Records an accepted launch: its LMS instance, course endpoints and learner; fills deep-linked line items. */
  recordLaunch(launch: LtiLaunch): Promise<{ instance: LmsInstance; tenantId: string | undefined }>;
  /**
   * The district of an LMS instance: the one assigned, else (when exactly one district has connected Coursera)
   * that one, assigned now. Undefined when it cannot be told.
   */
  tenantOf(lmsId: string): Promise<string | undefined>;
  /** Records the learning-platform account an LMS user linked at first sign-on: the surest match of their results. */
  recordAccountLink(link: {
    lmsId: string;
    userId: string;
    platform: string;
    externalId: string;
    /** Default now. */
    at?: Date;
  }): Promise<void>;
  /** Saves what the content picker linked: the course binding, and for option A the items to watch for. */
  bindDeepLink(input: {
    lmsId: string;
    tenantId: string;
    contextId: string;
    programId: string;
    courseId: string;
    courseTitle: string;
    choice: DeepLinkChoice;
    items?: readonly { id: string; title: string }[];
  }): Promise<CourseBinding>;
  /** Resolves option A items' line items (by `resourceId`) and syncs the course now, in this process. */
  sync(bindingId: string, trigger?: RunRecord['trigger']): Promise<RunRecord>;
  /** Delivers the LMS's due scores now, in this process. */
  drain(lmsId: string): Promise<DrainReport>;
  /** Asks the jobs for a sync of the course (any process runs it); runs it here when jobs are not started. */
  requestSync(bindingId: string): Promise<void>;
  overview(filter?: { tenantId?: string; runs?: number }): Promise<GradeSyncOverview>;
  modeOf(lmsId: string): Promise<SyncMode>;
  setMode(lmsId: string, mode: SyncMode, actor: string): Promise<ModeSwitch>;
  retryFailure(id: string, actor: string): Promise<void>;
  discardFailure(id: string, actor: string): Promise<void>;
  /** Starts pg-boss and this process's workers; tenants with a Coursera connection sync on `cadence`. */
  start(options?: { cadence?: SyncCadence }): Promise<void>;
  /** Stops taking jobs and waits for the ones in flight to finish (graceful shutdown). Safe to call twice. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  readonly jobs: PgBossScheduler | undefined;
  /** The running pg-boss, once `start` resolved: other periodic work of the server is scheduled on it. */
  readonly boss: PgBoss | undefined;
  /**
   * The partner gradebook API (`/gradebook/v1`) on this engine's stores, so partner grades go out through the same
   * outbox, drains, audit and dead letters; the host supplies who the caller is and where a roster class lives.
   */
  partnerApi(options: { authenticator: PartnerAuthenticator; directory: ClassDirectory }): Handler;
  /** The `resourceId` and `tag` of the line items the picker asks the LMS to create, as grade sync finds them. */
  readonly lineItemKeys: {
    item(courseId: string, itemId: string): { resourceId: string; tag: string };
    finalGrade(courseId: string): { resourceId: string; tag: string };
  };
}

export function createGradeSyncService(options: GradeSyncServiceOptions): GradeSyncService {
  const { sql } = options.database;
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const lms = createLmsInstanceStore(sql);
  const stores = {
    outbox: createPostgresGradeOutbox(sql),
    state: createPostgresSyncState(sql),
    deadLetters: createPostgresDeadLetters(sql),
    audit: createPostgresAuditLog(sql),
    learnerLinks: createPostgresLearnerLinks(sql),
    // Every process sees the same circuit per LMS: one opened by a failing LMS stays open for all of them.
    circuits: createPostgresCircuitBreakerStore(sql),
  };
  const keyRing = new KeyRing({ store: options.lti.keys, clock });
  const services = createLtiServices({
    keyRing,
    accessTokens: options.lti.accessTokens,
    clock,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const gradebook = createLtiGradebook({
    services,
    clock,
    async resolve(target) {
      const instance = await lms.get(target.lmsId);
      const registration =
        instance === undefined
          ? undefined
          : await options.lti.registry.getRegistration(instance.issuer, instance.clientId);
      if (instance === undefined || registration === undefined)
        throw new GradeSyncError(
          'GRADESYNC_LMS_UNAUTHORIZED',
          `LMS ${target.lmsId} is no longer registered with Passport: register it again, then relaunch the course.`,
        );
      const course = await lms.courseServices(target.lmsId, target.contextId);
      return { registration, ags: course?.ags, nrps: course?.nrps };
    },
  });
  const engine = createGradeSync({
    gradebook,
    roster: gradebook,
    source: createTenantResultsSource({ learning: options.learning, state: stores.state }),
    ...stores,
    clock,
    owner: `${hostname()}-${process.pid}`,
    ...options.engine,
  });

  let boss: PgBoss | undefined;
  let jobs: PgBossScheduler | undefined;
  let stopping: Promise<void> | undefined;

  const tenantOf = async (lmsId: string) => {
    const instance = await lms.get(lmsId);
    if (instance === undefined) return undefined;
    if (instance.tenantId !== undefined) return instance.tenantId;
    const connected = await options.learning.connections.list();
    if (connected.length !== 1) return undefined;
    const tenantId = (connected[0] as { tenantId: string }).tenantId;
    await lms.assignTenant(lmsId, tenantId);
    logger.info('LMS instance assigned to the only district with Coursera', { lmsId, tenant: tenantId });
    return tenantId;
  };

  /** Option A: the LMS created a line item per deep-linked item; find each by its `resourceId`. */
  const resolveLinks = async (bindingId: string): Promise<CourseBinding | undefined> => {
    const binding = await stores.state.getBinding(bindingId);
    if (binding === undefined) return undefined;
    const { rows } = await sql.query<{ item_id: string; resource_id: string; line_item_id: string | null }>(
      'select item_id, resource_id, line_item_id from deep_link_items where binding_id = $1 order by item_id',
      [bindingId],
    );
    if (rows.length === 0) return binding;
    const target = { lmsId: binding.lmsId, contextId: binding.contextId };
    const links: Record<string, string> = {};
    for (const row of rows) {
      let lineItemId = row.line_item_id;
      if (lineItemId === null) {
        const [found] = await gradebook.listLineItems(target, { resourceId: row.resource_id });
        if (found === undefined) continue;
        lineItemId = found.id;
        await sql.query(
          'update deep_link_items set line_item_id = $3 where binding_id = $1 and item_id = $2',
          [bindingId, row.item_id, lineItemId],
        );
      }
      links[row.item_id] = lineItemId;
    }
    const current = binding.itemLineItems ?? {};
    const changed =
      Object.keys(links).length !== Object.keys(current).length ||
      Object.entries(links).some(([itemId, lineItemId]) => current[itemId] !== lineItemId);
    if (!changed) return binding;
    const updated: CourseBinding = { ...binding, itemLineItems: links };
    await engine.bind(updated);
    return updated;
  };

  const service: GradeSyncService = {
    engine,
    lms,
    lineItemKeys: {
      item: (courseId, itemId) => ({ resourceId: itemResourceId(courseId, itemId), tag: lineItemTags.item }),
      finalGrade: (courseId) => ({ resourceId: courseResourceId(courseId), tag: lineItemTags.finalGrade }),
    },
    get jobs() {
      return jobs;
    },
    get boss() {
      return boss;
    },
    partnerApi: ({ authenticator, directory }) =>
      createPartnerGradebookApi({
        authenticator,
        directory,
        store: createPostgresPartnerStore(sql),
        gradebook,
        roster: gradebook,
        learnerLinks: stores.learnerLinks,
        outbox: stores.outbox,
        audit: stores.audit,
        deadLetters: stores.deadLetters,
        // Partner grades are delivered by the jobs' drains (any process), once the jobs run (read at each call).
        scheduler: {
          requestDrain: async (lmsId, at) => {
            await jobs?.requestDrain(lmsId, at);
          },
          requestSync: async (bindingId, request) => {
            await jobs?.requestSync(bindingId, request);
          },
        },
        clock,
      }),
    async recordLaunch(launch) {
      const instance = await lms.recordLaunch(launch);
      const record = launchRecordOf(instance.lmsId, launch, clock.now());
      if (record !== undefined) await stores.learnerLinks.recordLaunch(record);
      // An activity deep-linked for one item (option A) names it: its launch tells the item's line item.
      const bindingId = launch.custom?.[customKeys.binding];
      const itemId = launch.custom?.[customKeys.item];
      const lineItem = launch.ags?.lineitem;
      if (typeof bindingId === 'string' && typeof itemId === 'string' && typeof lineItem === 'string') {
        await sql.query(
          `update deep_link_items set line_item_id = $3
            where binding_id = $1 and item_id = $2 and line_item_id is distinct from $3`,
          [bindingId, itemId, lineItem],
        );
      }
      return { instance, tenantId: await tenantOf(instance.lmsId) };
    },
    tenantOf,
    async recordAccountLink(link) {
      await stores.learnerLinks.recordAccountLink({
        lmsId: link.lmsId,
        userId: link.userId,
        platform: link.platform,
        externalId: link.externalId,
        at: link.at ?? clock.now(),
      });
    },
    async bindDeepLink(input) {
      const id = bindingIdOf(input);
      const existing = await stores.state.getBinding(id);
      if (input.choice === 'granular-linked') {
        for (const item of input.items ?? []) {
          await sql.query(
            `insert into deep_link_items (binding_id, item_id, resource_id, title) values ($1, $2, $3, $4)
             on conflict (binding_id, item_id) do update set title = excluded.title`,
            [id, item.id, itemResourceId(input.courseId, item.id), item.title],
          );
        }
      }
      const binding: CourseBinding = {
        id,
        tenantId: input.tenantId,
        lmsId: input.lmsId,
        contextId: input.contextId,
        platform: 'coursera',
        programId: input.programId,
        courseId: input.courseId,
        label: input.courseTitle,
        ...(existing?.itemLineItems === undefined ? {} : { itemLineItems: existing.itemLineItems }),
      };
      await engine.bind(binding);
      logger.info('course bound by deep linking', {
        binding: id,
        lmsId: input.lmsId,
        tenant: input.tenantId,
        choice: input.choice,
        items: input.items?.length ?? 0,
      });
      return binding;
    },
    async sync(bindingId, trigger = 'on-demand') {
      await resolveLinks(bindingId);
      return await engine.sync(bindingId, { trigger });
    },
    drain: (lmsId) => engine.drain(lmsId),
    async requestSync(bindingId) {
      if (jobs === undefined) {
        const run = await service.sync(bindingId);
        await engine.drain(run.lmsId);
        return;
      }
      await resolveLinks(bindingId);
      await jobs.requestSync(bindingId, { trigger: 'on-demand' });
    },
    async overview(filter = {}) {
      const instances = await lms.list(filter.tenantId === undefined ? {} : { tenantId: filter.tenantId });
      const lmsIds = new Set(instances.map((instance) => instance.lmsId));
      const bindings = (
        await stores.state.listBindings(filter.tenantId === undefined ? {} : { tenantId: filter.tenantId })
      ).sort((left, right) => left.id.localeCompare(right.id));
      const modes = new Map<string, SyncMode>();
      for (const instance of instances) modes.set(instance.lmsId, await engine.modeOf(instance.lmsId));
      const modeOf = async (lmsId: string) => modes.get(lmsId) ?? (await engine.modeOf(lmsId));
      const { rows: pending } = await sql.query<{ binding_id: string; item_id: string }>(
        'select binding_id, item_id from deep_link_items where line_item_id is null order by item_id',
      );
      const runs = await stores.audit.listRuns({
        ...(filter.tenantId === undefined ? {} : { tenantId: filter.tenantId }),
        limit: filter.runs ?? 20,
      });
      const statistics = (await Promise.all(runs.map((run) => engine.runStatistics(run.id)))).filter(
        (entry): entry is RunStatistics => entry !== undefined,
      );
      const failures = (await engine.listDeadLetters()).filter(
        (letter) => filter.tenantId === undefined || lmsIds.has(letter.entry.lmsId),
      );
      const waiting = (await stores.outbox.list())
        .filter((entry) => filter.tenantId === undefined || lmsIds.has(entry.lmsId))
        .map((entry) => ({
          lmsId: entry.lmsId,
          userId: entry.userId,
          attempts: entry.attempts,
          ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
        }));
      return {
        lmsInstances: await Promise.all(
          instances.map(async (instance) => ({ ...instance, mode: await modeOf(instance.lmsId) })),
        ),
        bindings: await Promise.all(
          bindings.map(async (binding) => ({
            binding,
            mode: await modeOf(binding.lmsId),
            pendingItems: pending.filter((row) => row.binding_id === binding.id).map((row) => row.item_id),
          })),
        ),
        runs: statistics,
        failures,
        waiting,
      };
    },
    modeOf: (lmsId) => engine.modeOf(lmsId),
    setMode: (lmsId, mode, actor) => engine.switchMode(lmsId, mode, { actor }),
    retryFailure: (id, actor) => engine.retryDeadLetter(id, { actor }),
    discardFailure: (id, actor) => engine.discardDeadLetter(id, { actor }),
    async start(startOptions = {}) {
      if (boss !== undefined) return;
      const { database } = options;
      boss = new PgBoss({
        db: createBossDatabase(database.db as unknown as Kysely<unknown>),
        backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
        schema:
          options.jobs?.schema ?? (database.schema === 'public' ? 'pgboss' : `${database.schema}_pgboss`),
      });
      boss.on('error', (error) => logger.error('grade sync jobs error', { error }));
      await boss.start();
      jobs = createPgBossScheduler(boss);
      await jobs.install();
      engine.useScheduler(jobs);
      await jobs.work(engine, { pollingIntervalSeconds: options.jobs?.pollingIntervalSeconds ?? 2 });
      for (const connection of await options.learning.connections.list())
        await jobs.scheduleTenant(connection.tenantId, startOptions.cadence);
      logger.info('grade sync jobs started', { backend: database.kind });
    },
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        if (boss === undefined) return;
        engine.useScheduler(undefined);
        // Graceful: no new jobs are fetched, and the drains and syncs in flight finish before this resolves.
        await boss.stop({ graceful: true, timeout: stopOptions.timeoutMs ?? 30_000 });
        logger.info('grade sync jobs stopped');
      })();
      return stopping;
    },
  };
  return service;
}
