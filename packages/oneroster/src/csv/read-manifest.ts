/**
 * `manifest.csv`: `propertyName,value` rows giving the versions (`manifest.version` 1.0, `oneroster.version` 1.1)
 * and, for each of the 13 data files, `file.<name>` = `absent` | `bulk` | `delta`. Other properties
 * (`source.systemName`, `source.systemCode`, ...) are kept as read.
 */
import {
  type FileMode,
  type FileName,
  fileModes,
  fileNames,
  manifestFileName,
  manifestHeader,
} from '../model/files.ts';
import type { FindingCollector } from './collect-findings.ts';
import type { Manifest } from './dataset.ts';
import { MalformedCsvError, readRecords } from './read-records.ts';

export interface ManifestReading {
  manifest: Manifest;
  /** Files whose `file.<name>` value was not a mode: not read, and references into them are not checked. */
  invalid: Set<FileName>;
}

const fileNameSet: ReadonlySet<string> = new Set(fileNames);
const modeSet: ReadonlySet<string> = new Set(fileModes);
const filePrefix = 'file.';

function emptyFiles(): Record<FileName, FileMode> {
  return Object.fromEntries(fileNames.map((file) => [file, 'absent'])) as Record<FileName, FileMode>;
}

/** The manifest assumed when a package has none: every data file present is bulk. */
export function inferredManifest(present: Iterable<FileName>): Manifest {
  const files = emptyFiles();
  for (const file of present) files[file] = 'bulk';
  return { manifestVersion: '1.0', onerosterVersion: '1.1', files, properties: {} };
}

export async function readManifest(
  source: AsyncIterable<Buffer>,
  entryName: string,
  report: FindingCollector,
): Promise<ManifestReading> {
  const add = (
    code: Parameters<FindingCollector['add']>[0],
    line: number,
    column: string | undefined,
    value: string | undefined,
    message: string,
  ) => report.add(code, entryName, line, column, value, message);
  const values = new Map<string, { value: string; line: number }>();
  let header: string[] | undefined;

  const onRecord = (fields: string[], line: number) => {
    if (header === undefined) {
      header = fields;
      const names = fields.map((field) => field.trim());
      if (names[0] === manifestHeader[0] && names[1] === manifestHeader[1] && names.length === 2) {
        if (fields.some((field, index) => field !== names[index])) {
          add(
            'ONEROSTER_CSV_HEADER_NAME_NORMALIZED',
            1,
            undefined,
            fields.join(','),
            'Spaces in the header were removed.',
          );
        }
        return;
      }
      add(
        'ONEROSTER_CSV_MANIFEST_HEADER_INVALID',
        1,
        undefined,
        fields.join(','),
        `The header of ${manifestFileName} is ${JSON.stringify(fields.join(','))}, not "propertyName,value"; its rows were read as property and value.`,
      );
      return;
    }
    if (fields.length === 1 && fields[0] === '') {
      add('ONEROSTER_CSV_BLANK_LINE', line, undefined, undefined, 'A blank line was skipped.');
      return;
    }
    if (fields.length !== 2) {
      add(
        'ONEROSTER_CSV_ROW_FIELD_COUNT',
        line,
        undefined,
        fields.join(','),
        `This row has ${fields.length} fields; ${manifestFileName} rows have 2 (propertyName,value).`,
      );
      return;
    }
    const [rawName = '', rawValue = ''] = fields;
    const name = rawName.trim();
    const value = rawValue.trim();
    if (value !== rawValue) {
      add(
        'ONEROSTER_CSV_VALUE_TRIMMED',
        line,
        'value',
        rawValue,
        `Spaces around ${JSON.stringify(rawValue)} were removed.`,
      );
    }
    if (values.has(name)) {
      add(
        'ONEROSTER_CSV_MANIFEST_PROPERTY_DUPLICATE',
        line,
        'propertyName',
        name,
        `The property ${name} already appears on line ${values.get(name)?.line}; that one was used.`,
      );
      return;
    }
    values.set(name, { value, line });
  };

  try {
    for await (const _bytes of readRecords(source, onRecord)) {
      // Small file: nothing to report between chunks.
    }
  } catch (error) {
    if (!(error instanceof MalformedCsvError)) throw error;
    add(
      'ONEROSTER_CSV_MALFORMED',
      error.line,
      undefined,
      undefined,
      `${manifestFileName} is not valid CSV: ${error.message}`,
    );
  }
  if (header === undefined) {
    add('ONEROSTER_CSV_FILE_EMPTY', 0, undefined, undefined, `${manifestFileName} is empty.`);
  }

  const version = (property: string, expected: string): string => {
    const entry = values.get(property);
    if (entry === undefined) {
      add(
        'ONEROSTER_CSV_MANIFEST_PROPERTY_MISSING',
        0,
        undefined,
        property,
        `${manifestFileName} has no ${property} property (expected ${expected}).`,
      );
      return expected;
    }
    if (entry.value !== expected) {
      add(
        'ONEROSTER_CSV_MANIFEST_VERSION_UNSUPPORTED',
        entry.line,
        'value',
        entry.value,
        `${property} is ${JSON.stringify(entry.value)}; only ${expected} is supported.`,
      );
    }
    return entry.value;
  };
  const manifestVersion = version('manifest.version', '1.0');
  const onerosterVersion = version('oneroster.version', '1.1');

  const files = emptyFiles();
  const invalid = new Set<FileName>();
  const properties: Record<string, string> = {};
  for (const [property, { value, line }] of values) {
    if (property === 'manifest.version' || property === 'oneroster.version') continue;
    const fileName = property.startsWith(filePrefix) ? property.slice(filePrefix.length) : undefined;
    if (fileName === undefined) {
      properties[property] = value;
      continue;
    }
    if (!fileNameSet.has(fileName)) {
      properties[property] = value;
      add(
        'ONEROSTER_CSV_MANIFEST_FILE_UNKNOWN',
        line,
        'propertyName',
        property,
        `${property} is not a OneRoster 1.1 data file; it was ignored.`,
      );
      continue;
    }
    const file = fileName as FileName;
    const lower = value.toLowerCase();
    if (modeSet.has(value)) {
      files[file] = value as FileMode;
    } else if (modeSet.has(lower)) {
      files[file] = lower as FileMode;
      add(
        'ONEROSTER_CSV_CASE_NORMALIZED',
        line,
        'value',
        value,
        `${JSON.stringify(value)} was read as ${lower}.`,
      );
    } else {
      invalid.add(file);
      add(
        'ONEROSTER_CSV_MANIFEST_MODE_INVALID',
        line,
        'value',
        value,
        `${property} is ${JSON.stringify(value)}, not absent, bulk or delta; ${file}.csv was not read.`,
      );
    }
  }
  for (const file of fileNames) {
    if (values.has(filePrefix + file)) continue;
    add(
      'ONEROSTER_CSV_MANIFEST_FILE_PROPERTY_MISSING',
      0,
      undefined,
      filePrefix + file,
      `${manifestFileName} does not declare ${filePrefix}${file}; it was taken as absent.`,
    );
  }
  return { manifest: { manifestVersion, onerosterVersion, files, properties }, invalid };
}
