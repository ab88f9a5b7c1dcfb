import type { PgBoss } from 'pg-boss';
import type { GradeSync } from '../engine/create-grade-sync.ts';
import { recurrenceOf, type SyncCadence } from './cadence.ts';
import type { SyncRequest, SyncScheduler } from './scheduler.ts';

/** The pg-boss queues of the grade sync engine. */
export const gradeSyncQueues = {
  /** `{ lmsId }`: drain one LMS's outbox. */
  drain: 'gradesync-drain',
  /** `{ bindingId, trigger, reread?, resend? }`: sync one course. */
  sync: 'gradesync-sync',
  /** `{ tenantId }`: the periodic sync of a tenant (scheduled per tenant, keyed by tenant id). */
  tenant: 'gradesync-tenant',
  /** Every minute: ask for a drain of every LMS with scores due (after a crashed drainer). */
  sweep: 'gradesync-sweep',
} as const;

export interface PgBossScheduler extends SyncScheduler {
  /** Creates the queues and the sweep schedule. Call once per process, after `boss.start()`. */
  install(): Promise<void>;
  /** Syncs every course of the tenant at this cadence (default daily); replaces the tenant's schedule. */
  scheduleTenant(tenantId: string, cadence?: SyncCadence): Promise<void>;
  unscheduleTenant(tenantId: string): Promise<void>;
  /** On-demand sync of a whole tenant, by any process. */
  requestTenantSync(tenantId: string): Promise<void>;
  /** Starts this process's workers of every grade sync queue. */
  work(
    engine: GradeSync,
    options?: { drainConcurrency?: number; pollingIntervalSeconds?: number },
  ): Promise<void>;
  /** Stops this process's workers (the jobs stay for the other processes). */
  stopWork(): Promise<void>;
}

/**
 * The engine's scheduler over pg-boss: drains, syncs and per-tenant schedules are jobs in PostgreSQL that every
 * server process works, so the outbox is drained by whichever process is free. A drain job of an LMS that another
 * process is draining ends at once (the drain lease), so per-LMS limits hold across processes; the one-minute sweep
 * restarts an LMS whose drainer died.
 */
export function createPgBossScheduler(boss: PgBoss): PgBossScheduler {
  const names = Object.values(gradeSyncQueues);
  return {
    async install() {
      const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
      for (const name of names)
        if (!existing.has(name))
          await boss.createQueue(name, { retryLimit: 3, retryDelay: 5, retryBackoff: true });
      await boss.schedule(gradeSyncQueues.sweep, '* * * * *', {}, { key: 'sweep' });
    },
    async requestDrain(lmsId, at) {
      await boss.send(gradeSyncQueues.drain, { lmsId }, at === undefined ? {} : { startAfter: at });
    },
    async requestSync(bindingId, request: SyncRequest) {
      await boss.send(gradeSyncQueues.sync, { bindingId, ...request });
    },
    async scheduleTenant(tenantId, cadence) {
      await boss.schedule(gradeSyncQueues.tenant, recurrenceOf(cadence), { tenantId }, { key: tenantId });
    },
    async unscheduleTenant(tenantId) {
      await boss.unschedule(gradeSyncQueues.tenant, tenantId);
    },
    async requestTenantSync(tenantId) {
      await boss.send(gradeSyncQueues.tenant, { tenantId, onDemand: true });
    },
    async work(engine, options = {}) {
      const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
      await boss.work<{ lmsId: string }>(
        gradeSyncQueues.drain,
        { ...polling, localConcurrency: options.drainConcurrency ?? 2 },
        async ([job]) => (job === undefined ? undefined : engine.drain(job.data.lmsId)),
      );
      await boss.work<{ bindingId: string } & SyncRequest>(gradeSyncQueues.sync, polling, async ([job]) => {
        if (job === undefined) return undefined;
        const { bindingId, ...request } = job.data;
        return engine.sync(bindingId, request);
      });
      await boss.work<{ tenantId: string; onDemand?: boolean }>(
        gradeSyncQueues.tenant,
        polling,
        async ([job]) =>
          job === undefined
            ? undefined
            : engine.syncTenant(job.data.tenantId, job.data.onDemand ? 'on-demand' : 'schedule'),
      );
      await boss.work(gradeSyncQueues.sweep, polling, async () => engine.sweep());
    },
    async stopWork() {
      for (const name of names) await boss.offWork(name);
    },
  };
}
