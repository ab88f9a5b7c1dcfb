import type { PgBoss } from 'pg-boss';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RosterImportRecord } from './import-history.ts';
import { type RosterPullDependencies, runRosterSource } from './roster-pull.ts';
import type { RosterSource, RosterSourceStore } from './roster-sources.ts';

/** The pg-boss queue roster pulls run on; each source's schedule is a keyed schedule of it. */
export const rosterPullQueue = 'passport-roster-pull';

interface PullJob {
  sourceId: string;
  tenantId: string;
  actor: string;
}

export interface RosterPullJobs {
  readonly sources: RosterSourceStore;
  /**
   * Starts this process's worker and puts every stored schedule in place (schedules live in the database, so with
   * several processes each run happens once, in whichever process takes the job).
   */
  start(boss: PgBoss): Promise<void>;
  /** Puts the source's schedule in place, or removes it when the source has none. */
  schedule(source: RosterSource): Promise<void>;
  /** Removes a source's schedule (the source was removed). */
  unschedule(sourceId: string): Promise<void>;
  /**
   * Asks for a run now: queued as a job (one queued and one running per source at most), or, before the jobs have
   * started, run in this process. Resolves once queued, not when the import is done.
   */
  runNow(source: RosterSource, actor: string): Promise<void>;
  /** The next times a schedule fires, in its time zone (empty without a schedule or before the jobs started). */
  nextRuns(source: RosterSource, count?: number): Date[];
  /**
   * Throws `SERVER_ROSTER_SOURCE_INVALID` naming the field when a source's URL or token URL is refused by the
   * outbound guard (a private address on a deployment that does not allow them).
   */
  checkUrls(input: { url: string; tokenUrl?: string | undefined }): Promise<void>;
  /** Throws `SERVER_ROSTER_SOURCE_INVALID` when pg-boss cannot read the schedule (checked once the jobs run). */
  checkSchedule(schedule: string, timeZone: string): void;
  /** Reads the source and imports it in this process (what a job does). */
  runOnce(source: RosterSource, actor: string): Promise<RosterImportRecord>;
}

export function createRosterPullJobs(
  options: RosterPullDependencies & {
    sources: RosterSourceStore;
    logger: Logger;
    /** Refuses a URL this server must not call (see http/outbound-guard.ts); default: every URL allowed. */
    checkUrl?: (url: URL) => Promise<void>;
  },
): RosterPullJobs {
  const { sources, logger } = options;
  let boss: PgBoss | undefined;

  const runOnce = async (source: RosterSource, actor: string) => {
    const record = await runRosterSource(options, source, actor);
    await sources.recordRun(source.id, { at: record.finishedAt, importId: record.id, status: record.status });
    const fields = { tenant: source.tenantId, source: source.id, import: record.id, status: record.status };
    if (record.status === 'applied') logger.info('roster pull applied', fields);
    else logger.warn('roster pull did not apply', { ...fields, message: record.message });
    return record;
  };

  const jobs: RosterPullJobs = {
    sources,
    async start(started) {
      boss = started;
      // `stately` with the source as singleton key: one run queued and one running per source at most.
      await started.createQueue(rosterPullQueue, {
        policy: 'stately',
        // A large district's pull can take a long time; a source that failed is retried twice, a while later.
        expireInSeconds: 4 * 60 * 60,
        retryLimit: 2,
        retryDelay: 300,
        retryBackoff: true,
      });
      await started.work<PullJob>(rosterPullQueue, async ([job]) => {
        if (job === undefined) return;
        const source = await sources.find(job.data.sourceId);
        if (source === undefined || source.tenantId !== job.data.tenantId) {
          logger.info('roster pull skipped: the source was removed', { source: job.data.sourceId });
          return;
        }
        const record = await runOnce(source, job.data.actor);
        // A source that could not be read is retried by pg-boss; an invalid or held package is not (it needs a person).
        if (record.status === 'failed') throw new Error(record.message);
      });
      const scheduled = await sources.listScheduled();
      const wanted = new Set(scheduled.map((source) => source.id));
      for (const existing of await started.getSchedules(rosterPullQueue)) {
        if (existing.key !== undefined && !wanted.has(existing.key)) {
          await started.unschedule(rosterPullQueue, existing.key);
        }
      }
      for (const source of scheduled) await jobs.schedule(source);
    },
    async schedule(source) {
      if (boss === undefined) return;
      if (source.schedule === undefined) {
        await boss.unschedule(rosterPullQueue, source.id);
        return;
      }
      const data: PullJob = { sourceId: source.id, tenantId: source.tenantId, actor: 'schedule' };
      await boss.schedule(rosterPullQueue, source.schedule, data, {
        key: source.id,
        tz: source.timeZone,
        singletonKey: source.id,
      });
    },
    async unschedule(sourceId) {
      await boss?.unschedule(rosterPullQueue, sourceId);
    },
    async runNow(source, actor) {
      if (boss === undefined) {
        void runOnce(source, actor).catch((error: unknown) =>
          logger.error('roster pull failed', { error, source: source.id }),
        );
        return;
      }
      const data: PullJob = { sourceId: source.id, tenantId: source.tenantId, actor };
      await boss.send(rosterPullQueue, data, { singletonKey: source.id });
    },
    nextRuns(source, count = 3) {
      if (boss === undefined || source.schedule === undefined) return [];
      try {
        return boss.previewSchedule(source.schedule, { tz: source.timeZone, count });
      } catch {
        return [];
      }
    },
    async checkUrls(input) {
      if (options.checkUrl === undefined) return;
      for (const [field, value] of [
        ['url', input.url],
        ['tokenUrl', input.tokenUrl],
      ] as const) {
        if (value === undefined) continue;
        try {
          await options.checkUrl(new URL(value));
        } catch (error) {
          throw new ServerError(
            'SERVER_ROSTER_SOURCE_INVALID',
            `${field}: ${error instanceof Error ? error.message : String(error)}`,
            { status: 400, detail: { field } },
          );
        }
      }
    },
    checkSchedule(schedule, timeZone) {
      if (boss === undefined) return;
      try {
        boss.previewSchedule(schedule, { tz: timeZone, count: 1 });
      } catch (error) {
        throw new ServerError(
          'SERVER_ROSTER_SOURCE_INVALID',
          `schedule "${schedule}" is not a cron expression pg-boss can run: ${error instanceof Error ? error.message : String(error)}`,
          { status: 400, detail: { field: 'schedule' } },
        );
      }
    },
    runOnce,
  };
  return jobs;
}
