import type { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryAuditLog } from '../src/adapters/memory/memory-audit-log.ts';
import { createMemoryCircuitBreakerStore } from '../src/adapters/memory/memory-circuit-breaker-store.ts';
import { createMemoryDeadLetters } from '../src/adapters/memory/memory-dead-letters.ts';
import { createMemoryGradeOutbox } from '../src/adapters/memory/memory-grade-outbox.ts';
import { createMemoryLearnerLinks } from '../src/adapters/memory/memory-learner-links.ts';
import { createMemoryPartnerStore } from '../src/adapters/memory/memory-partner-store.ts';
import { createMemorySyncState } from '../src/adapters/memory/memory-sync-state.ts';
import {
  createPostgresAuditLog,
  createPostgresCircuitBreakerStore,
  createPostgresDeadLetters,
  createPostgresGradeOutbox,
  createPostgresLearnerLinks,
  createPostgresPartnerStore,
  createPostgresSyncState,
} from '../src/adapters/postgres/index.ts';
import {
  describeAuditLogContract,
  describeCircuitBreakerStoreContract,
  describeDeadLettersContract,
  describeGradeOutboxContract,
  describeLearnerLinksContract,
  describePartnerStoreContract,
  describeSyncStateContract,
} from '../src/testing/index.ts';
import { createTestPglite, createTestSchema, skipPostgres, truncateGradeSync } from './support/postgres.ts';

let counter = 0;
const generateId = () => `entry-${++counter}`;

describeGradeOutboxContract('memory', async () => createMemoryGradeOutbox({ generateId }));
describeSyncStateContract('memory', async () => createMemorySyncState());
describeDeadLettersContract('memory', async () => createMemoryDeadLetters());
describeAuditLogContract('memory', async () => createMemoryAuditLog());
describeLearnerLinksContract('memory', async () => createMemoryLearnerLinks());
describePartnerStoreContract('memory', async () => createMemoryPartnerStore());
describeCircuitBreakerStoreContract('memory', async () => createMemoryCircuitBreakerStore());

function describeSqlAdapters(name: string, open: () => Promise<{ sql: SqlClient; close(): Promise<void> }>) {
  describe(name, () => {
    let sql: SqlClient;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ sql, close } = await open());
    });
    afterAll(async () => close());
    const fresh = async () => {
      await truncateGradeSync(sql);
      return sql;
    };
    describeGradeOutboxContract(name, async () => createPostgresGradeOutbox(await fresh(), { generateId }));
    describeSyncStateContract(name, async () => createPostgresSyncState(await fresh()));
    describeDeadLettersContract(name, async () => createPostgresDeadLetters(await fresh()));
    describeAuditLogContract(name, async () => createPostgresAuditLog(await fresh()));
    describeLearnerLinksContract(name, async () => createPostgresLearnerLinks(await fresh()));
    describePartnerStoreContract(name, async () => createPostgresPartnerStore(await fresh()));
    describeCircuitBreakerStoreContract(
      name,
      async () => createPostgresCircuitBreakerStore(await fresh()),
      async () => createPostgresCircuitBreakerStore(sql),
    );
  });
}

describeSqlAdapters('PGlite', async () => {
  const pglite: PGlite = await createTestPglite();
  return { sql: pglite, close: () => pglite.close() };
});

if (!skipPostgres) {
  describeSqlAdapters('PostgreSQL', async () => {
    const database = await createTestSchema();
    return { sql: database.pool, close: () => database.drop() };
  });
}
