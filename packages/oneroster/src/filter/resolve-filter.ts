/**
 * A parsed filter checked against an entity's fields: each predicate's field found in the catalog (`fields.ts`) and
 * its value turned into what the field compares as. Only a resolved filter can be evaluated or compiled to SQL, so
 * an unknown field never reaches either.
 */
import type { FileName } from '../model/files.ts';
import type { FilterExpression, FilterOperator } from './ast.ts';
import { fieldCatalog, type QueryField, queryFieldOf } from './fields.ts';
import { FilterError } from './filter-error.ts';

export interface ResolvedPredicate {
  type: 'predicate';
  field: QueryField;
  operator: FilterOperator;
  /** The value as written. `~` always compares against it. */
  text: string;
  /**
   * The value as the field compares: the text for text fields and booleans (`true`/`false`), the number for
   * numbers, the instant in epoch milliseconds for datetimes.
   */
  comparable: string | number;
}

export interface ResolvedJunction {
  type: 'and' | 'or';
  operands: ResolvedFilter[];
}

export type ResolvedFilter = ResolvedPredicate | ResolvedJunction;

const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const datetimePattern = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant a filter's datetime names, in epoch milliseconds: a full ISO 8601 datetime (`2026-01-02T03:04:05Z`,
 * with or without a fraction or an offset), or a date alone (`2026-01-02`, midnight UTC). A datetime without an
 * offset is UTC. `undefined` when the text is none of these.
 */
export function parseFilterInstant(text: string): number | undefined {
  const match = datetimePattern.exec(text);
  if (match === null) return undefined;
  const [, date, time, seconds, fraction, zone] = match;
  const offset = zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const iso = `${date}T${time ?? '00:00'}:${seconds ?? '00'}${(fraction ?? '').slice(0, 4)}${offset}`;
  const instant = Date.parse(iso);
  return Number.isNaN(instant) ? undefined : instant;
}

function unknownField(file: FileName, path: string): FilterError {
  const known = [...fieldCatalog(file).queryFields.keys()];
  const reference = known.find((candidate) => candidate === `${path}.sourcedId`);
  const hint = reference === undefined ? '' : ` A reference is filtered by its sourcedId: ${reference}.`;
  return new FilterError(
    'ONEROSTER_FILTER_UNKNOWN_FIELD',
    `Invalid filter field ${JSON.stringify(path)}: ${file} cannot be filtered by it.${hint} ` +
      `Fields: ${known.join(', ')}, metadata.<name>.`,
    { detail: { field: path } },
  );
}

function invalidValue(field: QueryField, text: string, expected: string): FilterError {
  return new FilterError(
    'ONEROSTER_FILTER_INVALID_VALUE',
    `Invalid filter value ${JSON.stringify(text)} for ${field.path}: expected ${expected}.`,
    { detail: { field: field.path, value: text } },
  );
}

function comparableOf(field: QueryField, operator: FilterOperator, text: string): string | number {
  switch (field.valueType) {
    case 'text':
      return text;
    case 'boolean': {
      if (operator === '~') throw unsupported(field, operator);
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidValue(field, text, 'true or false');
      return lower;
    }
    case 'number': {
      if (operator === '~') throw unsupported(field, operator);
      const value = numberPattern.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(value)) throw invalidValue(field, text, 'a number such as 12.5');
      return value;
    }
    case 'datetime': {
      if (operator === '~') return text;
      const instant = parseFilterInstant(text);
      if (instant === undefined) {
        throw invalidValue(
          field,
          text,
          'an ISO 8601 datetime such as 2026-01-02T03:04:05Z, or a date 2026-01-02',
        );
      }
      return instant;
    }
  }
}

function unsupported(field: QueryField, operator: FilterOperator): FilterError {
  return new FilterError(
    'ONEROSTER_FILTER_UNSUPPORTED_OPERATOR',
    `Invalid filter: ${operator} (contains) does not apply to ${field.path}, a ${field.valueType} field.`,
    { detail: { field: field.path, operator } },
  );
}

/** Resolves every predicate of `expression` against `file`'s fields. Throws `FilterError`. */
export function resolveFilter(file: FileName, expression: FilterExpression): ResolvedFilter {
  if (expression.type !== 'predicate') {
    return {
      type: expression.type,
      operands: expression.operands.map((operand) => resolveFilter(file, operand)),
    };
  }
  const field = queryFieldOf(file, expression.field);
  if (field === undefined) throw unknownField(file, expression.field);
  return {
    type: 'predicate',
    field,
    operator: expression.operator,
    text: expression.value,
    comparable: comparableOf(field, expression.operator, expression.value),
  };
}

/** Whether any predicate reads one of `paths` (the API widens a query to deleted rows when `status` or
 * `dateLastModified` is filtered on). */
export function filterReads(filter: ResolvedFilter, paths: ReadonlySet<string>): boolean {
  if (filter.type === 'predicate') return paths.has(filter.field.path);
  return filter.operands.some((operand) => filterReads(operand, paths));
}
