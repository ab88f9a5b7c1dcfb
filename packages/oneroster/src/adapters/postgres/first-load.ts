/**
 * A first import into an empty tenant, the common case of a new district, on a `pg` Pool or Client with the
 * optional peer `pg-copy-streams`: rows go by COPY straight into the roster tables, with their key columns computed
 * in JavaScript (`KeyColumn.read`, the same values the SQL expressions give), instead of through the staging table
 * and an upsert. Nothing has to be compared or marked deleted in an empty tenant, and the safety guard has nothing
 * to hold.
 *
 * A file whose table has no partition for the tenant yet (see partitions.ts) goes into a new table with no index,
 * created in the load's transaction (`COPY … FREEZE`). Once the file's rows are all in (`finish`, while the next
 * files stream), or at the commit, its primary key and indexes are built, one sorted pass each, and its statistics
 * gathered; the commit attaches it as the tenant's partition. Keeping five B-trees up to date row by row was most of
 * what a load cost PostgreSQL. A file whose partition exists is copied into it.
 *
 * It all happens in one transaction on one connection, opened when the first rows arrive and committed by the
 * import's commit, so readers see nothing until then and a failed or invalid import (rolled back) leaves the tenant
 * as it was. An advisory lock per tenant, which the staged apply takes too, keeps two imports of one tenant in order;
 * the tenant is checked for rows after taking it.
 *
 * A row is checked by the validator before it gets here, so a file repeats no sourcedId: a repeated one fails the
 * COPY on the primary key, which rolls the load back and fails its commit; the import session lets the rows keep
 * streaming meanwhile, so the validator finishes and an invalid package is reported as invalid.
 */
import type { SqlClient } from '@passport/core';
import type { DataFileMode } from '../../csv/validate.ts';
import type { FileName } from '../../model/files.ts';
import type { ImportCounts } from '../../store/roster-store.ts';
import {
  absentTables,
  attachPartitionSql,
  createPartitionSql,
  indexStatements,
  partitionLockSql,
  partitionOf,
  partitionTable,
} from './partitions.ts';
import { qualify } from './sql.ts';
import {
  type CopyFrom,
  copyConnection,
  copyField,
  copyLines,
  isConnectionError,
  loadCopyFrom,
} from './staging.ts';
import { tableSql } from './table-sql.ts';
import { tableSpecs } from './tables.ts';
import { raiseVersionsSql } from './versions.ts';

interface FirstLoadContext {
  client: SqlClient;
  schema: string | undefined;
  tenantId: string;
  importedAt: string;
}

export interface FirstLoad {
  /** The COPY line of a row of `file` in `mode`, or undefined when the row is not stored (a delta deletion). */
  line(file: FileName, mode: DataFileMode, entity: Readonly<Record<string, unknown>>): string | undefined;
  /** Sends lines made by `line` for `file`; `skipped` rows of the batch were not stored. */
  write(
    file: FileName,
    mode: DataFileMode,
    lines: Iterable<string>,
    count: number,
    skipped: number,
  ): Promise<void>;
  /** Tells that every row of `file` was sent: the keys and indexes of a table the load made are built now. */
  finish(file: FileName): Promise<void>;
  /**
   * Commits, when `modes` are the modes the rows were sent in; resolves the counts, and the files whose statistics
   * the load already gathered (the tables it made).
   */
  commit(
    modes: readonly (readonly [FileName, DataFileMode])[],
  ): Promise<{ counts: ImportCounts; analyzed: ReadonlySet<FileName> }>;
  rollback(): Promise<void>;
}

/** A table that got more rows than this from an import has its statistics gathered. */
export const analyzeAbove = 1000;

/** The advisory lock key of a tenant's imports: every import of the tenant, staged or first, takes it. */
export function importLockSql(parameter: string): string {
  return `select pg_advisory_xact_lock(hashtextextended('oneroster import ' || ${parameter}::text, 0))`;
}

/** A COPY text field for a value that may be SQL NULL. */
function copyValue(value: string | null): string {
  return value === null ? '\\N' : copyField(value);
}

/** A text[] value as an array literal (every item quoted), as a COPY field. */
function copyArray(items: readonly (string | null)[]): string {
  const literal = items
    .map((item) => (item === null ? 'NULL' : `"${item.replace(/[\\"]/g, (character) => `\\${character}`)}"`))
    .join(',');
  return copyField(`{${literal}}`);
}

/** `date_trunc('milliseconds', …)` on the text: PostgreSQL parses what is left exactly as in the staged apply. */
function toMilliseconds(datetime: string): string {
  return datetime.replace(/(\.\d{3})\d+/, '$1');
}

/**
 * Opens the transaction and answers a first load when the tenant has no rows in any table; undefined (nothing
 * open) when it has some, or when `client` cannot COPY.
 */
export async function beginFirstLoad(context: FirstLoadContext): Promise<FirstLoad | undefined> {
  const { client, schema, tenantId, importedAt } = context;
  const lend = copyConnection(client);
  const copyFrom: CopyFrom | undefined = lend === undefined ? undefined : await loadCopyFrom();
  if (lend === undefined || copyFrom === undefined) return undefined;
  const { connection: copying, release } = await lend();
  const connection = copying as unknown as SqlClient;
  let open = true;
  const finish = async (error?: unknown) => {
    if (!open) return;
    open = false;
    release(isConnectionError(error) ? error : undefined);
  };
  try {
    await connection.query('begin');
    await connection.query(importLockSql('$1'), [`${schema ?? ''}.${tenantId}`]);
    // No partition of the tenant's is made elsewhere (a gradebook write) until this load is over.
    await connection.query(partitionLockSql('$1'), [`${schema ?? ''}.${tenantId}`]);
    // Index builds of the tables it makes sort in memory up to this much (one at a time, in this transaction).
    await connection.query("set local maintenance_work_mem = '512MB'");
    const probes = Object.values(tableSpecs).map(
      (spec) => `exists (select 1 from ${qualify(schema, spec.table)} where tenant_id = $1)`,
    );
    const { rows } = await connection.query<{ taken: boolean }>(`select (${probes.join(' or ')}) as taken`, [
      tenantId,
    ]);
    if (rows[0]?.taken !== false) {
      await connection.query('rollback');
      await finish();
      return undefined;
    }
  } catch (error) {
    await connection.query('rollback').catch(() => {});
    await finish(error);
    throw error;
  }

  const tenant = copyField(tenantId);
  // A bulk row's status and dateLastModified are the same on every row.
  const bulkModified = copyField(toMilliseconds(importedAt));
  const bulkStamp = `"status":"active","dateLastModified":${JSON.stringify(importedAt)}}`;
  const sent = new Map<FileName, { mode: DataFileMode; inserted: number; unchanged: number }>();
  /**
   * Where each file's rows go: a table this load created (attached at commit; `indexed` once its keys and indexes
   * are built), or the parent table.
   */
  const targets = new Map<FileName, { table: string; created: boolean; indexed: boolean }>();

  async function targetOf(file: FileName): Promise<{ table: string; created: boolean; indexed: boolean }> {
    const known = targets.get(file);
    if (known !== undefined) return known;
    const name = partitionTable(tableSpecs[file].table, tenantId);
    const partition = partitionOf(schema, file, tenantId);
    const target = (await absentTables(connection, schema, [name])).has(name)
      ? { table: partition, created: true, indexed: false }
      : { table: qualify(schema, tableSpecs[file].table), created: false, indexed: true };
    if (target.created) await connection.query(createPartitionSql(schema, file, partition));
    targets.set(file, target);
    return target;
  }

  const analyzed = new Set<FileName>();

  /**
   * Builds the primary key and indexes of a table the load created, once, and gathers its statistics when it holds
   * more than a few rows (so the planner knows it from the moment it is attached).
   */
  async function buildIndexes(file: FileName): Promise<void> {
    const target = targets.get(file);
    if (target === undefined || target.indexed) return;
    await connection.query(`alter table ${target.table} add primary key (tenant_id, sourced_id)`);
    for (const statement of indexStatements(tableSpecs[file], target.table, false)) {
      await connection.query(statement);
    }
    target.indexed = true;
    if ((sent.get(file)?.inserted ?? 0) > analyzeAbove) {
      await connection.query(`analyze ${target.table}`);
      analyzed.add(file);
    }
  }

  /** Builds what is left of the keys and indexes of the tables the load created and attaches them. */
  async function attachCreated(): Promise<void> {
    for (const [file, target] of targets) {
      if (!target.created) continue;
      await buildIndexes(file);
      await connection.query(attachPartitionSql(schema, file, target.table, tenantId));
    }
  }

  async function rollback(error?: unknown): Promise<void> {
    if (!open) return;
    await connection.query('rollback').catch(() => {});
    await finish(error);
  }

  return {
    line(file, mode, entity) {
      if (mode === 'delta' && entity.status === 'tobedeleted') return undefined;
      const dateLastModified =
        mode === 'bulk' ? importedAt : (jsonTextOrUndefined(entity.dateLastModified) ?? importedAt);
      let line = `${tenant}\t${copyValue(jsonTextOrUndefined(entity.sourcedId) ?? null)}\tactive\t${
        mode === 'bulk' ? bulkModified : copyField(toMilliseconds(dateLastModified))
      }`;
      for (const key of tableSpecs[file].keys) {
        const value = key.read(entity);
        line += `\t${Array.isArray(value) ? copyArray(value) : copyValue(value)}`;
      }
      // The stored entity is the row with its status and dateLastModified: appended as the object's last members,
      // which JSONB keeps over any earlier ones of the same name (no copy of the object to build).
      const json = JSON.stringify(entity);
      const stamp =
        mode === 'bulk'
          ? bulkStamp
          : `"status":"active","dateLastModified":${JSON.stringify(dateLastModified)}}`;
      const data = json.length > 2 ? `${json.slice(0, -1)},${stamp}` : `{${stamp}`;
      // JSON text holds no tab, newline or carriage return (it escapes them), only backslashes to double.
      return `${line}\t${data.indexOf('\\') === -1 ? data : data.replaceAll('\\', '\\\\')}\n`;
    },

    async write(file, mode, lines, count, skipped) {
      const counts = sent.get(file) ?? { mode, inserted: 0, unchanged: 0 };
      if (counts.mode !== mode) throw new Error(`${file} was sent in two modes.`);
      sent.set(file, counts);
      const sql = tableSql(schema, file);
      try {
        const target = await targetOf(file);
        await copyLines(
          copying,
          copyFrom,
          `copy ${target.table} (${sql.columns}) from stdin${target.created ? ' with (freeze)' : ''}`,
          lines,
        );
      } catch (error) {
        await rollback(error);
        throw error;
      }
      counts.inserted += count;
      counts.unchanged += skipped;
    },

    async finish(file) {
      try {
        await buildIndexes(file);
      } catch (error) {
        await rollback(error);
        throw error;
      }
    },

    async commit(modes) {
      const counts: ImportCounts = {};
      try {
        for (const [file, mode] of modes) {
          const fileCounts = sent.get(file);
          if (fileCounts !== undefined && fileCounts.mode !== mode) {
            throw new Error(`${file} was loaded as ${fileCounts.mode} but committed as ${mode}.`);
          }
          counts[file] = {
            inserted: fileCounts?.inserted ?? 0,
            updated: 0,
            deleted: 0,
            unchanged: fileCounts?.unchanged ?? 0,
          };
        }
        for (const file of sent.keys()) {
          if (counts[file] === undefined) throw new Error(`${file} was loaded but is not committed.`);
        }
        await attachCreated();
        await connection.query(raiseVersionsSql(schema, '$1', '$2'), [
          tenantId,
          modes.map(([file]) => file).sort(),
        ]);
        await connection.query('commit');
        await finish();
        return { counts, analyzed };
      } catch (error) {
        await rollback(error);
        throw error;
      }
    },

    rollback: () => rollback(),
  };
}

function jsonTextOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? undefined
      : String(value);
}
