import type { Clock, GenerateId } from '@passport/core';
import { z } from 'zod';
import type { Sleep } from '../delivery/rate-limiter.ts';
import { scoreMappingOptionsSchema } from '../mapping/score-mapping-options.ts';
import { port } from '../options.ts';
import {
  type AuditLog,
  type CircuitBreakerStore,
  type DeadLetters,
  type Gradebook,
  type GradeOutbox,
  type LearnerLinks,
  type ResultsSource,
  type Roster,
  type SyncState,
  syncModes,
} from '../ports.ts';
import type { SyncScheduler } from '../schedule/scheduler.ts';

export const deliveryLimitsSchema = z.object({
  /** Scores in flight at once to one LMS. */
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Requests per second to one LMS. */
  ratePerSecond: z.number().positive().default(10),
  /** Requests allowed early when the LMS has been idle. */
  burst: z.number().int().min(1).default(1),
});

export type DeliveryLimits = z.output<typeof deliveryLimitsSchema>;

export const engineOptionsSchema = z.object({
  gradebook: port<Gradebook>(),
  roster: port<Roster>(),
  source: port<ResultsSource>(),
  outbox: port<GradeOutbox>(),
  state: port<SyncState>(),
  deadLetters: port<DeadLetters>(),
  audit: port<AuditLog>(),
  learnerLinks: port<LearnerLinks>(),
  /**
   * Where each LMS's circuit breaker lives. Default: in this engine's memory, so a process that takes an LMS over
   * starts with a closed circuit; servers with several processes pass `createPostgresCircuitBreakerStore(sql)`.
   */
  circuits: port<CircuitBreakerStore>().optional(),
  /** Where drains and syncs are requested (pg-boss across processes, timers in one process); default none. */
  scheduler: port<SyncScheduler>().optional(),
  clock: port<Clock>().optional(),
  generateId: port<GenerateId>('function').optional(),
  sleep: port<Sleep>('function').optional(),
  random: port<() => number>('function').optional(),
  /** Who holds leases taken by this engine (a process id); default random. */
  owner: z.string().min(1).optional(),
  /** The mode of an LMS that was never switched. */
  defaultMode: z.enum(syncModes).default('final-grade'),
  mapping: scoreMappingOptionsSchema.prefault({}),
  delivery: z
    .object({
      ...deliveryLimitsSchema.shape,
      /** Limits of particular LMS instances, by LMS id. */
      perLms: z.record(z.string(), deliveryLimitsSchema.partial()).default({}),
      /** Attempts before a retryable failure is dead-lettered. */
      maxAttempts: z.number().int().min(1).default(8),
      backoff: z
        .object({
          baseMs: z.number().int().min(1).default(1000),
          maxMs: z
            .number()
            .int()
            .min(1)
            .default(15 * 60_000),
        })
        .prefault({}),
      /** How long a claimed score stays leased to its deliverer; a crashed deliverer's scores are due after it. */
      claimLeaseMs: z.number().int().min(100).default(60_000),
      /** How long a drain holds an LMS (renewed while it works); a crashed drainer releases it after this. */
      drainLeaseMs: z.number().int().min(100).default(30_000),
      /** How long one drain runs before it hands the LMS back to the scheduler. */
      drainBudgetMs: z.number().int().min(10).default(25_000),
      breaker: z
        .object({
          failureThreshold: z.number().int().min(1).default(5),
          openMs: z.number().int().min(1).default(30_000),
          /** How long a half-open circuit's probe may be in flight before another process may probe. */
          probeLeaseMs: z.number().int().min(1).default(60_000),
        })
        .prefault({}),
    })
    .prefault({}),
  /** How long a sync waits for another process's sync of the same course before giving up. */
  lockWaitMs: z.number().int().min(0).default(10_000),
  /** How long a sync holds its course. */
  syncLeaseMs: z
    .number()
    .int()
    .min(100)
    .default(5 * 60_000),
});

export type GradeSyncOptions = z.input<typeof engineOptionsSchema>;
export type ResolvedGradeSyncOptions = z.output<typeof engineOptionsSchema>;
