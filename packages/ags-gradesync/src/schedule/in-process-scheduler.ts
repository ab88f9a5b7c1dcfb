import type { GradeSync } from '../engine/create-grade-sync.ts';
import { periodOf, type SyncCadence } from './cadence.ts';
import type { SyncRequest, SyncScheduler } from './scheduler.ts';

export interface InProcessScheduler extends SyncScheduler {
  /** Syncs every course of the tenant at this cadence (or every `periodMs`, for tests). */
  scheduleTenant(tenantId: string, cadence: SyncCadence | { readonly periodMs: number }): void;
  unscheduleTenant(tenantId: string): void;
  /** Resolves when no drain or sync is running or waiting to start now. */
  idle(): Promise<void>;
  /** Errors of background work, newest last. */
  readonly errors: readonly unknown[];
  stop(): void;
}

/**
 * Runs drains and syncs on timers in this process: for one server, tests and the demo. Drains of one LMS never
 * overlap here (and the drain lease keeps them apart across processes anyway). Use the pg-boss scheduler to share
 * the work between processes.
 */
export function createInProcessScheduler(
  engine: GradeSync,
  options: { now?: () => number } = {},
): InProcessScheduler {
  const now = options.now ?? Date.now;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const periodic = new Map<string, ReturnType<typeof setInterval>>();
  const running = new Set<Promise<unknown>>();
  const drainAt = new Map<string, number>();
  const errors: unknown[] = [];
  let stopped = false;

  const track = (work: () => Promise<unknown>) => {
    const promise = work()
      .catch((error: unknown) => {
        errors.push(error);
      })
      .finally(() => running.delete(promise));
    running.add(promise);
  };
  const later = (delay: number, work: () => Promise<unknown>) => {
    if (stopped) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (!stopped) track(work);
      },
      Math.max(0, delay),
    );
    timers.add(timer);
  };

  const scheduler: InProcessScheduler = {
    errors,
    async requestDrain(lmsId, at) {
      const when = at?.getTime() ?? now();
      const planned = drainAt.get(lmsId);
      // One drain per LMS waits at a time: the earliest wins; the drain asks again for what it leaves.
      if (planned !== undefined && planned <= when) return;
      drainAt.set(lmsId, when);
      later(when - now(), async () => {
        if (drainAt.get(lmsId) === when) drainAt.delete(lmsId);
        await engine.drain(lmsId);
      });
    },
    async requestSync(bindingId, request: SyncRequest) {
      later(0, () => engine.sync(bindingId, request));
    },
    scheduleTenant(tenantId, cadence) {
      scheduler.unscheduleTenant(tenantId);
      const period =
        typeof cadence === 'object' && 'periodMs' in cadence ? cadence.periodMs : periodOf(cadence);
      periodic.set(
        tenantId,
        setInterval(() => track(() => engine.syncTenant(tenantId, 'schedule')), period),
      );
    },
    unscheduleTenant(tenantId) {
      const timer = periodic.get(tenantId);
      if (timer !== undefined) clearInterval(timer);
      periodic.delete(tenantId);
    },
    async idle() {
      for (;;) {
        const due = [...drainAt.values()].some((at) => at <= now() + 5);
        if (running.size === 0 && !due) return;
        await Promise.all([...running]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      for (const timer of periodic.values()) clearInterval(timer);
      timers.clear();
      periodic.clear();
    },
  };
  return scheduler;
}
