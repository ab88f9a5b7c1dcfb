/**
 * Streaming CSV records with the line an editor shows for each: csv-parse does the parsing (RFC 4180, a UTF-8 BOM,
 * CRLF, quoted fields holding commas and line breaks); this adds exact 1-based line numbers, where a record that spans
 * several lines is at its first line.
 *
 * Records reach `onRecord` synchronously, as csv-parse's arrays of strings, while a chunk is parsed: nothing is
 * queued, so memory stays at one chunk (and one record) whatever the file size. The caller may keep or change the
 * array it gets. Between chunks the generator yields the bytes read so far, so callers can report progress or hand
 * rows on to an async consumer; the next chunk is only read when the caller asks for it.
 */
import { CsvError, Parser } from 'csv-parse';

/** Gets each record (its fields) and the 1-based line it starts on. Blank lines arrive as `['']`. */
export type RecordSink = (fields: string[], line: number) => void;

/** The text cannot be parsed as CSV from `line` on (an unclosed quote, a record over the size limit). */
export class MalformedCsvError extends Error {
  readonly line: number;
  readonly csvCode: string;

  constructor(message: string, line: number, csvCode: string, cause: unknown) {
    super(message, { cause });
    this.name = 'MalformedCsvError';
    this.line = line;
    this.csvCode = csvCode;
  }
}

const parserOptions = {
  bom: true,
  // Ragged rows, blank lines and stray quotes inside unquoted fields are reported by the validator, not fatal.
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  max_record_size: 1 << 20,
} as const;

/** Line breaks inside the fields of one record: `\r\n`, a lone `\n` and a lone `\r` each count once. */
export function countLineBreaks(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) continue;
    for (let index = 0; index < field.length; index++) {
      const unit = field.charCodeAt(index);
      if (unit === 10) breaks++;
      else if (unit === 13) {
        breaks++;
        if (field.charCodeAt(index + 1) === 10) index++;
      }
    }
  }
  return breaks;
}

/**
 * csv-parse hands each record to `push` while parsing, synchronously. Taking it there (instead of reading the stream
 * back) saves queueing every record, and is the moment csv-parse's own line counter belongs to this record.
 */
class RecordParser extends Parser {
  readonly #onRecord: RecordSink;
  #nextLine = 1;
  #parserLine = 0;

  constructor(onRecord: RecordSink) {
    super(parserOptions);
    this.#onRecord = onRecord;
  }

  /** Where the next record will start: also where parsing stopped, when it stops on an error. */
  get nextLine(): number {
    return this.#nextLine;
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const fields = chunk as string[];
    const line = this.#nextLine;
    // csv-parse's counter is the line a record ends on, but it counts a CRLF inside a quoted field twice; it moving
    // by more than one only tells that this record holds line breaks, which are then counted exactly.
    const parserLine = this.info.lines;
    const spans = parserLine - this.#parserLine > 1 ? countLineBreaks(fields) : 0;
    this.#parserLine = parserLine;
    this.#nextLine = line + 1 + spans;
    this.#onRecord(fields, line);
    return true;
  }
}

function settle(run: (callback: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

/**
 * Parses `source` (byte chunks: a file or zip entry stream), calling `onRecord` for each record; yields the bytes
 * read after each chunk. Throws `MalformedCsvError` when the text is not CSV, and whatever the source throws.
 */
export async function* readRecords(
  source: AsyncIterable<Buffer>,
  onRecord: RecordSink,
): AsyncGenerator<number> {
  const parser = new RecordParser(onRecord);
  let failure: unknown;
  parser.on('error', (error) => {
    failure ??= error;
  });
  const malformed = (error: unknown): unknown =>
    error instanceof CsvError
      ? new MalformedCsvError(error.message, parser.nextLine, error.code, error)
      : error;
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      await settle((callback) => parser.write(chunk, callback));
      if (failure !== undefined) throw failure;
      yield bytes;
    }
    await settle((callback) => parser.end(callback));
    if (failure !== undefined) throw failure;
  } catch (error) {
    throw malformed(error);
  } finally {
    parser.destroy();
  }
}
