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
  console_accounts: ConsoleAccountsTable;
  partners: PartnersTable;
  partner_access: PartnerAccessTable;
  roster_imports: RosterImportsTable;
  api_usage: ApiUsageTable;
  roster_sources: RosterSourcesTable;
}

/** A person who administers Passport; they sign in through the SSO (user id `console:<id>`). */
export interface ConsoleAccountsTable {
  id: string;
  username: string;
  display_name: string;
  role: 'operator' | 'district_admin' | 'partner_developer';
  tenant_id: string | null;
  partner_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** An application partner and the app it offers districts. */
export interface PartnersTable {
  id: string;
  name: string;
  app_name: string;
  app_description: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A partner's standing with one district: requested or invited, then granted (with scopes), declined or revoked. */
export interface PartnerAccessTable {
  partner_id: string;
  tenant_id: string;
  status: 'requested' | 'invited' | 'granted' | 'declined' | 'revoked';
  requested_scopes: ColumnType<string[], string | undefined, string>;
  granted_scopes: ColumnType<string[], string | undefined, string>;
  client_id: string | null;
  message: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One roster import (upload, CLI or API pull): its outcome, counts and first findings. */
export interface RosterImportsTable {
  id: string;
  tenant_id: string;
  source: string;
  file_name: string;
  actor: string;
  status: 'applied' | 'held' | 'invalid' | 'failed';
  counts: ColumnType<Record<string, unknown>, string, string>;
  finding_count: number;
  error_count: number;
  findings: ColumnType<unknown[], string, string>;
  message: ColumnType<string, string | undefined, string>;
  started_at: Date;
  finished_at: Date;
}

/** Where a district's roster is pulled from, and when (see migration 0006). `secret` is sealed. */
export interface RosterSourcesTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: 'oneroster-api' | 'package-url';
  url: string;
  auth: 'oauth2' | 'oauth1' | 'bearer' | 'basic' | 'none';
  token_url: string | null;
  client_id: string | null;
  secret: string | null;
  schedule: string | null;
  time_zone: ColumnType<string, string | undefined, string>;
  confirm_held: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  last_run_at: Date | null;
  last_import_id: string | null;
  last_status: string | null;
}

/** OneRoster API requests per credential and UTC day (`YYYY-MM-DD`). */
export interface ApiUsageTable {
  client_id: string;
  tenant_id: string;
  day: string;
  requests: ColumnType<number, number | undefined, number>;
  refused: ColumnType<number, number | undefined, number>;
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
