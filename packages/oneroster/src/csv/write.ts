/**
 * Writing OneRoster 1.1 CSV packages, strictly: manifest.csv with `manifest.version` 1.0, `oneroster.version` 1.1
 * and `file.<name>` for all 13 files; each data file with the spec columns in spec order, then its `metadata.*`
 * columns; RFC 4180 (comma, CRLF, quoted as needed); UTF-8 without BOM; `status` and `dateLastModified` blank in
 * bulk files. Columns that are neither spec nor `metadata.*` columns are not written.
 *
 * `createPackageWriter` streams (one table after another, any number of rows, backpressure honored);
 * `writePackage` writes an in-memory dataset through it. Both build the package under a temporary name beside
 * `out` and rename it into place on `close()`, so a failure never leaves a half package under the final name.
 */
import { z } from 'zod';
import {
  type FileMode,
  type FileName,
  fileNames,
  headerOf,
  manifestFileName,
  metadataColumnPrefix,
} from '../model/files.ts';
import type { CsvDataset, CsvRow } from './dataset.ts';
import { manifestRecords } from './write-manifest.ts';
import { oneRosterCsvFormat, writeRecords } from './write-rows.ts';
import {
  formatFromPath,
  invalidOptions,
  openTarget,
  type PackageFormat,
  type PackageTarget,
  type WriteErrorCode,
  writeError,
} from './write-target.ts';

export type { PackageFormat, WriteErrorCode };

export interface WritePackageOptions {
  /** Defaults to `zip` when `out` ends in `.zip`, else `dir`. */
  format?: PackageFormat;
  /** Timestamps of the zip entries; defaults to now. Fix it to get byte-identical zips across runs. */
  modifiedAt?: Date;
  /** Deflate level of the zip entries, 0 (stored) to 9; default 6. */
  compressionLevel?: number;
}

const optionsSchema = z.strictObject({
  format: z.enum(['zip', 'dir']).optional(),
  modifiedAt: z.date().optional(),
  compressionLevel: z.int().min(0).max(9).optional(),
});

export type TableRows = Iterable<CsvRow> | AsyncIterable<CsvRow>;

export interface PackageWriter {
  /**
   * Writes one data file: its header (spec columns, then the `metadata.*` names among `columns`) and its rows.
   * Resolves with the number of rows written. Call it at most once per file and never while another call runs.
   * In bulk mode `status` and `dateLastModified` are written blank and rows marked `tobedeleted` are left out
   * (a bulk file is the full set of live rows). If writing fails, the whole package is dropped.
   */
  writeTable(
    file: FileName,
    mode: Exclude<FileMode, 'absent'>,
    columns: readonly string[],
    rows: TableRows,
  ): Promise<number>;
  /**
   * Writes manifest.csv (files not written are `absent`; `properties` such as `source.systemName` follow, except
   * the ones the writer sets itself) and renames the package into place.
   */
  close(properties?: Readonly<Record<string, string>>): Promise<void>;
  /** Drops the package being written; nothing appears under `out`. */
  abort(reason?: unknown): Promise<void>;
}

/** Starts a package at `out` (a `.zip` file or a directory). Nothing is visible there until `close()` succeeds. */
export function createPackageWriter(out: string, options: WritePackageOptions = {}): PackageWriter {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw invalidOptions('package writer', parsed.error);
  }
  const format = parsed.data.format ?? formatFromPath(out);
  const opening = openTarget(out, format, {
    modifiedAt: parsed.data.modifiedAt ?? new Date(),
    compressionLevel: parsed.data.compressionLevel ?? 6,
  });
  opening.catch(() => undefined);

  const modes: Partial<Record<FileName, Exclude<FileMode, 'absent'>>> = {};
  let state: 'open' | 'busy' | 'closed' | 'failed' = 'open';

  const enter = (what: string) => {
    if (state !== 'open') {
      throw writeError(
        'ONEROSTER_WRITE_INVALID_CALL',
        state === 'busy'
          ? `${what} called while a table is being written`
          : `${what} called on a ${state} package writer`,
      );
    }
    state = 'busy';
  };

  const fail = async (target: PackageTarget | undefined, error: unknown): Promise<never> => {
    state = 'failed';
    await target?.abort(error);
    throw error;
  };

  return {
    async writeTable(file, mode, columns, rows) {
      enter('writeTable');
      if (!fileNames.includes(file)) {
        state = 'open';
        throw writeError('ONEROSTER_WRITE_INVALID_CALL', `${String(file)} is not a OneRoster 1.1 data file`);
      }
      if (mode !== 'bulk' && mode !== 'delta') {
        state = 'open';
        throw writeError(
          'ONEROSTER_WRITE_INVALID_CALL',
          `${file}: mode must be bulk or delta, not ${String(mode)}`,
        );
      }
      if (modes[file] !== undefined) {
        state = 'open';
        throw writeError('ONEROSTER_WRITE_INVALID_CALL', `${file} was already written`);
      }
      let target: PackageTarget | undefined;
      try {
        target = await opening;
        const header = headerFor(file, columns);
        const entry = target.openEntry(`${file}.csv`);
        const count = await writeRecords(
          entry,
          header,
          recordsOf(rows, header, mode),
          oneRosterCsvFormat,
          target.signal,
        );
        await target.closeEntry(entry);
        modes[file] = mode;
        state = 'open';
        return count;
      } catch (error) {
        return fail(target, error);
      }
    },

    async close(properties = {}) {
      enter('close');
      let target: PackageTarget | undefined;
      try {
        target = await opening;
        const entry = target.openEntry(manifestFileName);
        await writeRecords(
          entry,
          undefined,
          manifestRecords(modes, properties),
          oneRosterCsvFormat,
          target.signal,
        );
        await target.closeEntry(entry);
        await target.commit();
        state = 'closed';
      } catch (error) {
        await fail(target, error);
      }
    },

    async abort(reason) {
      if (state === 'closed') return;
      state = 'failed';
      const target = await opening.catch(() => undefined);
      await target?.abort(reason);
    },
  };
}

/** Writes an in-memory dataset as a package: every table present, in the model's file order, and the manifest. */
export async function writePackage(
  dataset: CsvDataset,
  out: string,
  options: WritePackageOptions = {},
): Promise<void> {
  const writer = createPackageWriter(out, options);
  try {
    for (const file of fileNames) {
      const table = dataset.tables[file];
      if (table !== undefined) await writer.writeTable(file, table.mode, table.columns, table.rows);
    }
    await writer.close(dataset.manifest.properties);
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}

/** The spec columns in spec order, then each distinct `metadata.*` column in the order given. */
export function headerFor(file: FileName, columns: readonly string[]): string[] {
  const header = headerOf(file);
  for (const column of columns) {
    if (column.startsWith(metadataColumnPrefix) && !header.includes(column)) header.push(column);
  }
  return header;
}

function recordsOf(
  rows: TableRows,
  header: string[],
  mode: Exclude<FileMode, 'absent'>,
): Iterable<string[]> | AsyncIterable<string[]> {
  const bulk = mode === 'bulk';
  const status = header.indexOf('status');
  const modified = header.indexOf('dateLastModified');
  const toRecord = (row: CsvRow): string[] | undefined => {
    if (bulk && row.status === 'tobedeleted') return undefined;
    const record = header.map((column) => row[column] ?? '');
    if (bulk) {
      record[status] = '';
      record[modified] = '';
    }
    return record;
  };
  if (Symbol.asyncIterator in rows) {
    return (async function* () {
      for await (const row of rows) {
        const record = toRecord(row);
        if (record !== undefined) yield record;
      }
    })();
  }
  return (function* () {
    for (const row of rows) {
      const record = toRecord(row);
      if (record !== undefined) yield record;
    }
  })();
}
