import { randomId, systemClock } from '@passport/core';
import { createMemoryCircuitBreakerStore } from '../adapters/memory/memory-circuit-breaker-store.ts';
import { type CircuitBreaker, type CircuitState, createCircuitBreaker } from '../delivery/circuit-breaker.ts';
import { type DrainReport, drainOutbox } from '../delivery/drain-outbox.ts';
import { createRateLimiter, type RateLimiter, realSleep } from '../delivery/rate-limiter.ts';
import { GradeSyncError } from '../errors.ts';
import { type ModeSwitch, switchMode } from '../modes/switch-mode.ts';
import { parseOptions } from '../options.ts';
import type { CourseBinding, DeadLetter, LearningResult, RunRecord, SyncMode } from '../ports.ts';
import type { SyncRequest, SyncScheduler } from '../schedule/scheduler.ts';
import type { EngineContext } from './engine-context.ts';
import { type DeliveryLimits, engineOptionsSchema, type GradeSyncOptions } from './engine-options.ts';
import { type RunStatistics, runStatistics } from './run-statistics.ts';
import { type RunSyncRequest, runSync } from './run-sync.ts';

export interface GradeSync {
  /** Saves (inserts or replaces) a course binding: at the first launch from an LMS course, or a deep link. */
  bind(binding: CourseBinding): Promise<void>;
  /** An incremental sync of one course (scheduled or on demand). */
  sync(bindingId: string, request?: Partial<SyncRequest>): Promise<RunRecord>;
  /** An explicit full resync: every result read again and every score sent again (with its original timestamp). */
  fullResync(bindingId: string, request: { actor: string; reason?: string }): Promise<RunRecord>;
  /**
   * Event-driven sync: results the platform pushed (a completion), applied to every binding of their course at
   * once, then delivered by the next drain. Answers the runs.
   */
  receiveResults(programId: string, results: readonly LearningResult[]): Promise<RunRecord[]>;
  /**
   * The periodic sync of a tenant: every course binding of the tenant, one after the other. A course that fails is
   * recorded (its run carries the error) and does not stop the others.
   */
  syncTenant(
    tenantId: string,
    trigger?: RunRecord['trigger'],
  ): Promise<Array<RunRecord | { bindingId: string; error: string }>>;
  /** Asks the scheduler for a drain of every LMS that has scores due (a safety net after a crashed drainer). */
  sweep(): Promise<string[]>;
  /** Delivers the LMS's due scores (see `drainOutbox`). Without a scheduler, runs any recreation sync itself. */
  drain(lmsId: string, options?: { budgetMs?: number; signal?: AbortSignal }): Promise<DrainReport>;
  modeOf(lmsId: string): Promise<SyncMode>;
  switchMode(lmsId: string, to: SyncMode, request: { actor: string; reason?: string }): Promise<ModeSwitch>;
  listDeadLetters(filter?: { lmsId?: string; bindingId?: string; runId?: string }): Promise<DeadLetter[]>;
  /** Puts a dead letter back in the outbox (or re-plans its course, for a deleted line item), audited. */
  retryDeadLetter(id: string, request: { actor: string }): Promise<void>;
  discardDeadLetter(id: string, request: { actor: string }): Promise<void>;
  runStatistics(runId: string): Promise<RunStatistics | undefined>;
  /** The LMS's circuit breaker as the circuit store holds it (shared by every process with a PostgreSQL store). */
  circuit(lmsId: string): Promise<CircuitStatus>;
  /** Sets where drains and syncs are requested (after construction, since a scheduler's workers need the engine). */
  useScheduler(scheduler: SyncScheduler | undefined): void;
}

export interface CircuitStatus {
  readonly state: CircuitState;
  /** Consecutive LMS failures (network, 5xx) counted so far. */
  readonly failures: number;
  /** When an open circuit lets a probe through; undefined when closed. */
  readonly reopensAt: Date | undefined;
}

/**
 * The grade sync engine: learning-platform results into LMS gradebooks, incremental, durable and retried. Every
 * dependency is a port (see `ports.ts`); options are validated here, with a message naming the bad one.
 */
export function createGradeSync(options: GradeSyncOptions): GradeSync {
  const config = parseOptions(engineOptionsSchema, options, 'grade sync');
  const clock = config.clock ?? systemClock;
  const generateId = config.generateId ?? randomId;
  const limiters = new Map<string, RateLimiter>();
  const breakers = new Map<string, CircuitBreaker>();
  const circuits = config.circuits ?? createMemoryCircuitBreakerStore();
  const sleep = config.sleep ?? realSleep;
  const now = () => clock.now().getTime();
  const limitsOf = (lmsId: string): DeliveryLimits => ({
    concurrency: config.delivery.perLms[lmsId]?.concurrency ?? config.delivery.concurrency,
    ratePerSecond: config.delivery.perLms[lmsId]?.ratePerSecond ?? config.delivery.ratePerSecond,
    burst: config.delivery.perLms[lmsId]?.burst ?? config.delivery.burst,
  });
  const context: EngineContext = {
    gradebook: config.gradebook,
    roster: config.roster,
    source: config.source,
    outbox: config.outbox,
    state: config.state,
    deadLetters: config.deadLetters,
    audit: config.audit,
    learnerLinks: config.learnerLinks,
    scheduler: config.scheduler,
    clock,
    generateId,
    sleep,
    random: config.random ?? Math.random,
    owner: config.owner ?? `engine-${randomId()}`,
    defaultMode: config.defaultMode,
    mapping: config.mapping,
    delivery: config.delivery,
    lockWaitMs: config.lockWaitMs,
    syncLeaseMs: config.syncLeaseMs,
    limitsOf,
    limiterOf(lmsId) {
      let limiter = limiters.get(lmsId);
      if (limiter === undefined) {
        const limits = limitsOf(lmsId);
        limiter = createRateLimiter({ ratePerSecond: limits.ratePerSecond, burst: limits.burst, sleep });
        limiters.set(lmsId, limiter);
      }
      return limiter;
    },
    breakerOf(lmsId) {
      let breaker = breakers.get(lmsId);
      if (breaker === undefined) {
        breaker = createCircuitBreaker({ ...config.delivery.breaker, lmsId, store: circuits, now });
        breakers.set(lmsId, breaker);
      }
      return breaker;
    },
  };

  const sync = (bindingId: string, request: Partial<RunSyncRequest> = {}) =>
    runSync(context, bindingId, { ...request, trigger: request.trigger ?? 'on-demand' });

  const takeLetter = async (id: string) => {
    const letter = await context.deadLetters.take(id);
    if (letter === undefined)
      throw new GradeSyncError('GRADESYNC_DEAD_LETTER_UNKNOWN', `No dead letter ${id}.`);
    return letter;
  };

  return {
    bind: (binding) => context.state.saveBinding(binding),
    sync,
    async fullResync(bindingId, request) {
      const binding = await context.state.getBinding(bindingId);
      if (binding === undefined)
        throw new GradeSyncError('GRADESYNC_BINDING_UNKNOWN', `No course binding ${bindingId}.`);
      await context.audit.append({
        key: `resync-requested:${generateId()}`,
        at: clock.now(),
        kind: 'resync-requested',
        lmsId: binding.lmsId,
        bindingId,
        actor: request.actor,
        detail: { reason: request.reason },
      });
      return sync(bindingId, { trigger: 'full-resync', reread: true, resend: true });
    },
    async receiveResults(programId, results) {
      const courseIds = new Set(results.map((result) => result.courseId));
      const bindings = (await context.state.listBindings()).filter(
        (binding) => binding.programId === programId && courseIds.has(binding.courseId),
      );
      const runs: RunRecord[] = [];
      for (const binding of bindings) runs.push(await sync(binding.id, { trigger: 'event', results }));
      return runs;
    },
    async syncTenant(tenantId, trigger = 'schedule') {
      const outcomes: Array<RunRecord | { bindingId: string; error: string }> = [];
      for (const binding of await context.state.listBindings({ tenantId })) {
        try {
          outcomes.push(await sync(binding.id, { trigger }));
        } catch (error) {
          outcomes.push({
            bindingId: binding.id,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return outcomes;
    },
    async sweep() {
      const due: string[] = [];
      const lmsIds = new Set((await context.state.listBindings()).map((binding) => binding.lmsId));
      for (const lmsId of lmsIds) {
        const next = await context.outbox.nextDueAt(lmsId);
        if (next === undefined || next.getTime() > clock.now().getTime()) continue;
        due.push(lmsId);
        if (context.scheduler !== undefined) await context.scheduler.requestDrain(lmsId);
      }
      return due;
    },
    async drain(lmsId, drainOptions = {}) {
      const report = await drainOutbox(context, lmsId, drainOptions);
      if (context.scheduler === undefined && report.resyncBindings.length > 0) {
        for (const bindingId of report.resyncBindings)
          await sync(bindingId, { trigger: 'recreate', reread: true });
        const again = await drainOutbox(context, lmsId, drainOptions);
        for (const key of [
          'claimed',
          'delivered',
          'alreadyDelivered',
          'lmsHadNewer',
          'retried',
          'deadLettered',
          'recreated',
          'superseded',
        ] as const)
          report[key] += again[key];
        report.stoppedBy = again.stoppedBy;
        report.nextDueAt = again.nextDueAt;
      }
      return report;
    },
    async modeOf(lmsId) {
      return (await context.state.getMode(lmsId)) ?? context.defaultMode;
    },
    switchMode: (lmsId, to, request) =>
      switchMode(
        {
          state: context.state,
          outbox: context.outbox,
          audit: context.audit,
          clock,
          generateId,
          defaultMode: context.defaultMode,
        },
        lmsId,
        to,
        request,
      ),
    listDeadLetters: (filter) => context.deadLetters.list(filter),
    async retryDeadLetter(id, request) {
      const letter = await takeLetter(id);
      const { entry } = letter;
      await context.audit.append({
        key: `dead-letter-retried:${id}:${generateId()}`,
        at: clock.now(),
        kind: 'dead-letter-retried',
        lmsId: entry.lmsId,
        bindingId: entry.bindingId,
        runId: entry.runId,
        lineItemId: entry.lineItemId,
        userId: entry.userId,
        actor: request.actor,
        detail: { reason: letter.reason },
      });
      if (
        letter.reason === 'GRADESYNC_LINE_ITEM_DELETED' &&
        (await context.state.getBinding(entry.bindingId)) !== undefined
      ) {
        // The line item is gone: forget it and plan the course again against the line items it has now.
        const slots = await context.state.lineItemSlots(entry.bindingId);
        if (slots.some((slot) => slot.slot === entry.slot && slot.lineItemId === entry.lineItemId))
          await context.state.removeLineItemSlot(entry.bindingId, entry.slot);
        await sync(entry.bindingId, { trigger: 'on-demand', reread: true });
        return;
      }
      const sent = await context.state.sentScore(entry.lineItemId, entry.userId);
      if (sent !== undefined && sent.sourceUpdatedAt > entry.sourceUpdatedAt) return; // a newer score went since
      const {
        id: _id,
        version: _version,
        attempts: _attempts,
        availableAt: _availableAt,
        enqueuedAt: _enqueuedAt,
        lastError: _lastError,
        ...again
      } = entry;
      await context.outbox.enqueue([again], clock.now());
      if (context.scheduler !== undefined) await context.scheduler.requestDrain(entry.lmsId);
    },
    async discardDeadLetter(id, request) {
      const letter = await takeLetter(id);
      await context.audit.append({
        key: `dead-letter-discarded:${id}:${generateId()}`,
        at: clock.now(),
        kind: 'dead-letter-discarded',
        lmsId: letter.entry.lmsId,
        bindingId: letter.entry.bindingId,
        runId: letter.entry.runId,
        lineItemId: letter.entry.lineItemId,
        userId: letter.entry.userId,
        actor: request.actor,
        detail: { reason: letter.reason, message: letter.message },
      });
    },
    runStatistics: (runId) => runStatistics(context, runId),
    async circuit(lmsId) {
      const breaker = context.breakerOf(lmsId);
      await breaker.refresh();
      const reopensAt = breaker.reopensAt;
      return {
        state: breaker.state,
        failures: breaker.failures,
        reopensAt: reopensAt === undefined ? undefined : new Date(reopensAt),
      };
    },
    useScheduler(scheduler) {
      context.scheduler = scheduler;
    },
  };
}
