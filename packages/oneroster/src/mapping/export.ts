/**
 * Writes a dataset in a partner's own CSV layout, as a mapping describes it. Each output file is written under a
 * temporary name in `outDir`; only when all are complete are they renamed to their names, so a failure leaves no
 * partial files behind (earlier exports' files are replaced only then).
 *
 * Memory: the dataset is in memory already; joins add lookup maps (one entry per row of each file a lookup or
 * filter reaches), built on first use and dropped when the export ends. Output is streamed.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { CsvDataset, CsvRow } from '../csv/dataset.ts';
import { type CsvFormat, writeRecords } from '../csv/write-rows.ts';
import { compileColumn, compileConditions } from './compile.ts';
import { DatasetIndex } from './dataset-index.ts';
import { parseMapping } from './parse-mapping.ts';
import type { CsvOptions, Mapping, MappingInput, OutputFile } from './schema.ts';

export interface ExportResult {
  /** Rows written (header excluded) per output file name. */
  files: Record<string, number>;
}

/** The CSV spelling of a file: its own `csv` options over the mapping's, over RFC 4180 defaults. */
function formatOf(mapping: Mapping, file: OutputFile): CsvFormat & { header: boolean } {
  const options: CsvOptions = { ...mapping.csv, ...file.csv };
  return {
    delimiter: options.delimiter ?? ',',
    quoting: options.quoting ?? 'needed',
    lineEnding: options.lineEnding === 'lf' ? '\n' : '\r\n',
    bom: options.bom ?? false,
    escapeFormulas: options.escapeFormulas ?? false,
    header: options.header ?? true,
  };
}

/** The records of one output file, computed row by row. */
function* recordsOf(index: DatasetIndex, file: OutputFile): Generator<string[]> {
  const keep = compileConditions(index, file.from, file.where);
  const columns = file.columns.map((column) => compileColumn(index, file.from, column));
  for (const row of index.rows(file.from) as CsvRow[]) {
    if (keep(row)) yield columns.map((value) => value(row));
  }
}

/**
 * Exports `dataset` through `mapping` (validated here with `parseMapping`, so raw JSON is accepted) into `outDir`,
 * creating it if needed. A source file the dataset lacks gives an output file with its header only.
 */
export async function exportCustom(
  dataset: CsvDataset,
  mapping: MappingInput,
  outDir: string,
): Promise<ExportResult> {
  const parsed = parseMapping(mapping);
  await mkdir(outDir, { recursive: true });
  const index = new DatasetIndex(dataset);
  const written: Array<{ temporary: string; final: string }> = [];
  const files: Record<string, number> = {};
  let current: { path: string; sink: WriteStream } | undefined;
  try {
    for (const file of parsed.files) {
      const format = formatOf(parsed, file);
      const temporary = join(outDir, `.${file.name}.partial-${randomBytes(6).toString('hex')}`);
      const controller = new AbortController();
      const sink = createWriteStream(temporary, { flags: 'wx' });
      current = { path: temporary, sink };
      sink.on('error', (error) => controller.abort(error));
      const header = format.header ? file.columns.map((column) => column.header) : undefined;
      files[file.name] = await writeRecords(sink, header, recordsOf(index, file), format, controller.signal);
      sink.end();
      await finished(sink);
      written.push({ temporary, final: join(outDir, file.name) });
      current = undefined;
    }
    for (const { temporary, final } of written) await rename(temporary, final);
  } catch (error) {
    // Wait for the stream to close before removing its file: a stream destroyed while its file is still being opened
    // creates the file afterwards, and it would be left behind.
    const sink = current?.sink;
    if (sink !== undefined && !sink.closed) {
      const closed = new Promise<void>((resolve) => sink.once('close', () => resolve()));
      sink.destroy();
      await closed;
    }
    await Promise.all(
      [...written.map((entry) => entry.temporary), ...(current === undefined ? [] : [current.path])].map(
        (path) => rm(path, { force: true }),
      ),
    );
    throw error;
  }
  return { files };
}
