/**
 * An import into PostgreSQL or PGlite. Rows are staged into an unlogged table in batches of `stagingBatchSize` (one
 * COPY on a `pg` Pool or Client, one multi-row INSERT from UNNEST arrays elsewhere: see staging.ts), outside any transaction, so staging never holds locks; a
 * sourcedId staged twice keeps its last row. `commit` then applies every file with set-based statements in one
 * transaction (an upsert of the rows that changed, counted as it writes; an update marking the missing ones), runs
 * the safety guard, which rolls it all back when the import must be held, and refreshes the planner's statistics.
 * Staged rows are dropped either way.
 */
import type { SqlClient } from '@passport/core';
import type { DataFileMode } from '../../csv/validate.ts';
import type { FileName } from '../../model/files.ts';
import {
  classEmptiedFinding,
  type GuardedFile,
  guardedFiles,
  maxListedClasses,
  removedShareFinding,
} from '../../store/import-guard.ts';
import type {
  CommitOptions,
  ImportCounts,
  ImportFileCounts,
  ImportGuardFinding,
  ImportOutcome,
  ImportSession,
} from '../../store/roster-store.ts';
import { analyzeAbove, beginFirstLoad, type FirstLoad, importLockSql } from './first-load.ts';
import { ensurePartitions, partitionOf } from './partitions.ts';
import { inTransaction, qualify } from './sql.ts';
import { createStager, type StagedRows, type Stager, stagingBatchSize } from './staging.ts';
import { tableSql } from './table-sql.ts';
import { stagingTable, tableSpecs } from './tables.ts';
import { raiseVersionsSql } from './versions.ts';

export interface ImportSessionContext {
  client: SqlClient;
  schema: string | undefined;
  tenantId: string;
  importId: string;
  importedAt: string;
  /** The store's partitions known to exist (see partitions.ts). */
  partitions: Set<string>;
}

/** Thrown inside the transaction to roll it back when the guard holds the import. */
class HeldImport extends Error {
  readonly counts: ImportCounts;
  readonly findings: ImportGuardFinding[];

  constructor(counts: ImportCounts, findings: ImportGuardFinding[]) {
    super('held');
    this.counts = counts;
    this.findings = findings;
  }
}

/** First-load lines (characters) queued for COPY at most, beyond which the caller waits: about 64 MB. */
const maxQueuedChars = 64 * 1024 * 1024;

/** The apply transaction's work_mem. */
const applyWorkMemory = '256MB';

const content = (data: string) => `(${data} - 'status' - 'dateLastModified')`;

interface WrittenCounts {
  staged: number;
  inserted: number;
  updated: number;
  deleted: number;
}

export function createImportSession(context: ImportSessionContext): ImportSession {
  const { client, schema, tenantId, importId, importedAt, partitions } = context;
  /** The tenant's own partition of a file's table: what an import analyzes after writing to it. */
  const partition = (file: FileName) => partitionOf(schema, file, tenantId);
  const staging = qualify(schema, stagingTable);
  let open = true;

  /**
   * Upserts `changed` (a CTE yielding `d`, the entity to store) and counts what it wrote: new rows, rows replaced,
   * and among both those stored as tobedeleted. `changed` is MATERIALIZED: every column is computed from `d`, and an
   * inlined CTE would build each row's JSONB again for each of them.
   */
  async function upsert(transaction: SqlClient, file: FileName, ctes: string): Promise<WrittenCounts> {
    const sql = tableSql(schema, file);
    const { rows } = await transaction.query<WrittenCounts>(
      `with ${ctes}, written as (insert into ${partition(file)} (${sql.columns}) ` +
        `select ${sql.values('$3::text', 'changed.d')} from changed ` +
        `on conflict (tenant_id, sourced_id) do update set ${sql.updates} ` +
        'returning (xmax = 0) as created, status) select ' +
        `(select count(*)::int from ${staging} where import_id = $1 and file = $2) as staged, ` +
        "count(*) filter (where created and status = 'active')::int as inserted, " +
        "count(*) filter (where not created and status = 'active')::int as updated, " +
        "count(*) filter (where status = 'tobedeleted')::int as deleted from written",
      [importId, file, tenantId, importedAt],
    );
    return rows[0] ?? { staged: 0, inserted: 0, updated: 0, deleted: 0 };
  }

  const staged = `staged as (select sourced_id, data from ${staging} where import_id = $1 and file = $2)`;

  async function applyBulk(transaction: SqlClient, file: FileName): Promise<ImportFileCounts> {
    const same = `l.status = 'active' and ${content('l.data')} = ${content('s.data')}`;
    // Missing rows are marked first: the scan then covers only the rows stored before, none on a first import.
    const { rows } = await transaction.query<{ deleted: number }>(
      `with deleted as (update ${partition(file)} l set status = 'tobedeleted', date_last_modified = $4::text::timestamptz, ` +
        `data = l.data || jsonb_build_object('status', 'tobedeleted', 'dateLastModified', $4::text) ` +
        "where l.tenant_id = $3 and l.status = 'active' and not exists " +
        `(select 1 from ${staging} s where s.import_id = $1 and s.file = $2 and s.sourced_id = l.sourced_id) returning 1) ` +
        'select count(*)::int as deleted from deleted',
      [importId, file, tenantId, importedAt],
    );
    const written = await upsert(
      transaction,
      file,
      `${staged}, changed as materialized (` +
        `select s.data || jsonb_build_object('status', 'active', 'dateLastModified', $4::text) as d ` +
        `from staged s left join ${partition(file)} l on l.tenant_id = $3 and l.sourced_id = s.sourced_id ` +
        `where l.sourced_id is null or not (${same}))`,
    );
    return {
      inserted: written.inserted,
      updated: written.updated,
      deleted: Number(rows[0]?.deleted ?? 0),
      unchanged: written.staged - written.inserted - written.updated,
    };
  }

  async function applyDelta(transaction: SqlClient, file: FileName): Promise<ImportFileCounts> {
    const deleting = `n.d->>'status' = 'tobedeleted'`;
    const same = `l.status = 'active' and ${content('l.data')} = ${content('n.d')}`;
    // The row as stored: its own status (active unless tobedeleted) and dateLastModified (the import time if none).
    // A deletion is written only over an active row; a change only when it changes something.
    const written = await upsert(
      transaction,
      file,
      `${staged}, normalized as (select s.sourced_id, s.data || jsonb_build_object(` +
        `'status', case when s.data->>'status' = 'tobedeleted' then 'tobedeleted' else 'active' end, ` +
        `'dateLastModified', coalesce(s.data->>'dateLastModified', $4::text)) as d from staged s), ` +
        `changed as materialized (select n.d from normalized n left join ${partition(file)} l on l.tenant_id = $3 and l.sourced_id = n.sourced_id ` +
        `where (${deleting} and l.status = 'active') or (not ${deleting} and (l.sourced_id is null or not (${same}))))`,
    );
    return {
      inserted: written.inserted,
      updated: written.updated,
      deleted: written.deleted,
      unchanged: written.staged - written.inserted - written.updated - written.deleted,
    };
  }

  async function activeCount(transaction: SqlClient, file: GuardedFile): Promise<number> {
    const { rows } = await transaction.query<{ total: number }>(
      `select count(*)::int as total from ${qualify(schema, tableSpecs[file].table)} where tenant_id = $1 and status = 'active'`,
      [tenantId],
    );
    return Number(rows[0]?.total ?? 0);
  }

  async function commit(options: CommitOptions): Promise<ImportOutcome> {
    const modes = Object.entries(options.modes).filter(
      (entry): entry is [FileName, DataFileMode] => entry[1] === 'bulk' || entry[1] === 'delta',
    );
    const guarding = !options.confirm && modes.some(([, mode]) => mode === 'bulk');
    const enrollments = qualify(schema, tableSpecs.enrollments.table);
    const classes = qualify(schema, tableSpecs.classes.table);
    // Statistics of what was staged, so the apply joins it to the stored rows with a plan fit for its size.
    await client.query(`analyze ${staging}`);
    await ensurePartitions(
      client,
      schema,
      tenantId,
      modes.map(([file]) => file),
      partitions,
    );
    const outcome = await inTransaction(client, async (transaction) => {
      // One import of a tenant at a time, first loads included.
      await transaction.query(importLockSql('$1'), [`${schema ?? ''}.${tenantId}`]);
      // The changed rows are materialized and joined in memory rather than spilled to disk.
      await transaction.query(`set local work_mem = '${applyWorkMemory}'`);
      const before = new Map<GuardedFile, number>();
      if (guarding) {
        for (const file of guardedFiles) {
          if (options.modes[file] === 'bulk') before.set(file, await activeCount(transaction, file));
        }
        await transaction.query(
          'create temp table oneroster_guard_classes on commit drop as select class_sourced_id, count(*)::int as students ' +
            `from ${enrollments} where tenant_id = $1 and status = 'active' and role = 'student' ` +
            'group by class_sourced_id having count(*) >= $2',
          [tenantId, options.guard.minClassSize],
        );
      }
      const counts: ImportCounts = {};
      for (const [file, mode] of modes) {
        counts[file] =
          mode === 'bulk' ? await applyBulk(transaction, file) : await applyDelta(transaction, file);
      }
      if (guarding) {
        const findings: ImportGuardFinding[] = [];
        for (const [file, activeBefore] of before) {
          const finding = removedShareFinding(
            file,
            activeBefore,
            counts[file]?.deleted ?? 0,
            options.guard.maxRemovedShare,
          );
          if (finding !== undefined) findings.push(finding);
        }
        const emptied = await transaction.query<{ class_sourced_id: string; students: number }>(
          'select g.class_sourced_id, g.students from oneroster_guard_classes g ' +
            `join ${classes} c on c.tenant_id = $1 and c.sourced_id = g.class_sourced_id and c.status = 'active' ` +
            `where not exists (select 1 from ${enrollments} e where e.tenant_id = $1 and e.class_sourced_id = g.class_sourced_id ` +
            `and e.status = 'active' and e.role = 'student') order by g.class_sourced_id collate "C" limit $2`,
          [tenantId, maxListedClasses],
        );
        for (const row of emptied.rows)
          findings.push(classEmptiedFinding(row.class_sourced_id, Number(row.students)));
        if (findings.length > 0) throw new HeldImport(counts, findings);
      }
      // Last, so the counters' row locks are held only for the commit; totals remembered before are stale now.
      await transaction.query(raiseVersionsSql(schema, '$1', '$2'), [
        tenantId,
        modes.map(([file]) => file).sort(),
      ]);
      return { status: 'applied', counts } satisfies ImportOutcome;
    }).catch((error: unknown) => {
      if (error instanceof HeldImport) {
        return { status: 'held', counts: error.counts, guard: error.findings } satisfies ImportOutcome;
      }
      throw error;
    });
    if (outcome.status === 'applied') {
      // Large loads change the data's shape; fresh statistics keep the relationship queries on their indexes.
      const changed = modes.filter(([file]) => {
        const fileCounts = outcome.counts[file];
        return (
          fileCounts !== undefined &&
          fileCounts.inserted + fileCounts.updated + fileCounts.deleted > analyzeAbove
        );
      });
      for (const [file] of changed) await client.query(`analyze ${partition(file)}`);
    }
    return outcome;
  }

  async function dropStaged(): Promise<void> {
    await client.query(`delete from ${staging} where import_id = $1`, [importId]);
  }

  let stager: Promise<Stager> | undefined;
  let bufferFile: FileName | undefined;
  let buffer: StagedRows = new Map();
  /** The batch being sent: one at a time, while the caller reads and converts the next. */
  let sending: Promise<void> = Promise.resolve();
  /**
   * Whether the rows go straight into the roster tables (a first load, see first-load.ts): decided when the
   * first rows arrive, with their file's mode. `undefined` until then.
   */
  let firstLoad: FirstLoad | false | undefined;
  let lineFile: { file: FileName; mode: DataFileMode } | undefined;
  let lines: string[] = [];
  let skipped = 0;
  let loadFailure: { error: unknown } | undefined;

  /** First-load lines handed to the connection and not yet sent (characters), and the batches carrying them. */
  let queuedChars = 0;
  const queuedBatches = new Set<Promise<void>>();

  /**
   * Queues `task` on the first load's connection after everything queued before; a failure is kept for the commit
   * (the transaction is rolled back), and later tasks are skipped. Until then the rows keep streaming, so the
   * validator can finish and an invalid package is reported as such (a repeated sourcedId fails both).
   */
  function queue(task: () => Promise<void>): Promise<void> {
    sending = sending
      .then(() => (loadFailure === undefined ? task() : undefined))
      .catch((error: unknown) => {
        loadFailure ??= { error };
      });
    return sending;
  }

  /**
   * Queues the first-load lines read so far as one COPY batch. Several batches may wait, so that while the
   * connection builds a finished file's indexes the caller goes on reading and converting; it waits only when
   * `maxQueuedChars` are queued.
   */
  async function queueLines(load: FirstLoad): Promise<void> {
    if (lineFile === undefined || lines.length + skipped === 0) return;
    const { file, mode } = lineFile;
    const batch = lines;
    const batchSkipped = skipped;
    lines = [];
    skipped = 0;
    if (loadFailure !== undefined) return;
    let chars = 0;
    for (const line of batch) chars += line.length;
    queuedChars += chars;
    const sent: Promise<void> = queue(() => load.write(file, mode, batch, batch.length, batchSkipped)).then(
      () => {
        queuedChars -= chars;
        queuedBatches.delete(sent);
      },
    );
    queuedBatches.add(sent);
    // The oldest batch first: batches are sent in order.
    while (queuedChars > maxQueuedChars && queuedBatches.size > 0) await queuedBatches.values().next().value;
  }

  /** Starts sending the rows buffered so far, one statement for the lot, once the previous batch is in. */
  async function flush(): Promise<void> {
    if (firstLoad) return await queueLines(firstLoad);
    await sending;
    if (bufferFile === undefined || buffer.size === 0) return;
    const file = bufferFile;
    const rows = buffer;
    buffer = new Map();
    stager ??= createStager(client, staging, importId);
    sending = stager.then((ready) => ready.write(file, rows));
    // Its failure surfaces at the next stage, commit or abort; until then it is not an unhandled rejection.
    sending.catch(() => {});
  }

  async function commitFirstLoad(load: FirstLoad, options: CommitOptions): Promise<ImportOutcome> {
    const modes = Object.entries(options.modes).filter(
      (entry): entry is [FileName, DataFileMode] => entry[1] === 'bulk' || entry[1] === 'delta',
    );
    const { counts, analyzed } = await load.commit(modes);
    for (const [file, fileCounts] of Object.entries(counts) as [FileName, ImportFileCounts][]) {
      if (fileCounts.inserted > analyzeAbove && !analyzed.has(file)) {
        await client.query(`analyze ${partition(file)}`);
      }
    }
    return { status: 'applied', counts };
  }

  return {
    async stage(file, entities, mode) {
      if (!open) throw new Error('This import session is over.');
      if (firstLoad === undefined) {
        firstLoad =
          (mode !== undefined && (await beginFirstLoad({ client, schema, tenantId, importedAt }))) || false;
      }
      if (firstLoad) {
        if (mode === undefined) throw new Error('A first load needs the mode of every file it stages.');
        if (lineFile?.file !== file || lineFile.mode !== mode) {
          await flush();
          // Its rows are all in: its indexes can be built while the next file's rows are read.
          const load = firstLoad;
          const finished = lineFile?.file;
          if (finished !== undefined && finished !== file) void queue(() => load.finish(finished));
          lineFile = { file, mode };
        }
        for (const entity of entities) {
          const line = firstLoad.line(file, mode, entity);
          if (line === undefined) skipped += 1;
          else lines.push(line);
        }
        if (lines.length >= stagingBatchSize) await flush();
        return;
      }
      if (file !== bufferFile) {
        await flush();
        bufferFile = file;
      }
      // One row per sourcedId in a statement (an upsert cannot touch a row twice); the last one wins.
      for (const entity of entities) buffer.set(String(entity.sourcedId), JSON.stringify(entity));
      if (buffer.size >= stagingBatchSize) await flush();
    },
    async commit(options) {
      if (!open) throw new Error('This import session is over.');
      open = false;
      try {
        await flush();
        await sending;
        if (loadFailure !== undefined) throw loadFailure.error;
        if (firstLoad) return await commitFirstLoad(firstLoad, options);
        return await commit(options);
      } finally {
        if (firstLoad) await firstLoad.rollback();
        else await dropStaged();
      }
    },
    async abort() {
      open = false;
      buffer = new Map();
      lines = [];
      // The batch still being sent must land before the staged rows are dropped.
      await sending.catch(() => {});
      if (firstLoad) await firstLoad.rollback();
      else await dropStaged();
    },
  };
}
