/**
 * Conversions between the two OneRoster 1.1 bindings of one record:
 *
 * - CSV: a row of one file, keyed by header, every value text; references are sourcedIds, multi-values are
 *   comma-joined, `userIds` are `{type:id}` items, extensions are `metadata.<name>` columns.
 * - JSON: an entity of the REST binding; references are GUIDRefs `{href, sourcedId, type}` whose `href` is built
 *   from an injected `baseUrl`, multi-values are arrays, `userIds` are `{type, identifier}` objects, booleans and
 *   numbers are JSON values, extensions are the `metadata` object.
 *
 * Both directions are lossless on normalized data (property-tested for all 13 files):
 * - csv → json → csv returns the same row for any row the validator accepts in its normalized form.
 * - json → csv → json returns the same entity for any entity in normal form, which is what csv → json produces.
 *
 * The representation choices that make this so:
 * - A blank optional cell is an absent field (never `''`, `null` or `[]`), and an absent field is a blank cell.
 *   So an entity in normal form has no empty optional list and no empty `metadata` object (both would come back
 *   absent).
 *   A bulk row's blank `status` and `dateLastModified` are absent too (see `baseShape` in the schemas).
 * - lineItem `assignDate`/`dueDate`: a CSV date is midnight UTC (`…T00:00:00.000Z`) in JSON; a JSON datetime at
 *   another time is written to the cell whole, since a date could not hold it.
 * - `metadata` values are text in CSV: a string value is written as is; any other JSON value is written as its JSON
 *   text and reads back as that string. A `metadata.<name>` column that is blank is kept as `''`.
 * - Derived fields that no CSV column holds (org and session `children`, class and course `resources`, which come
 *   from other rows) are not written; a GUIDRef keeps only its sourcedId in CSV and gets its `href` and `type` back
 *   from the column on the way in.
 */
import type { PassportErrorOptions } from '@passport/core';
import type { CsvRow } from '../csv/dataset.ts';
import { OneRosterError } from '../errors.ts';
import { type FileName, metadataColumnPrefix } from './files.ts';
import {
  dateToDatetime,
  datetimeToDate,
  formatBoolean,
  formatFloat,
  parseBoolean,
  parseFloatText,
} from './formats.ts';
import { type FieldBinding, fieldBindings, guidRefHref } from './json-binding.ts';
import { formatUserIds, joinList, parseUserIds, splitList, type UserIdentifier } from './multivalue.ts';
import type { EntityByFile, GuidRef } from './schemas.ts';
import type { GuidRefType } from './vocabulary.ts';

export type ConversionErrorCode =
  /** csv → json: a cell the conversion must interpret (boolean, number, userIds, required reference) is not normalized. */
  | 'ONEROSTER_CSV_CELL_NOT_CONVERTIBLE'
  /** json → csv: a value the CSV binding cannot hold (a list item with a comma, an empty list item, ...). */
  | 'ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV';

/** Thrown by the conversions; a `OneRosterError` with one of the two conversion codes. */
export class ConversionError extends OneRosterError {
  declare readonly code: ConversionErrorCode;
  constructor(code: ConversionErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, options);
  }
}

export interface CsvToJsonOptions {
  /** The REST base URL GUIDRef hrefs are built from, e.g. `https://sis.example/ims/oneroster/v1p1`. */
  baseUrl: string;
}

/**
 * A CSV row of `file` → its JSON entity. The row should be normalized (as the reader leaves it); cells are not
 * validated beyond what converting them needs: parse the result with `entitySchemas[file]` to validate it.
 * Throws `ConversionError` (`ONEROSTER_CSV_CELL_NOT_CONVERTIBLE`) on a cell it cannot interpret.
 */
export function csvRowToEntity<File extends FileName>(
  file: File,
  row: CsvRow,
  options: CsvToJsonOptions,
): EntityByFile[File] {
  const entity: Record<string, unknown> = {};
  for (const binding of fieldBindings[file]) {
    const cell = row[binding.column] ?? '';
    if (cell === '' && !binding.required) {
      // Absent. `metadata` follows `dateLastModified`, as in the spec's examples.
    } else {
      entity[binding.field] = cellToValue(file, binding, cell, options.baseUrl);
    }
    if (binding.column === 'dateLastModified') {
      const metadata = metadataOfRow(row);
      if (metadata !== undefined) entity.metadata = metadata;
    }
  }
  return entity as EntityByFile[File];
}

/**
 * `csvRowToEntity` compiled for one layout: records (their normalized fields, as the validator leaves them) → JSON
 * entities, without building a `CsvRow` for each. `converter(fields)` gives exactly what
 * `csvRowToEntity(file, rowOf(layout, fields), options)` gives (same fields, same order, same errors): an import
 * converts millions of rows, and the row objects, the metadata scan of every row and each href's base URL
 * clean-up cost more than the conversion itself.
 */
export function csvRecordConverter<File extends FileName>(
  file: File,
  /** Where each column is, as `FileLayout` (csv/check-header.ts) says: -1 for a column the file lacks. */
  layout: { readonly columns: readonly string[]; readonly indexes: readonly number[] },
  options: CsvToJsonOptions,
): (fields: readonly string[]) => EntityByFile[File] {
  const fieldIndex = (column: string): number => {
    let found = -1;
    // The last of a repeated name, as a row keyed by column keeps it.
    layout.columns.forEach((name, position) => {
      if (name === column) found = layout.indexes[position] ?? -1;
    });
    return found;
  };
  const metadata: [name: string, index: number][] = [];
  layout.columns.forEach((column, position) => {
    if (column.startsWith(metadataColumnPrefix))
      metadata.push([column.slice(metadataColumnPrefix.length), layout.indexes[position] ?? -1]);
  });
  type Step = (entity: Record<string, unknown>, fields: readonly string[]) => void;
  const steps: Step[] = fieldBindings[file].map((binding): Step => {
    const index = fieldIndex(binding.column);
    const { codec, field, required } = binding;
    const cellOf = (fields: readonly string[]) => (index >= 0 ? (fields[index] ?? '') : '');
    let step: Step;
    if (codec.type === 'reference') {
      const prefix = guidRefHref(options.baseUrl, codec.guidRefType, '');
      const type = codec.guidRefType;
      const one = (sourcedId: string): GuidRef => ({
        href: prefix + encodeURIComponent(sourcedId),
        sourcedId,
        type,
      });
      step = (entity, fields) => {
        const cell = cellOf(fields);
        if (cell !== '') entity[field] = codec.many ? splitList(cell).map(one) : one(cell);
        // A blank required reference cannot be converted: cellToValue throws, saying why.
        else if (required) entity[field] = cellToValue(file, binding, cell, options.baseUrl);
      };
    } else if (codec.type === 'text') {
      step = required
        ? (entity, fields) => {
            entity[field] = cellOf(fields);
          }
        : (entity, fields) => {
            const cell = cellOf(fields);
            if (cell !== '') entity[field] = cell;
          };
    } else {
      step = (entity, fields) => {
        const cell = cellOf(fields);
        if (cell !== '' || required) entity[field] = cellToValue(file, binding, cell, options.baseUrl);
      };
    }
    if (binding.column !== 'dateLastModified' || metadata.length === 0) return step;
    // `metadata` follows `dateLastModified`, as in the spec's examples.
    return (entity, fields) => {
      step(entity, fields);
      const values: Record<string, string> = {};
      for (const [name, index] of metadata) values[name] = index >= 0 ? (fields[index] ?? '') : '';
      entity.metadata = values;
    };
  });
  return (fields) => {
    const entity: Record<string, unknown> = {};
    for (const step of steps) step(entity, fields);
    return entity as EntityByFile[File];
  };
}

/**
 * A JSON entity of `file` → its CSV row: every spec column (blank when the field is absent), then a
 * `metadata.<name>` column per metadata entry. Throws `ConversionError`
 * (`ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV`) when a value cannot be written so that it reads back the same.
 */
export function entityToCsvRow<File extends FileName>(file: File, entity: EntityByFile[File]): CsvRow {
  const fields = entity as Record<string, unknown>;
  const row: CsvRow = {};
  for (const binding of fieldBindings[file]) {
    const value = fields[binding.field];
    row[binding.column] = value === undefined || value === null ? '' : valueToCell(file, binding, value);
  }
  const metadata = fields.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    for (const [name, value] of Object.entries(metadata)) {
      row[`${metadataColumnPrefix}${name}`] =
        typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    }
  }
  return row;
}

/** The GUIDRef for a sourcedId of a row of type `type`. */
export function guidRef(type: GuidRefType, sourcedId: string, baseUrl: string): GuidRef {
  return { href: guidRefHref(baseUrl, type, sourcedId), sourcedId, type };
}

function metadataOfRow(row: CsvRow): Record<string, string> | undefined {
  let metadata: Record<string, string> | undefined;
  for (const [column, cell] of Object.entries(row)) {
    if (!column.startsWith(metadataColumnPrefix)) continue;
    metadata ??= {};
    metadata[column.slice(metadataColumnPrefix.length)] = cell;
  }
  return metadata;
}

function cellToValue(file: FileName, binding: FieldBinding, cell: string, baseUrl: string): unknown {
  const { codec } = binding;
  switch (codec.type) {
    case 'text':
      return cell;
    case 'boolean':
      return parseBoolean(cell) ?? notConvertible(file, binding, cell, 'expected true or false');
    case 'float':
      return parseFloatText(cell) ?? notConvertible(file, binding, cell, 'expected a decimal number');
    case 'list':
      return splitList(cell);
    case 'userIds':
      return parseUserIds(cell) ?? notConvertible(file, binding, cell, 'expected {type:identifier} items');
    case 'dateAsDatetime':
      return dateToDatetime(cell);
    case 'reference': {
      if (cell === '') return notConvertible(file, binding, cell, 'a required reference is blank');
      if (!codec.many) return guidRef(codec.guidRefType, cell, baseUrl);
      return splitList(cell).map((sourcedId) => guidRef(codec.guidRefType, sourcedId, baseUrl));
    }
  }
}

function valueToCell(file: FileName, binding: FieldBinding, value: unknown): string {
  const { codec } = binding;
  try {
    switch (codec.type) {
      case 'text':
        return String(value);
      case 'boolean':
        return formatBoolean(value as boolean);
      case 'float':
        return formatFloat(value as number);
      case 'list':
        return joinList(value as string[]);
      case 'userIds':
        return formatUserIds(value as UserIdentifier[]);
      case 'dateAsDatetime':
        return datetimeToDate(value as string);
      case 'reference':
        return codec.many
          ? joinList((value as GuidRef[]).map((reference) => reference.sourcedId))
          : (value as GuidRef).sourcedId;
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ConversionError(
      'ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV',
      `${file}.${binding.field} cannot be written to the ${binding.column} column: ${error.message}`,
      { status: 400, specError: 'invaliddata', cause: error },
    );
  }
}

function notConvertible(file: FileName, binding: FieldBinding, cell: string, reason: string): never {
  throw new ConversionError(
    'ONEROSTER_CSV_CELL_NOT_CONVERTIBLE',
    `${file}.csv ${binding.column} ${JSON.stringify(cell)}: ${reason}`,
    { status: 400, specError: 'invaliddata', detail: { file, column: binding.column, cell } },
  );
}
