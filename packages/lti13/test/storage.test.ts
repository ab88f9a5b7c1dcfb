import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  MemoryAccessTokenStore,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryPendingLaunchStore,
  MemoryPlatformRegistry,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '../src/adapters/memory/memory-stores.ts';
import { migrateLtiSchema } from '../src/adapters/postgres/migrations.ts';
import {
  PostgresAccessTokenStore,
  PostgresKeyStore,
  PostgresLoginStateStore,
  PostgresPendingLaunchStore,
  PostgresPlatformRegistry,
  PostgresReplayGuard,
  PostgresToolRegistry,
} from '../src/adapters/postgres/postgres-stores.ts';
import {
  accessTokenStoreContract,
  type ContractCase,
  keyStoreContract,
  loginStateStoreContract,
  pendingLaunchStoreContract,
  platformRegistryContract,
  replayGuardContract,
  toolRegistryContract,
} from '../src/testing/contracts.ts';

function suites(factory: () => Promise<SqlClient>): ContractCase[] {
  return [
    ...platformRegistryContract(async () => new PostgresPlatformRegistry(await factory())),
    ...loginStateStoreContract(async () => new PostgresLoginStateStore(await factory())),
    ...keyStoreContract(async () => new PostgresKeyStore(await factory())),
    ...accessTokenStoreContract(async () => new PostgresAccessTokenStore(await factory())),
    ...replayGuardContract(async (clock) => new PostgresReplayGuard(await factory(), clock)),
    ...toolRegistryContract(async () => new PostgresToolRegistry(await factory())),
    ...pendingLaunchStoreContract(async () => new PostgresPendingLaunchStore(await factory())),
  ];
}

describe('memory adapters', () => {
  const cases = [
    ...platformRegistryContract(() => new MemoryPlatformRegistry()),
    ...loginStateStoreContract(() => new MemoryLoginStateStore()),
    ...keyStoreContract(() => new MemoryKeyStore()),
    ...accessTokenStoreContract(() => new MemoryAccessTokenStore()),
    ...replayGuardContract((clock) => new MemoryReplayGuard(() => clock.now())),
    ...toolRegistryContract(() => new MemoryToolRegistry()),
    ...pendingLaunchStoreContract(() => new MemoryPendingLaunchStore()),
  ];
  for (const testCase of cases) it(testCase.name, () => testCase.run());
});

describe('PostgreSQL adapters on PGlite', () => {
  const open: PGlite[] = [];
  afterAll(async () => {
    await Promise.all(open.map((database) => database.close()));
  });
  const fresh = async () => {
    const database = new PGlite();
    open.push(database);
    await migrateLtiSchema(database);
    return database;
  };
  for (const testCase of suites(fresh)) it(testCase.name, () => testCase.run());

  it('applies its migrations once', async () => {
    const database = await fresh();
    const again = await migrateLtiSchema(database);
    if (again.length !== 0) throw new Error(`migrations ran twice: ${again.join(', ')}`);
  });
});

/** The real PostgreSQL: `PASSPORT_TEST_DATABASE_URL`, default the local server's `test` database. Each case gets its own schema. */
describe('PostgreSQL adapters on PostgreSQL', () => {
  const url = process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pools: pg.Pool[] = [];
  const schemas: string[] = [];
  let admin: pg.Client | undefined;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });
  const fresh = async () => {
    const schema = `lti13_test_${process.pid}_${schemas.length}_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(schema);
    await admin?.query(`CREATE SCHEMA ${schema}`);
    // A pool, so the race cases run on several connections at once.
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
    pools.push(pool);
    await migrateLtiSchema(pool);
    return pool;
  };
  for (const testCase of suites(fresh)) it(testCase.name, () => testCase.run());
});
