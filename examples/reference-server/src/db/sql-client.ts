import type { SqlClient } from '@passport/core';
import { CompiledQuery, type Kysely } from 'kysely';

/** A `SqlClient` that can also run a callback in one transaction (the packages' adapters use it when present). */
export interface TransactionalSqlClient extends SqlClient {
  transaction<Result>(callback: (transaction: SqlClient) => Promise<Result>): Promise<Result>;
}

/**
 * The packages' PostgreSQL adapters (@passport/oneroster, @passport/lti13, ...) take a `SqlClient`. This one runs
 * their SQL through the server's Kysely instance, so every query shares its connection handling: on PGlite one
 * connection with queries and transactions serialized, on PostgreSQL the pool, with a transaction pinned to one
 * connection, and the schema's search path set on every connection.
 */
export function kyselySqlClient(db: Kysely<unknown>): TransactionalSqlClient {
  return {
    query: (text, params) => runQuery(db, text, params),
    transaction: (callback) =>
      db.transaction().execute((transaction) => callback(inTransaction(transaction))),
  };
}

/** Inside a transaction, a nested `transaction()` joins the one already open (Kysely has no nested transactions). */
function inTransaction(transaction: Kysely<unknown>): TransactionalSqlClient {
  const client: TransactionalSqlClient = {
    query: (text, params) => runQuery(transaction, text, params),
    transaction: (callback) => callback(client),
  };
  return client;
}

async function runQuery<Row>(
  db: Kysely<unknown>,
  text: string,
  params: unknown[] = [],
): Promise<{ rows: Row[] }> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(text, params));
  return { rows: [...result.rows] };
}
