/**
 * The real PostgreSQL the tests run against: `PASSPORT_TEST_DATABASE_URL`, default
 * `postgres://postgres@127.0.0.1:5432/test`, in a schema of its own per run (dropped afterwards). When the server
 * is unreachable the tests fail, unless `PASSPORT_SKIP_POSTGRES=1` says to skip them (loudly).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl =
  process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const skipPostgres = process.env.PASSPORT_SKIP_POSTGRES === '1';

let warned = false;
export function warnSkipped(): void {
  if (warned) return;
  warned = true;
  process.stderr.write(
    '\n*** PASSPORT_SKIP_POSTGRES=1: the OneRoster store suites did NOT run on PostgreSQL (PGlite only). ***\n\n',
  );
}

export function uniqueSchema(): string {
  return `oneroster_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function openPool(): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 5, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL tests need the server at ${postgresUrl} (set PASSPORT_TEST_DATABASE_URL, or PASSPORT_SKIP_POSTGRES=1 ` +
        `to skip them): ${message}`,
      { cause: error },
    );
  }
  return pool;
}
