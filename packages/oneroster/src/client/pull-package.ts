/**
 * A district's roster read from any OneRoster 1.1 REST API and written as a bulk CSV package, so it can be
 * validated and imported like any other package (`validatePackage`, `importPackage`): one path for a district's data
 * however it arrives, with the same findings and the same safety guard.
 *
 * Each collection is paged through with the client (its retries, concurrency cap and resumable iterators), each
 * entity converted to its CSV row, spooled to a temporary file (so `metadata.*` columns are known before the header is
 * written, and memory stays flat for the largest districts), then written into the package. Nothing appears at `out`
 * unless every required collection was read.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CsvRow } from '../csv/dataset.ts';
import { createPackageWriter, type PackageFormat } from '../csv/write.ts';
import { entityToCsvRow } from '../model/convert.ts';
import { type FileName, metadataColumnPrefix } from '../model/files.ts';
import type { OneRosterClient } from './client.ts';
import { OneRosterClientError } from './client-error.ts';
import type { CollectionEndpoint } from './endpoints.ts';

/** The rostering files a pull can read, in the order they are written. */
export const pullableFiles = [
  'academicSessions',
  'orgs',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
] as const satisfies readonly FileName[];

export type PullableFile = (typeof pullableFiles)[number];

export interface PullPackageOptions {
  /** The files to read. Default: all of `pullableFiles`. */
  files?: readonly PullableFile[];
  /**
   * Files the server may refuse (403: the credential lacks the scope; 404: not offered) without failing the pull;
   * they are left out of the package (`absent`, so an import leaves them as they are). Default `['demographics']`.
   */
  optionalFiles?: readonly PullableFile[];
  /** Page size asked for. Default 1000 (a server that caps it lower still pages correctly). */
  pageSize?: number;
  /** Default: `zip` when `out` ends in `.zip`, else `dir`. */
  format?: PackageFormat;
  /** Written to the manifest as `source.systemName`. Default `OneRoster API`. */
  systemName?: string;
  /** Called after each page's rows are spooled. */
  onProgress?: (progress: { file: PullableFile; rows: number }) => void;
}

export interface PullPackageResult {
  /** Rows written per file. */
  rows: Partial<Record<PullableFile, number>>;
  /** Optional files the server refused, with its answer. */
  skipped: { file: PullableFile; status: number; message: string }[];
}

function endpointOf(client: OneRosterClient, file: PullableFile): CollectionEndpoint<unknown> {
  switch (file) {
    case 'academicSessions':
      return client.academicSessions;
    case 'orgs':
      return client.orgs;
    case 'courses':
      return client.courses;
    case 'classes':
      return client.classes;
    case 'users':
      return client.users;
    case 'enrollments':
      return client.enrollments;
    case 'demographics':
      return client.demographics;
  }
}

function toRow(file: PullableFile, entity: unknown): CsvRow {
  const sourcedId =
    typeof entity === 'object' && entity !== null ? (entity as { sourcedId?: unknown }).sourcedId : undefined;
  try {
    return entityToCsvRow(file, entity as never);
  } catch (error) {
    throw new OneRosterClientError(
      'ONEROSTER_CLIENT_INVALID_RESPONSE',
      `${file} ${typeof sourcedId === 'string' ? sourcedId : '(no sourcedId)'} cannot be written as CSV: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
}

interface Spool {
  path: string;
  rows: number;
  metadataColumns: Set<string>;
}

async function spoolFile(
  client: OneRosterClient,
  file: PullableFile,
  path: string,
  options: PullPackageOptions,
): Promise<Spool> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const spool: Spool = { path, rows: 0, metadataColumns: new Set() };
  const pageSize = options.pageSize ?? 1000;
  try {
    for await (const entity of endpointOf(client, file).iterate({ limit: pageSize })) {
      const row = toRow(file, entity);
      for (const column of Object.keys(row)) {
        if (column.startsWith(metadataColumnPrefix)) spool.metadataColumns.add(column);
      }
      spool.rows += 1;
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
      if (spool.rows % pageSize === 0) options.onProgress?.({ file, rows: spool.rows });
    }
    options.onProgress?.({ file, rows: spool.rows });
  } finally {
    out.end();
    await once(out, 'close');
  }
  return spool;
}

async function* spooledRows(path: string): AsyncGenerator<CsvRow> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line !== '') yield JSON.parse(line) as CsvRow;
  }
}

/**
 * Reads the district behind `client` into a bulk OneRoster CSV package at `out` (a `.zip` file or a directory).
 * Throws the client's `OneRosterClientError` when a required collection cannot be read (nothing is written then).
 */
export async function pullPackage(
  client: OneRosterClient,
  out: string,
  options: PullPackageOptions = {},
): Promise<PullPackageResult> {
  const files = options.files ?? pullableFiles;
  const optional = new Set(options.optionalFiles ?? ['demographics']);
  const work = await mkdtemp(join(tmpdir(), 'oneroster-pull-'));
  const result: PullPackageResult = { rows: {}, skipped: [] };
  try {
    // Every collection is read at once; the client's concurrency cap keeps the server's load polite.
    const settled = await Promise.allSettled(
      files.map((file) => spoolFile(client, file, join(work, `${file}.ndjson`), options)),
    );
    const spools = new Map<PullableFile, Spool>();
    for (const [index, outcome] of settled.entries()) {
      const file = files[index] as PullableFile;
      if (outcome.status === 'fulfilled') {
        spools.set(file, outcome.value);
        continue;
      }
      const error: unknown = outcome.reason;
      if (
        optional.has(file) &&
        error instanceof OneRosterClientError &&
        error.code === 'ONEROSTER_CLIENT_HTTP' &&
        (error.status === 403 || error.status === 404)
      ) {
        result.skipped.push({ file, status: error.status, message: error.message });
        continue;
      }
      throw error;
    }
    const writer = createPackageWriter(out, options.format === undefined ? {} : { format: options.format });
    try {
      for (const file of pullableFiles) {
        const spool = spools.get(file);
        if (spool === undefined) continue;
        result.rows[file] = await writer.writeTable(
          file,
          'bulk',
          [...spool.metadataColumns],
          spooledRows(spool.path),
        );
      }
      await writer.close({ 'source.systemName': options.systemName ?? 'OneRoster API' });
    } catch (error) {
      await writer.abort(error);
      throw error;
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
