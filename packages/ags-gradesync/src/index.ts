// @passport/ags-gradesync: the grade sync engine, from learning platforms into LMS gradebooks. The public API,
// re-exports only.

export {
  type ConnectorResultsSourceOptions,
  createConnectorResultsSource,
  createResultsPushHandler,
  learningResultsOf,
} from './adapters/coursera/index.ts';
export {
  type ClassroomFetch,
  type ClassroomGradebookOptions,
  type CourseWork,
  classroomApiUrl,
  courseWorkMarker,
  createClassroomGradebook,
  type Student,
  type StudentSubmission,
} from './adapters/google-classroom/index.ts';
export {
  courseServicesOf,
  createLtiGradebook,
  type LtiCourseServices,
  type LtiGradebookOptions,
  launchRecordOf,
  parseRetryAfter,
  translateLtiError,
} from './adapters/lti13/index.ts';
export { createMemoryAuditLog } from './adapters/memory/memory-audit-log.ts';
export { createMemoryCircuitBreakerStore } from './adapters/memory/memory-circuit-breaker-store.ts';
export { createMemoryDeadLetters } from './adapters/memory/memory-dead-letters.ts';
export { createMemoryGradeOutbox } from './adapters/memory/memory-grade-outbox.ts';
export { createMemoryGradebook, type MemoryGradebook } from './adapters/memory/memory-gradebook.ts';
export { createMemoryLearnerLinks } from './adapters/memory/memory-learner-links.ts';
export { createMemoryPartnerStore } from './adapters/memory/memory-partner-store.ts';
export {
  createMemoryResultsSource,
  type MemoryResultsSource,
} from './adapters/memory/memory-results-source.ts';
export { createMemorySyncState } from './adapters/memory/memory-sync-state.ts';
export {
  createPostgresAuditLog,
  createPostgresCircuitBreakerStore,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresPartnerStore,
  createPostgresSyncState,
  gradeSyncSchemaStatements,
  migrateGradeSyncSchema,
} from './adapters/postgres/index.ts';
export { type BackoffOptions, backoffDelay } from './delivery/backoff.ts';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  circuitStateOf,
  createCircuitBreaker,
} from './delivery/circuit-breaker.ts';
export { classifyFailure, type FailureAction } from './delivery/classify-failure.ts';
export type { DrainReport } from './delivery/drain-outbox.ts';
export { createRateLimiter, type RateLimiter, type Sleep } from './delivery/rate-limiter.ts';
export { type Comparison, compareWithSent, timestampToSend } from './diff/compare-with-sent.ts';
export { fingerprintScore, hashText } from './diff/fingerprint.ts';
export {
  createScorePlanner,
  type ScorePlan,
  type ScorePlanInput,
  type SlotTarget,
} from './diff/plan-scores.ts';
export { type CircuitStatus, createGradeSync, type GradeSync } from './engine/create-grade-sync.ts';
export type { DeliveryLimits, GradeSyncOptions } from './engine/engine-options.ts';
export type { DeliveryCounters, RunStatistics } from './engine/run-statistics.ts';
export {
  describeGradeSyncError,
  GradeSyncError,
  type GradeSyncErrorCode,
  type GradeSyncErrorOptions,
  type GradeSyncFindingCode,
  gradeSyncErrorCatalog,
  gradeSyncErrorCodes,
  gradeSyncFindingCatalog,
} from './errors.ts';
export { fractionOf, type MappedScore, mapScore, type ScoreContent } from './mapping/map-score.ts';
export { type RoundingMode, roundingModes, roundScore } from './mapping/round-score.ts';
export {
  type ScoreMappingInput,
  type ScoreMappingOptions,
  type ScoreMappingTarget,
  scoreMappingOptionsSchema,
} from './mapping/score-mapping-options.ts';
export {
  createLearnerMatcher,
  type LearnerMatcher,
  type LearnerMatcherInput,
  type MatchEvidence,
  type MatchOutcome,
} from './matching/match-learner.ts';
export {
  courseResourceId,
  courseSlot,
  itemResourceId,
  itemSlot,
  levelOf,
  lineItemTags,
} from './modes/line-item-keys.ts';
export { describeModeSwitch, type ModeSwitch } from './modes/switch-mode.ts';
export { partnerScopes } from './partner/partner-access.ts';
export {
  createPartnerGradebookApi,
  type PartnerGradebookApiOptions,
  partnerLineItemTag,
} from './partner/partner-gradebook-api.ts';
export { defaultLetterScale, partnerScoreContent, pointsOf } from './partner/partner-score.ts';
export type * from './ports.ts';
export { syncModes } from './ports.ts';
export { periodOf, recurrenceOf, type SyncCadence } from './schedule/cadence.ts';
export { createInProcessScheduler, type InProcessScheduler } from './schedule/in-process-scheduler.ts';
export {
  createPgBossScheduler,
  gradeSyncQueues,
  type PgBossScheduler,
} from './schedule/pg-boss-scheduler.ts';
export type { SyncRequest, SyncScheduler } from './schedule/scheduler.ts';
