/**
 * Each roster table is partitioned by tenant (`partition by list (tenant_id)`): a district's rows of a file live in a
 * table of their own, named from the tenant (`partitionTable`). A query names the tenant, so it reads one partition;
 * and a first load can fill a new partition with no index to maintain, build its indexes in one sorted pass each,
 * and attach it at the end (see first-load.ts), which is most of what an import costs PostgreSQL otherwise.
 *
 * A partition is made when a tenant first writes to a file (`ensurePartitions`): created on its own and attached,
 * which locks the parent table only against other attaches and DDL (`SHARE UPDATE EXCLUSIVE`), never against
 * readers and writers of other tenants, as `create table … partition of` would (`ACCESS EXCLUSIVE`).
 */
import { createHash } from 'node:crypto';
import type { SqlClient } from '@passport/core';
import type { FileName } from '../../model/files.ts';
import { inTransaction, qualify } from './sql.ts';
import { type TableSpec, tableSpecs } from './tables.ts';

/** A tenant's partition of a roster table (unqualified): the table and 24 hex digits of the tenant's MD5. */
export function partitionTable(table: string, tenantId: string): string {
  return `${table}_${createHash('md5').update(tenantId, 'utf8').digest('hex').slice(0, 24)}`;
}

/** The same name in SQL, from a text expression holding the tenant (PostgreSQL's `md5` hashes the same UTF-8). */
export function partitionTableSql(table: string, tenant: string): string {
  return `'${table}_' || left(md5(${tenant}), 24)`;
}

/** The column definitions of a roster table, its primary key included. */
export function tableColumnsSql(spec: TableSpec): string {
  const keyColumns = spec.keys.map(
    (key) => `  ${key.name} ${key.type === 'text' ? 'text collate "C"' : 'text[]'},\n`,
  );
  return (
    '  tenant_id text not null,\n' +
    '  sourced_id text collate "C" not null,\n' +
    "  status text not null check (status in ('active', 'tobedeleted')),\n" +
    '  date_last_modified timestamptz not null,\n' +
    keyColumns.join('') +
    '  data jsonb not null,\n' +
    '  primary key (tenant_id, sourced_id)\n'
  );
}

/**
 * The secondary indexes of a roster table, as `create index` statements on `table` (qualified or not). `named`:
 * the names the migrations give the parent's; a partition's are named by PostgreSQL. A partition's indexes must
 * be these, exactly, for an attach to adopt them.
 */
export function indexStatements(spec: TableSpec, table: string, named: boolean): string[] {
  const name = (suffix: string) => (named ? `${spec.table}_${suffix} ` : '');
  return [
    `create index ${name('modified')}on ${table} (tenant_id, date_last_modified)`,
    ...spec.indexes.map(
      (columns) => `create index ${name(columns.join('_'))}on ${table} (tenant_id, ${columns.join(', ')})`,
    ),
    ...(spec.arrayIndexes ?? []).map(
      (column) => `create index ${name(column)}on ${table} using gin (${column})`,
    ),
  ];
}

/** A tenant's partition of a file's table, qualified with the schema when one is given. */
export function partitionOf(schema: string | undefined, file: FileName, tenantId: string): string {
  return qualify(schema, partitionTable(tableSpecs[file].table, tenantId));
}

/** Creates `partition` (qualified) as a table shaped like the file's roster table, not yet attached, no index. */
export function createPartitionSql(schema: string | undefined, file: FileName, partition: string): string {
  return `create table ${partition} (like ${qualify(schema, tableSpecs[file].table)} including defaults including constraints)`;
}

/** Attaches `partition` (qualified) to the file's roster table as the tenant's partition. */
export function attachPartitionSql(
  schema: string | undefined,
  file: FileName,
  partition: string,
  tenantId: string,
): string {
  return `alter table ${qualify(schema, tableSpecs[file].table)} attach partition ${partition} for values in (${sqlLiteral(tenantId)})`;
}

/** Takes the lock under which a tenant's partitions are made, until the transaction ends (`tenant`: a parameter). */
export function partitionLockSql(tenant: string): string {
  return `select pg_advisory_xact_lock(hashtextextended('oneroster partition ' || ${tenant}::text, 0))`;
}

/** A text value as an SQL literal (DDL takes no bind parameters). */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Makes sure `tenantId` has a partition of each file's table, creating the missing ones. `known` remembers the
 * partitions seen to exist (they are never dropped), so a store asks the catalog once per tenant and file.
 */
export async function ensurePartitions(
  client: SqlClient,
  schema: string | undefined,
  tenantId: string,
  files: readonly FileName[],
  known: Set<string>,
): Promise<void> {
  const wanted = [...new Set(files)].filter((file) => !known.has(`${file}\u0000${tenantId}`));
  if (wanted.length === 0) return;
  const names = wanted.map((file) => partitionTable(tableSpecs[file].table, tenantId));
  const missing = await absentTables(client, schema, names);
  if (missing.size > 0) {
    await inTransaction(client, async (transaction) => {
      // One tenant's partitions are made by one process at a time; another may have made them meanwhile.
      await transaction.query(partitionLockSql('$1'), [`${schema ?? ''}.${tenantId}`]);
      const still = await absentTables(transaction, schema, names);
      for (const [index, file] of wanted.entries()) {
        if (!still.has(names[index] ?? '')) continue;
        const partition = partitionOf(schema, file, tenantId);
        await transaction.query(createPartitionSql(schema, file, partition));
        // An empty table: the attach checks no row and builds the parent's indexes on it at once.
        await transaction.query(attachPartitionSql(schema, file, partition, tenantId));
      }
    });
  }
  for (const file of wanted) known.add(`${file}\u0000${tenantId}`);
}

/**
 * Which of the tables (unqualified names, in `schema` or the current one) do not exist. Read from `pg_class` in the
 * statement's snapshot: `to_regclass` answers from a cache that may not yet know of a table another session has
 * just made.
 */
export async function absentTables(
  client: SqlClient,
  schema: string | undefined,
  names: readonly string[],
): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    'select t.name from unnest($1::text[]) as t(name) where not exists (select 1 from pg_class c ' +
      'join pg_namespace n on n.oid = c.relnamespace where c.relname = t.name and n.nspname = coalesce($2, current_schema()))',
    [names, schema ?? null],
  );
  return new Set(rows.map((row) => row.name));
}
