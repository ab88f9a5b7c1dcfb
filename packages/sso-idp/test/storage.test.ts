import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRosterDirectory } from '../src/adapters/memory/memory-directories.ts';
import { createMemoryStores } from '../src/adapters/memory/memory-stores-bundle.ts';
import { createPostgresStores, migrateSsoSchema } from '../src/adapters/postgres/index.ts';
import { allContracts, type ContractCase } from '../src/testing/contracts.ts';
import { authorize } from './support/flows.ts';
import { apps, createHarness, quizSecret } from './support/harness.ts';
import { RelyingParty } from './support/relying-party.ts';

const postgresStores = (sql: SqlClient) => createPostgresStores(sql, new MemoryRosterDirectory());

function run(cases: ContractCase[]) {
  for (const testCase of cases) it(testCase.name, () => testCase.run());
}

/** A full sign-in, token exchange, refresh and code-reuse check with every store on the given database. */
async function endToEnd(sql: SqlClient) {
  const harness = await createHarness({ stores: postgresStores(sql) });
  try {
    const rp = new RelyingParty({
      issuer: harness.idp.urls.issuer,
      clientId: apps.quiz.oidc.clientId,
      clientSecret: quizSecret,
      redirectUri: apps.quiz.oidc.redirectUris[0] ?? '',
    });
    await rp.discover();
    const request = rp.authorizationRequest({
      scope: 'openid profile offline_access',
      extra: { prompt: 'consent' },
    });
    const end = await authorize(harness, harness.browser(), rp, request, 'ada');
    const response = await rp.exchange(end.code ?? '', { verifier: request.verifier });
    const tokens = (await response.json()) as Record<string, string>;
    expect(response.status, JSON.stringify(tokens)).toBe(200);
    expect((await rp.refresh(tokens.refresh_token ?? '')).status).toBe(200);
    const rows = await sql.query<{ model: string }>(
      'SELECT DISTINCT model FROM sso_oidc_artifacts ORDER BY model',
    );
    expect(rows.rows.map((row) => row.model)).toEqual(
      expect.arrayContaining(['Grant', 'Session', 'RefreshToken']),
    );
    // Reusing the code revokes everything issued under its grant, in the database.
    expect((await rp.exchange(end.code ?? '', { verifier: request.verifier })).status).toBe(400);
    const left = await sql.query<{ model: string }>(
      'SELECT DISTINCT model FROM sso_oidc_artifacts ORDER BY model',
    );
    expect(left.rows.map((row) => row.model)).not.toContain('RefreshToken');
    const sessions = await sql.query<{ count: string | number }>(
      'SELECT count(*) AS count FROM sso_sessions',
    );
    expect(Number(sessions.rows[0]?.count)).toBe(1);
  } finally {
    await harness.close();
  }
}

describe('memory adapters', () => {
  run(
    allContracts(() => {
      const stores = createMemoryStores();
      return stores;
    }),
  );
});

describe('PostgreSQL adapters on PGlite', () => {
  const open: PGlite[] = [];
  afterAll(async () => {
    await Promise.all(open.map((database) => database.close()));
  });
  const fresh = async () => {
    const database = new PGlite();
    open.push(database);
    await migrateSsoSchema(database);
    return database;
  };
  run(allContracts(async () => postgresStores(await fresh())));

  it('applies its migrations once', async () => {
    const database = await fresh();
    expect(await migrateSsoSchema(database)).toEqual([]);
  });

  it('runs the OpenID provider end to end on PGlite', async () => {
    await endToEnd(await fresh());
  });
});

/** The real PostgreSQL: `PASSPORT_TEST_DATABASE_URL`, default the local server's `test` database, a schema per case. */
describe.skipIf(process.env.PASSPORT_SKIP_POSTGRES === '1')('PostgreSQL adapters on PostgreSQL', () => {
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
    const schema = `sso_idp_test_${process.pid}_${schemas.length}_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(schema);
    await admin?.query(`CREATE SCHEMA ${schema}`);
    // A pool, so the race cases run on several connections at once.
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
    pools.push(pool);
    await migrateSsoSchema(pool);
    return pool;
  };
  run(allContracts(async () => postgresStores(await fresh())));

  it('runs the OpenID provider end to end on PostgreSQL', async () => {
    await endToEnd(await fresh());
  });
});
