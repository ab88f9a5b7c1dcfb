import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real PostgreSQL the tests run against: 127.0.0.1:5432, database `test`, unless overridden. */
export const postgresUrl =
  process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Skips the real-PostgreSQL runs (PGlite still runs); CI must not set it. */
export const skipPostgres = process.env.PASSPORT_SKIP_POSTGRES === '1';

/** A pool whose search_path is a fresh schema, so runs never see each other's tables. */
export async function createTestPool(): Promise<{ pool: pg.Pool; drop(): Promise<void> }> {
  const schema = `passport_connector_test_${process.pid}_${randomBytes(4).toString('hex')}`;
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
  const pool = new pg.Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}`, max: 8 });
  return {
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}
