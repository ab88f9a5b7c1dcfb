import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import pg from 'pg';
import { gradeSyncSchemaStatements, migrateGradeSyncSchema } from '../../src/adapters/postgres/schema.ts';

/** The real PostgreSQL the tests run against: 127.0.0.1:5432, database `test`, unless overridden. */
export const postgresUrl =
  process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Skips the real-PostgreSQL runs (PGlite still runs); CI must not set it. */
export const skipPostgres = process.env.PASSPORT_SKIP_POSTGRES === '1';

const tables = gradeSyncSchemaStatements
  .map((statement) => /create table if not exists (\w+)/.exec(statement)?.[1])
  .filter((name): name is string => name !== undefined);

/** Empties every grade sync table. */
export async function truncateGradeSync(sql: SqlClient): Promise<void> {
  await sql.query(`truncate ${tables.join(', ')}`);
}

/** A fresh schema on the real PostgreSQL, with a pool whose search_path is that schema; `drop` removes it. */
export async function createTestSchema(
  max = 8,
): Promise<{ pool: pg.Pool; schema: string; drop(): Promise<void> }> {
  const schema = `passport_gradesync_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  try {
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
  } catch (error) {
    throw new Error(
      `PostgreSQL tests need the server at ${postgresUrl} (set PASSPORT_TEST_DATABASE_URL, or ` +
        `PASSPORT_SKIP_POSTGRES=1 to skip them): ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await admin.end().catch(() => {});
  }
  const pool = new pg.Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}`, max });
  await migrateGradeSyncSchema(pool);
  return {
    pool,
    schema,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

/** An in-memory PGlite with the grade sync tables. */
export async function createTestPglite(): Promise<PGlite> {
  const pglite = new PGlite();
  await migrateGradeSyncSchema(pglite);
  return pglite;
}
