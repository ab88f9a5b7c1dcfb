import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/**
 * The reference server's tables, as Kysely sees them. Each migration that changes the schema updates this
 * interface in the same commit. Columns are snake_case in SQL; stores map them to camelCase objects.
 *
 * Both backends return the same JavaScript types (see `type-parsers.ts`): `timestamptz` as `Date`, `jsonb` parsed,
 * `int8` as a decimal string (no precision loss), `date` as `YYYY-MM-DD`.
 */
export interface Database {
  tenants: TenantsTable;
  audit_log: AuditLogTable;
}

/** A tenant is one district, the unit of isolation for rosters, credentials and grade sync. */
export interface TenantsTable {
  id: string;
  name: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** An append-only record of administrative changes. `tenant_id` is kept when its tenant is deleted. */
export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string | null;
  actor: string;
  action: string;
  /** Written as a JSON string (the same for `pg` and PGlite), read back parsed. */
  detail: ColumnType<unknown, string, never>;
  at: ColumnType<Date, Date | undefined, never>;
}

/** The database or an open transaction: stores accept either, so callers can compose them in one transaction. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** Runs `work` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(
  db: Queryable,
  work: (transaction: Queryable) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return await work(db);
  return await db.transaction().execute(work);
}
