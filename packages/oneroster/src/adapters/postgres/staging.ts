/**
 * How an import's rows reach the staging table. On a `pg` Pool or Client, with the optional peer
 * `pg-copy-streams` installed, each batch travels as one `COPY … FROM STDIN` (text format) on one connection: no
 * bind parameters, no array literals to build and parse. Everywhere else (PGlite, a client with `transaction()`
 * such as a Kysely-backed one) a batch is one multi-row INSERT from UNNEST arrays.
 *
 * A sourcedId staged twice keeps its last row. Within a batch the last row wins before it is sent; a COPY
 * cannot upsert, so a batch repeating a sourcedId already staged fails on the staging key (23505) and is sent
 * again through the upsert instead, which replaces the earlier row.
 */
import { once } from 'node:events';
import type { SqlClient } from '@passport/core';
import type { FileName } from '../../model/files.ts';

/** Rows of one file sent per statement: large enough that round trips do not matter, small enough to hold. */
export const stagingBatchSize = 20_000;

export type StagingMethod = 'copy' | 'insert';

/** A staged batch: sourcedId → the entity's JSON, the last row of a sourcedId kept. */
export type StagedRows = Map<string, string>;

export interface Stager {
  readonly method: StagingMethod;
  write(file: FileName, rows: StagedRows): Promise<void>;
}

interface CopyConnection {
  query(submittable: unknown): unknown;
}

interface PoolLike {
  connect(): Promise<CopyConnection & { release(error?: unknown): void }>;
  totalCount: number;
}

export type CopyFrom = (
  text: string,
) => NodeJS.WritableStream & { on(event: string, listener: () => void): unknown };

let copyFromModule: Promise<CopyFrom | undefined> | undefined;

/** `pg-copy-streams`' `from`, or undefined when the optional peer is not installed. */
export function loadCopyFrom(): Promise<CopyFrom | undefined> {
  copyFromModule ??= import('pg-copy-streams').then(
    (module) => module.from as unknown as CopyFrom,
    () => undefined,
  );
  return copyFromModule;
}

/** How `client` lends a connection a COPY can run on, or undefined when it is not a `pg` Pool or Client. */
export function copyConnection(
  client: SqlClient,
): (() => Promise<{ connection: CopyConnection; release: (error?: unknown) => void }>) | undefined {
  const candidate = client as Partial<PoolLike> & { transaction?: unknown; connectionParameters?: unknown };
  if (typeof candidate.transaction === 'function') return undefined;
  if (typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number') {
    const pool = candidate as PoolLike;
    return async () => {
      const lent = await pool.connect();
      return { connection: lent, release: (error) => lent.release(error) };
    };
  }
  if (typeof candidate.connectionParameters === 'object' && candidate.connectionParameters !== null) {
    const connection = client as unknown as CopyConnection;
    return async () => ({ connection, release: () => {} });
  }
  return undefined;
}

/** A COPY text-format field: backslash, tab, newline and carriage return escaped. */
export function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (character) =>
        character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
      )
    : value;
}

function insertStager(client: SqlClient, staging: string, importId: string): Stager {
  return {
    method: 'insert',
    async write(file, rows) {
      await client.query(
        `insert into ${staging} (import_id, file, sourced_id, data) ` +
          'select $1, $2, u.sourced_id, u.data::jsonb from unnest($3::text[], $4::text[]) as u(sourced_id, data) ' +
          'on conflict (import_id, file, sourced_id) do update set data = excluded.data',
        [importId, file, [...rows.keys()], [...rows.values()]],
      );
    },
  };
}

/** The stager `client` supports: COPY on a `pg` Pool or Client when `pg-copy-streams` is installed. */
export async function createStager(client: SqlClient, staging: string, importId: string): Promise<Stager> {
  const inserting = insertStager(client, staging, importId);
  const lend = copyConnection(client);
  const copyFrom = lend === undefined ? undefined : await loadCopyFrom();
  if (lend === undefined || copyFrom === undefined) return inserting;
  const prefix = `${copyField(importId)}\t`;
  return {
    method: 'copy',
    async write(file, rows) {
      const { connection, release } = await lend();
      let failure: unknown;
      try {
        const filePrefix = `${prefix}${copyField(file)}\t`;
        await copyLines(
          connection,
          copyFrom,
          `copy ${staging} (import_id, file, sourced_id, data) from stdin`,
          (function* () {
            for (const [sourcedId, data] of rows)
              yield `${filePrefix}${copyField(sourcedId)}\t${copyField(data)}\n`;
          })(),
        );
      } catch (error) {
        failure = error;
      } finally {
        release(isConnectionError(failure) ? failure : undefined);
      }
      if (failure === undefined) return;
      // A sourcedId staged by an earlier batch: the upsert replaces it, as the last row staged wins.
      if ((failure as { code?: unknown }).code === '23505') return await inserting.write(file, rows);
      throw failure;
    },
  };
}

/** Runs one `COPY … FROM STDIN` (text format) on `connection`, sending `lines` (each ending in a newline). */
export async function copyLines(
  connection: CopyConnection,
  copyFrom: CopyFrom,
  statement: string,
  lines: Iterable<string>,
): Promise<void> {
  const stream = connection.query(copyFrom(statement)) as NodeJS.WritableStream & NodeJS.EventEmitter;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // A failure before the end is seen by the awaits below; until then it must not go unhandled.
  finished.catch(() => {});
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 1 << 16) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), finished]);
      chunk = '';
    }
  }
  stream.end(chunk);
  await finished;
}

export function isConnectionError(error: unknown): boolean {
  return error instanceof Error && /connection|terminat/i.test(error.message);
}
