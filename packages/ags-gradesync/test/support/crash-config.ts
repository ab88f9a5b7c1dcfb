import type { SqlClient } from '@passport/core';
import type { PlatformRegistration } from '@passport/lti13';
import {
  createPostgresAuditLog,
  createPostgresCircuitBreakerStore,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresSyncState,
} from '../../src/adapters/postgres/index.ts';
import type { GradeSyncOptions } from '../../src/engine/engine-options.ts';

/** What the crash test hands its worker processes. */
export interface CrashWorkerConfig {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly bossSchema: string;
  /** The lti13 platform (the LMS). */
  readonly origin: string;
  readonly registration: PlatformRegistration;
  /** The tool's stored keys (dates as ISO strings), so the worker signs client assertions as the tool. */
  readonly toolKeys: ReadonlyArray<
    Record<string, unknown> & { createdAt: string; retiredAt?: string; expiresAt?: string }
  >;
  /** The Coursera simulator: each worker connects to it with its own client, as a server process does. */
  readonly courseraUrl: string;
  readonly delivery: NonNullable<GradeSyncOptions['delivery']>;
}

/** The engine's stores over one SqlClient, the circuit breakers included. */
export function engineStores(sql: SqlClient) {
  return {
    outbox: createPostgresGradeOutbox(sql),
    state: createPostgresSyncState(sql),
    deadLetters: createPostgresDeadLetters(sql),
    audit: createPostgresAuditLog(sql),
    learnerLinks: createPostgresLearnerLinks(sql),
    circuits: createPostgresCircuitBreakerStore(sql),
  };
}
