/**
 * The SQL migrations of the OneRoster store and auth tables, as data: a host that runs its own migrations (the
 * reference server's Kysely migrator) lists them among its own, in order, each statement run as it is, with the
 * search path on the schema the tables belong in. `migrateOneRosterStore` runs them on its own for tests and
 * hosts without a migrator, remembering what ran in `oneroster_migrations`.
 *
 * Never edit a released migration: add one.
 */
import type { SqlClient } from '@passport/core';
import { indexStatements, partitionTableSql, tableColumnsSql } from './partitions.ts';
import { checkSchemaName, inTransaction } from './sql.ts';
import { stagingTable, tableSpecs, versionsTable } from './tables.ts';

export interface OneRosterMigration {
  name: string;
  statements: readonly string[];
}

function entityTables(): string[] {
  const statements: string[] = [];
  for (const spec of Object.values(tableSpecs)) {
    statements.push(
      `create table ${spec.table} (\n${tableColumnsSql(spec)})`,
      `create index ${spec.table}_modified on ${spec.table} (tenant_id, date_last_modified)`,
      ...spec.indexes.map(
        (columns) =>
          `create index ${spec.table}_${columns.join('_')} on ${spec.table} (tenant_id, ${columns.join(', ')})`,
      ),
      ...(spec.arrayIndexes ?? []).map(
        (column) => `create index ${spec.table}_${column} on ${spec.table} using gin (${column})`,
      ),
    );
  }
  return statements;
}

/**
 * Each roster table becomes partitioned by tenant, with the same columns and the same index names; the rows it
 * held move into one partition per tenant (see partitions.ts), and the old table goes; statistics are gathered
 * afresh. Secondary indexes no longer
 * lead with `tenant_id`: a partition holds one tenant.
 */
function partitionedTables(): string[] {
  return Object.values(tableSpecs).map((spec) => {
    const old = `${spec.table}_unpartitioned`;
    return (
      'do $migration$\ndeclare\n  old_index record;\n  tenant text;\nbegin\n' +
      `  alter table ${spec.table} rename to ${old};\n` +
      // Its indexes keep their names through a rename: they make way for the new table's.
      '  for old_index in select i.indexrelid::regclass::text as name, i.indexrelid as id from pg_index i ' +
      `where i.indrelid = '${old}'::regclass loop\n` +
      "    execute format('alter index %s rename to %I', old_index.name, 'oneroster_unpartitioned_' || old_index.id);\n" +
      '  end loop;\n' +
      `  create table ${spec.table} (\n${tableColumnsSql(spec)}) partition by list (tenant_id);\n` +
      indexStatements(spec, spec.table, true)
        .map((statement) => `  ${statement};\n`)
        .join('') +
      `  for tenant in select distinct t.tenant_id from ${old} t loop\n` +
      `    execute format('create table %I partition of ${spec.table} for values in (%L)', ${partitionTableSql(spec.table, 'tenant')}, tenant);\n` +
      '  end loop;\n' +
      `  insert into ${spec.table} select * from ${old};\n` +
      `  drop table ${old};\n` +
      // New tables have no statistics: without them the planner would scan where an index answers.
      `  analyze ${spec.table};\n` +
      'end\n$migration$'
    );
  });
}

export const oneRosterMigrations: readonly OneRosterMigration[] = [
  {
    name: 'oneroster_0001_store',
    statements: [
      ...entityTables(),
      `create unlogged table ${stagingTable} (\n` +
        '  import_id text not null,\n' +
        '  file text not null,\n' +
        '  sourced_id text collate "C" not null,\n' +
        '  data jsonb not null,\n' +
        '  primary key (import_id, file, sourced_id)\n' +
        ')',
    ],
  },
  {
    name: 'oneroster_0002_auth',
    statements: [
      'create table oneroster_credentials (\n' +
        '  client_id text primary key,\n' +
        '  tenant_id text not null,\n' +
        '  scopes text[] not null,\n' +
        '  secret_hash text not null,\n' +
        '  sealed_secret text,\n' +
        '  name text,\n' +
        '  created_at timestamptz not null,\n' +
        '  revoked_at timestamptz\n' +
        ')',
      'create index oneroster_credentials_tenant on oneroster_credentials (tenant_id, created_at)',
      'create table oneroster_tokens (\n' +
        '  token_hash text primary key,\n' +
        '  client_id text not null,\n' +
        '  tenant_id text not null,\n' +
        '  scopes text[] not null,\n' +
        '  expires_at timestamptz not null\n' +
        ')',
      'create index oneroster_tokens_expires on oneroster_tokens (expires_at)',
      'create table oneroster_nonces (\n  key text primary key,\n  expires_at timestamptz not null\n)',
      'create index oneroster_nonces_expires on oneroster_nonces (expires_at)',
    ],
  },
  {
    name: 'oneroster_0003_versions',
    statements: [
      // One counter per tenant and file, raised in the same transaction as every write to the file's rows, so a
      // list total (and keyset bookmarks) remembered under a version is exact for as long as it stays current.
      `create table ${versionsTable} (\n` +
        '  tenant_id text not null,\n' +
        '  file text not null,\n' +
        '  version bigint not null,\n' +
        '  primary key (tenant_id, file)\n' +
        ')',
    ],
  },
  { name: 'oneroster_0004_tenant_partitions', statements: partitionedTables() },
];

export interface MigrateOptions {
  /** The schema to create the tables in (created when missing). Default: the connection's search path. */
  schema?: string;
}

/** Applies the pending migrations, each in its own transaction; resolves the names it applied. */
export async function migrateOneRosterStore(
  client: SqlClient,
  options: MigrateOptions = {},
): Promise<string[]> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const setPath = schema === undefined ? undefined : `set local search_path to "${schema}"`;
  if (schema !== undefined) await client.query(`create schema if not exists "${schema}"`);
  await inTransaction(client, async (transaction) => {
    if (setPath !== undefined) await transaction.query(setPath);
    await transaction.query(
      'create table if not exists oneroster_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
  });
  const applied: string[] = [];
  for (const migration of oneRosterMigrations) {
    const ran = await inTransaction(client, async (transaction) => {
      if (setPath !== undefined) await transaction.query(setPath);
      // Taken under a lock, so two processes migrating at once apply each migration once.
      await transaction.query('lock table oneroster_migrations in exclusive mode');
      const { rows } = await transaction.query('select 1 from oneroster_migrations where name = $1', [
        migration.name,
      ]);
      if (rows.length > 0) return false;
      for (const statement of migration.statements) await transaction.query(statement);
      await transaction.query('insert into oneroster_migrations (name) values ($1)', [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
