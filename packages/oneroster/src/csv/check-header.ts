/**
 * A data file's header row against the spec: every spec column, named exactly (case-sensitive), in spec order, then
 * any `metadata.*` extension columns. Columns are read by name, so a header in the wrong order or with a name in the
 * wrong case still reads unambiguously (a warning); a missing required column or a column the spec does not know is
 * an error.
 */
import { type FileName, fileSpecs, metadataColumnPrefix } from '../model/files.ts';
import type { OneRosterCsvFindingCode } from './finding-codes.ts';

/** Where each column of a file is found in its records. */
export interface FileLayout {
  file: FileName;
  /** The columns as read: every spec column in spec order, then the `metadata.*` columns in file order. */
  columns: string[];
  /** For each of `columns`, its field index in a record, or -1 when the file lacks that column. */
  indexes: number[];
  /** How many fields the header has: every record must have as many. */
  width: number;
}

export type HeaderFindingSink = (
  code: OneRosterCsvFindingCode,
  column: string | undefined,
  value: string | undefined,
  message: string,
) => void;

const metadataPrefixLower = metadataColumnPrefix.toLowerCase();

/** In a delta file `status` and `dateLastModified` are required, so their columns are too. */
const requiredInDelta = new Set(['status', 'dateLastModified']);

export function checkHeader(
  file: FileName,
  mode: 'bulk' | 'delta',
  header: readonly string[],
  report: HeaderFindingSink,
): FileLayout {
  const specs = fileSpecs[file];
  const specIndexByName = new Map(specs.map((column, index) => [column.name, index]));
  const specIndexByLowerName = new Map(specs.map((column, index) => [column.name.toLowerCase(), index]));
  const specFieldIndex = specs.map(() => -1);
  const metadata: Array<{ name: string; index: number }> = [];
  const seen = new Set<string>();
  let outOfOrder = false;
  let lastSpecIndex = -1;
  let metadataSeen = false;

  header.forEach((raw, fieldIndex) => {
    const name = raw.trim();
    let specIndex = specIndexByName.get(name);
    let resolved = name;
    if (specIndex === undefined && name.toLowerCase().startsWith(metadataPrefixLower)) {
      resolved = metadataColumnPrefix + name.slice(metadataColumnPrefix.length);
    } else if (specIndex === undefined) {
      specIndex = specIndexByLowerName.get(name.toLowerCase());
      if (specIndex === undefined) {
        report(
          'ONEROSTER_CSV_HEADER_COLUMN_UNKNOWN',
          raw,
          raw,
          `The column ${JSON.stringify(raw)} is not a column of ${file}.csv; extension columns must be named metadata.<name>.`,
        );
        return;
      }
      resolved = specs[specIndex]!.name;
    }
    if (resolved !== raw) {
      report(
        'ONEROSTER_CSV_HEADER_NAME_NORMALIZED',
        resolved,
        raw,
        `The column ${JSON.stringify(raw)} was read as ${resolved}.`,
      );
    }
    if (seen.has(resolved)) {
      report(
        'ONEROSTER_CSV_HEADER_COLUMN_DUPLICATE',
        resolved,
        raw,
        `The column ${resolved} appears more than once; the first one was read.`,
      );
      return;
    }
    seen.add(resolved);
    if (specIndex === undefined) {
      metadata.push({ name: resolved, index: fieldIndex });
      metadataSeen = true;
      return;
    }
    specFieldIndex[specIndex] = fieldIndex;
    if (specIndex < lastSpecIndex || metadataSeen) outOfOrder = true;
    lastSpecIndex = Math.max(lastSpecIndex, specIndex);
  });

  if (outOfOrder) {
    report(
      'ONEROSTER_CSV_HEADER_COLUMN_ORDER',
      undefined,
      header.join(','),
      `The columns of ${file}.csv are not in spec order (${specs.map((column) => column.name).join(',')}, then metadata.* columns); they were read by name.`,
    );
  }
  specs.forEach((column, specIndex) => {
    if (specFieldIndex[specIndex] !== -1) return;
    if (column.required || (mode === 'delta' && requiredInDelta.has(column.name))) {
      report(
        'ONEROSTER_CSV_HEADER_COLUMN_MISSING',
        column.name,
        undefined,
        `The required column ${column.name} is missing.`,
      );
    } else {
      report(
        'ONEROSTER_CSV_HEADER_OPTIONAL_COLUMN_MISSING',
        column.name,
        undefined,
        `The column ${column.name} is missing; its values were read as blank.`,
      );
    }
  });

  return {
    file,
    columns: [...specs.map((column) => column.name), ...metadata.map((column) => column.name)],
    indexes: [...specFieldIndex, ...metadata.map((column) => column.index)],
    width: header.length,
  };
}
