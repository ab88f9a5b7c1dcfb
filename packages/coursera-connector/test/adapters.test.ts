import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCatalogSnapshotStore } from '../src/adapters/memory/memory-catalog-snapshot-store.ts';
import { createMemoryLicenseLedger } from '../src/adapters/memory/memory-license-ledger.ts';
import { createMemoryTokenStore } from '../src/adapters/memory/memory-token-store.ts';
import {
  createAesGcmSealing,
  createPostgresCatalogSnapshotStore,
  createPostgresLicenseLedger,
  createPostgresTokenStore,
  migrateConnectorSchema,
} from '../src/adapters/postgres/index.ts';
import {
  describeCatalogSnapshotStoreContract,
  describeLicenseLedgerContract,
  describeTokenStoreContract,
} from '../src/testing/index.ts';
import { createTestPool, skipPostgres } from './support/postgres.ts';

// Memory adapters.
describeTokenStoreContract('memory', async () => createMemoryTokenStore());
describeCatalogSnapshotStoreContract('memory', async () => createMemoryCatalogSnapshotStore());
describeLicenseLedgerContract('memory', async () => createMemoryLicenseLedger());

const truncate = (sql: SqlClient) =>
  sql.query(
    'truncate passport_connector_tokens, passport_connector_catalog_snapshots, passport_connector_license_programs, passport_connector_license_seats',
  );

// PGlite: one in-process database (starting one is slow), emptied before each store.
let database: Promise<SqlClient> | undefined;
const pglite = async (): Promise<SqlClient> => {
  database ??= (async () => {
    const created = new PGlite();
    await migrateConnectorSchema(created);
    return created;
  })();
  const sql = await database;
  await truncate(sql);
  return sql;
};
describeTokenStoreContract('PGlite', async () => createPostgresTokenStore(await pglite()));
describeTokenStoreContract('PGlite, sealed', async () =>
  createPostgresTokenStore(await pglite(), { sealing: createAesGcmSealing(new Uint8Array(32).fill(7)) }),
);
describeCatalogSnapshotStoreContract('PGlite', async () =>
  createPostgresCatalogSnapshotStore(await pglite()),
);
describeLicenseLedgerContract('PGlite', async () => createPostgresLicenseLedger(await pglite()));

// The real PostgreSQL: one schema per run, tables emptied between cases.
describe.skipIf(skipPostgres)('PostgreSQL', () => {
  let pool: pg.Pool;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ pool, drop } = await createTestPool());
    await migrateConnectorSchema(pool);
    await migrateConnectorSchema(pool); // idempotent
  });
  afterAll(async () => {
    await drop();
  });
  const fresh = async () => {
    await truncate(pool);
    return pool;
  };
  describeTokenStoreContract('PostgreSQL', async () => createPostgresTokenStore(await fresh()));
  describeCatalogSnapshotStoreContract('PostgreSQL', async () =>
    createPostgresCatalogSnapshotStore(await fresh()),
  );
  describeLicenseLedgerContract('PostgreSQL', async () => createPostgresLicenseLedger(await fresh()));

  it('a sealed token is not readable in the table', async () => {
    const store = createPostgresTokenStore(await fresh(), {
      sealing: createAesGcmSealing(new Uint8Array(32).fill(1)),
    });
    await store.save('coursera:org', {
      accessToken: 'plain-access',
      accessTokenExpiresAt: new Date(),
      refreshToken: 'plain-refresh',
      refreshTokenExpiresAt: new Date(),
      scope: 'access_business_api',
      consentedAt: new Date(),
    });
    const { rows } = await pool.query('select refresh_token from passport_connector_tokens');
    expect(rows[0].refresh_token).toMatch(/^v1\./);
    expect(rows[0].refresh_token).not.toContain('plain-refresh');
    expect((await store.load('coursera:org'))?.refreshToken).toBe('plain-refresh');
  });
});
