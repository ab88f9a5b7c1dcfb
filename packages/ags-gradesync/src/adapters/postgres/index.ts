// PostgreSQL / PGlite adapters of the grade sync stores, over `SqlClient` (a `pg` Pool or PGlite as they are).

export { createPostgresAuditLog } from './postgres-audit-log.ts';
export { createPostgresCircuitBreakerStore } from './postgres-circuit-breaker-store.ts';
export { createPostgresDeadLetters } from './postgres-dead-letters.ts';
export { createPostgresGradeOutbox } from './postgres-grade-outbox.ts';
export { createPostgresLearnerLinks } from './postgres-learner-links.ts';
export { createPostgresPartnerStore } from './postgres-partner-store.ts';
export { createPostgresSyncState } from './postgres-sync-state.ts';
export { gradeSyncSchemaStatements, migrateGradeSyncSchema } from './schema.ts';
