/**
 * Reading a package's rows, normalized, with the same checks as `validatePackage`:
 * - `readPackage` for packages that fit in memory: the whole dataset and the report;
 * - `streamPackage` for importers of packages of any size: the rows that passed their own checks, one at a time, in
 *   reference order (orgs before the users naming them, ...), then the report.
 */
import { OneRosterError } from '../errors.ts';
import { type FileName, headerOf } from '../model/files.ts';
import type { FileLayout } from './check-header.ts';
import type { CsvDataset, CsvRow, CsvTable } from './dataset.ts';
import { inferredManifest } from './read-manifest.ts';
import { checkPackage, type DataFileMode, type ValidateOptions, type ValidationReport } from './validate.ts';

/** A record as a row keyed by column: every spec column (blank when the file lacks it), then `metadata.*`. */
export function rowOf(layout: FileLayout, fields: readonly string[]): CsvRow {
  const row: CsvRow = {};
  const { columns, indexes } = layout;
  for (let column = 0; column < columns.length; column++) {
    const index = indexes[column]!;
    row[columns[column]!] = index >= 0 ? (fields[index] ?? '') : '';
  }
  return row;
}

/**
 * Reads a whole package into memory, normalized. Every row that could be mapped to its columns is in the dataset,
 * including rows with errors (the report lists them); rows with the wrong number of fields are not. Check
 * `report.valid` before trusting the data. Without a manifest, the dataset's manifest is the inferred one (every
 * data file present as bulk).
 */
export async function readPackage(
  path: string,
  options: ValidateOptions = {},
): Promise<{ dataset: CsvDataset; report: ValidationReport }> {
  const tables: Partial<Record<FileName, CsvTable>> = {};
  const run = checkPackage(path, options, (file, mode, _line, fields, layout) => {
    let table = tables[file];
    if (table === undefined) {
      table = { mode, columns: layout.columns, rows: [] };
      tables[file] = table;
    }
    table.rows.push(rowOf(layout, fields));
  });
  let step = await run.next();
  while (!step.done) step = await run.next();
  const report = step.value;
  const manifest = report.manifest ?? inferredManifest(Object.keys(report.counts) as FileName[]);
  for (const file of Object.keys(report.counts) as FileName[]) {
    const mode = manifest.files[file];
    if (tables[file] === undefined && mode !== 'absent')
      tables[file] = { mode, columns: headerOf(file), rows: [] };
  }
  return { dataset: { manifest, tables }, report };
}

export interface StreamedRow {
  file: FileName;
  mode: DataFileMode;
  /** The row's line in its file (1-based, the header is line 1). */
  line: number;
  row: CsvRow;
}

export interface PackageStream extends AsyncIterable<StreamedRow> {
  /**
   * The full report, once the rows have been read to the end. Rejects with `ONEROSTER_STREAM_INCOMPLETE` when the
   * iteration stopped early, and with the reading error when the package could not be read.
   */
  readonly report: Promise<ValidationReport>;
}

/**
 * Streams the rows of a package of any size: memory stays at a chunk of rows plus the id sets. Files come in
 * reference order (a row's references to other files point at rows already streamed), and a row is streamed only
 * when its own checks found no error. Two checks can only conclude after a file has been read to its end: duplicate
 * sourcedIds and references within the same file (an org's parent further down). Their findings are in the report, so
 * an importer should stage the rows and commit only when `report.valid` (or decide on the findings).
 *
 * The rows can be iterated once.
 */
export function streamPackage(path: string, options: ValidateOptions = {}): PackageStream {
  let settle: { resolve: (report: ValidationReport) => void; reject: (error: unknown) => void } | undefined;
  const report = new Promise<ValidationReport>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The report may never be awaited; its rejection must not go unhandled.
  report.catch(() => {});

  async function* rows(): AsyncGenerator<StreamedRow, void, undefined> {
    const batch: StreamedRow[] = [];
    const run = checkPackage(path, options, (file, mode, line, fields, layout, valid) => {
      if (valid) batch.push({ file, mode, line, row: rowOf(layout, fields) });
    });
    let finished = false;
    try {
      for (;;) {
        const step = await run.next();
        for (const row of batch) yield row;
        batch.length = 0;
        if (step.done) {
          finished = true;
          settle?.resolve(step.value);
          return;
        }
      }
    } catch (error) {
      finished = true;
      settle?.reject(error);
      throw error;
    } finally {
      if (!finished) {
        settle?.reject(
          new OneRosterError(
            'ONEROSTER_STREAM_INCOMPLETE',
            'The package stream was not read to its end; no report.',
          ),
        );
        await run.return(undefined as never);
      }
    }
  }

  const iterator = rows();
  return {
    report,
    [Symbol.asyncIterator]: () => iterator,
  };
}
