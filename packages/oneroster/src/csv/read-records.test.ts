import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countLineBreaks, MalformedCsvError, readRecords } from './read-records.ts';

/** Reads `text`, fed in chunks of `chunkSize` bytes, into [line, fields] pairs. */
async function records(text: string | Buffer, chunkSize = 1 << 16): Promise<Array<[number, string[]]>> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize)
    chunks.push(bytes.subarray(start, start + chunkSize));
  const out: Array<[number, string[]]> = [];
  for await (const _bytes of readRecords(Readable.from(chunks), (fields, line) => out.push([line, fields]))) {
    // chunk boundary
  }
  return out;
}

describe('readRecords', () => {
  it('numbers records by the line they start on, as an editor shows it', async () => {
    expect(await records('a,b\n1,2\n3,4\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', '4']],
    ]);
  });

  it('puts a quoted record spanning lines at its first line, and the next record after its last line', async () => {
    const text = 'a,b\n1,"first\nsecond\nthird"\n2,x\n';
    expect(await records(text)).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'first\nsecond\nthird']],
      [5, ['2', 'x']],
    ]);
  });

  it('counts a CRLF inside a quoted field once (csv-parse alone counts it twice)', async () => {
    const text = '\ufeffa,b\r\n1,"x\r\ny\r\nz"\r\n2,"p,q"\r\n3,4';
    expect(await records(text)).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\r\ny\r\nz']],
      [5, ['2', 'p,q']],
      [6, ['3', '4']],
    ]);
  });

  it('strips a UTF-8 BOM from the first header name', async () => {
    const [[, header] = [0, []]] = await records('\ufeffsourcedId,status\r\n');
    expect(header).toEqual(['sourcedId', 'status']);
  });

  it('reports blank lines as single empty records, on their own lines', async () => {
    expect(await records('a,b\n1,2\n\n\n3,4\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['']],
      [4, ['']],
      [5, ['3', '4']],
    ]);
  });

  it('gives the same lines whatever the chunking, even one byte at a time', async () => {
    const text = '\ufeffa,b\r\n1,"multi\r\nline, with comma"\r\n\r\n"quoted ""x""",2\r\n3,4\r\n';
    const whole = await records(text);
    expect(whole.map(([line]) => line)).toEqual([1, 2, 4, 5, 6]);
    expect(await records(text, 1)).toEqual(whole);
    expect(await records(text, 7)).toEqual(whole);
  });

  it('passes ragged records through for the validator to report', async () => {
    expect(await records('a,b,c\n1,2\n1,2,3,4\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '2']],
      [3, ['1', '2', '3', '4']],
    ]);
  });

  it('throws MalformedCsvError at the line where an unclosed quote starts', async () => {
    const error = await records('a,b\n1,2\n3,"never closed\n4,5\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedCsvError);
    expect((error as MalformedCsvError).line).toBe(3);
    expect((error as MalformedCsvError).csvCode).toBe('CSV_QUOTE_NOT_CLOSED');
  });

  it('yields the bytes read after each chunk', async () => {
    const seen: number[] = [];
    const chunks = [Buffer.from('a,b\n1,'), Buffer.from('2\n')];
    for await (const bytes of readRecords(Readable.from(chunks), () => {})) seen.push(bytes);
    expect(seen).toEqual([6, 8]);
  });
});

describe('countLineBreaks', () => {
  it('counts CRLF, LF and a lone CR once each', () => {
    expect(countLineBreaks(['a\r\nb', 'c\nd\re', 'plain'])).toBe(3);
    expect(countLineBreaks(['', 'x'])).toBe(0);
  });
});
