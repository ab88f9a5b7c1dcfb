/**
 * What the PostgreSQL adapters need beyond `SqlClient.query`: a transaction on one connection, whatever the
 * client is. PGlite has `transaction(callback)`; a `pg` Pool lends a client for `BEGIN … COMMIT`; a single `pg`
 * Client (or anything else with `query`) runs them itself.
 */
import type { SqlClient } from '@passport/core';

interface TransactionCapable {
  transaction<Result>(callback: (transaction: SqlClient) => Promise<Result>): Promise<Result>;
}

interface PoolLike {
  connect(): Promise<SqlClient & { release(error?: unknown): void }>;
  totalCount: number;
}

export async function inTransaction<Result>(
  client: SqlClient,
  callback: (transaction: SqlClient) => Promise<Result>,
): Promise<Result> {
  const candidate = client as Partial<TransactionCapable> & Partial<PoolLike>;
  if (typeof candidate.transaction === 'function') {
    return await (candidate as TransactionCapable).transaction(callback);
  }
  let connection: SqlClient;
  let release: ((error?: unknown) => void) | undefined;
  if (typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number') {
    const lent = await (candidate as PoolLike).connect();
    connection = lent;
    release = (error) => lent.release(error);
  } else {
    connection = client;
  }
  let failure: unknown;
  try {
    await connection.query('begin');
    const result = await callback(connection);
    await connection.query('commit');
    return result;
  } catch (error) {
    failure = error;
    await connection.query('rollback').catch(() => {});
    throw error;
  } finally {
    release?.(failure instanceof Error && /connection/i.test(failure.message) ? failure : undefined);
  }
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name is a plain lowercase identifier (it is written into SQL, so nothing else is allowed). */
export function checkSchemaName(schema: string): string {
  if (!identifierPattern.test(schema)) {
    throw new RangeError(`Schema ${JSON.stringify(schema)} is not a lowercase SQL identifier.`);
  }
  return schema;
}

/** A table name, qualified with the schema when one is given. */
export function qualify(schema: string | undefined, table: string): string {
  return schema === undefined ? `"${table}"` : `"${checkSchemaName(schema)}"."${table}"`;
}
