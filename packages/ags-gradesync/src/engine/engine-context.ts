import type { Clock, GenerateId } from '@passport/core';
import type { CircuitBreaker } from '../delivery/circuit-breaker.ts';
import type { RateLimiter, Sleep } from '../delivery/rate-limiter.ts';
import type { ScoreMappingOptions } from '../mapping/score-mapping-options.ts';
import type {
  AuditLog,
  DeadLetters,
  Gradebook,
  GradeOutbox,
  LearnerLinks,
  ResultsSource,
  Roster,
  SyncMode,
  SyncState,
} from '../ports.ts';
import type { SyncScheduler } from '../schedule/scheduler.ts';
import type { DeliveryLimits, ResolvedGradeSyncOptions } from './engine-options.ts';

/** Everything the engine's steps share: the ports, the resolved options, and the per-LMS limiters and breakers. */
export interface EngineContext {
  readonly gradebook: Gradebook;
  readonly roster: Roster;
  readonly source: ResultsSource;
  readonly outbox: GradeOutbox;
  readonly state: SyncState;
  readonly deadLetters: DeadLetters;
  readonly audit: AuditLog;
  readonly learnerLinks: LearnerLinks;
  scheduler: SyncScheduler | undefined;
  readonly clock: Clock;
  readonly generateId: GenerateId;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly owner: string;
  readonly defaultMode: SyncMode;
  readonly mapping: ScoreMappingOptions;
  readonly delivery: ResolvedGradeSyncOptions['delivery'];
  readonly lockWaitMs: number;
  readonly syncLeaseMs: number;
  limitsOf(lmsId: string): DeliveryLimits;
  limiterOf(lmsId: string): RateLimiter;
  breakerOf(lmsId: string): CircuitBreaker;
}
