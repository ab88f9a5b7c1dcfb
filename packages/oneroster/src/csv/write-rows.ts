/**
 * Writing CSV records to a stream: RFC 4180 quoting through csv-stringify, in batches (so the per-record cost
 * is a string join, not a stream write), honoring backpressure (a full sink is awaited before the next batch).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type Options as StringifyOptions, stringify } from 'csv-stringify/sync';

/** How a CSV file is spelled. OneRoster packages always use {@link oneRosterCsvFormat}. */
export interface CsvFormat {
  delimiter: string;
  /** CRLF is what RFC 4180 prescribes; LF is there for partners that ask for it. */
  lineEnding: '\r\n' | '\n';
  /** `needed`: quote a field only when it holds the delimiter, a quote or a line break. `always`: every field. */
  quoting: 'needed' | 'always';
  /** Start the file with a UTF-8 byte order mark (some spreadsheet programs need it). */
  bom: boolean;
  /** Prefix cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` so spreadsheets do not run them. */
  escapeFormulas: boolean;
}

/** RFC 4180: comma, CRLF, quoting as needed, UTF-8 without BOM. */
export const oneRosterCsvFormat: Readonly<CsvFormat> = {
  delimiter: ',',
  lineEnding: '\r\n',
  quoting: 'needed',
  bom: false,
  escapeFormulas: false,
};

/** Records are collected into a batch of this many before they are stringified and written. */
const batchRecords = 256;

function stringifyOptions(format: CsvFormat): StringifyOptions {
  return {
    delimiter: format.delimiter,
    record_delimiter: format.lineEnding === '\r\n' ? 'windows' : 'unix',
    // csv-stringify only quotes a line break that matches the record delimiter; RFC 4180 wants any quoted.
    quoted_match: /[\r\n]/,
    quoted: format.quoting === 'always',
    quoted_empty: format.quoting === 'always',
    escape_formulas: format.escapeFormulas,
    eof: true,
  };
}

/**
 * Writes a CSV file's content to `sink` (which the caller ends): the BOM if the format asks for it, the header
 * (unless `undefined`), then the records. Resolves with how many records (header excluded) were written. Waits for
 * `drain` whenever the sink is full; rejects with `signal.reason` when the signal aborts while waiting.
 */
export async function writeRecords(
  sink: Writable,
  header: string[] | undefined,
  records: Iterable<string[]> | AsyncIterable<string[]>,
  format: CsvFormat,
  signal?: AbortSignal,
): Promise<number> {
  const options = stringifyOptions(format);
  if (format.bom) sink.write('\ufeff');
  let batch: string[][] = header === undefined ? [] : [header];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const text = stringify(batch, options);
    batch = [];
    if (!sink.write(text)) await drained(sink, signal);
  };
  if (Symbol.asyncIterator in records) {
    for await (const record of records) {
      batch.push(record);
      count++;
      if (batch.length >= batchRecords) await flush();
    }
  } else {
    for (const record of records) {
      batch.push(record);
      count++;
      if (batch.length >= batchRecords) await flush();
    }
  }
  await flush();
  return count;
}

async function drained(sink: Writable, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  try {
    await once(sink, 'drain', signal === undefined ? {} : { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
