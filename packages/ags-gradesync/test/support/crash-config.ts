import type { SqlClient } from '@passport/core';
import type { PlatformRegistration } from '@passport/lti13';
import {
  createPostgresAuditLog,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresSyncState,
} from '../../src/adapters/postgres/index.ts';
import type { GradeSyncOptions } from '../../src/engine/engine-options.ts';

/** What the crash test hands its worker process. */
export interface CrashWorkerConfig {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly bossSchema: string;
  readonly origin: string;
  readonly registration: PlatformRegistration;
  /** The tool's stored keys (dates as ISO strings), so the worker signs client assertions as the tool. */
  readonly toolKeys: ReadonlyArray<
    Record<string, unknown> & { createdAt: string; retiredAt?: string; expiresAt?: string }
  >;
  readonly delivery: NonNullable<GradeSyncOptions['delivery']>;
}

/** The engine's stores over one SqlClient. */
export function engineStores(sql: SqlClient) {
  return {
    outbox: createPostgresGradeOutbox(sql),
    state: createPostgresSyncState(sql),
    deadLetters: createPostgresDeadLetters(sql),
    audit: createPostgresAuditLog(sql),
    learnerLinks: createPostgresLearnerLinks(sql),
  };
}
