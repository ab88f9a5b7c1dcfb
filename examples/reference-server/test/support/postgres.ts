import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real PostgreSQL the tests run against; CI provides it at 127.0.0.1:5432, database `test`. */
export const postgresUrl =
  process.env.PASSPORT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** PostgreSQL tests fail when the server is unreachable, unless this opt-out is set (and then they say so loudly). */
export const skipPostgres = process.env.PASSPORT_SKIP_POSTGRES === '1';

if (skipPostgres) {
  process.stderr.write(
    '\n**********************************************************************\n' +
      '*  PASSPORT_SKIP_POSTGRES=1: the PostgreSQL storage and server tests  *\n' +
      '*  are SKIPPED. Only PGlite was tested. CI must not set this.         *\n' +
      '**********************************************************************\n\n',
  );
}

/** A fresh schema name per test run, so runs never see each other's tables. */
export function uniqueSchema(): string {
  return `passport_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Rethrows an open failure with what to do about it. */
export function explainUnreachable(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  throw new Error(
    `PostgreSQL tests need the server at ${postgresUrl} (override with PASSPORT_TEST_DATABASE_URL, or set ` +
      `PASSPORT_SKIP_POSTGRES=1 to skip them): ${message}`,
    { cause: error },
  );
}
