/**
 * A resolved filter and sort compiled to PostgreSQL. Values only ever travel as bind parameters (`$1`, `$2`, ...):
 * the SQL text holds nothing a request wrote except through them. Field expressions come from a resolver the store
 * supplies (typed columns where it has them, JSONB paths otherwise), and their property names come from the field
 * catalog, never from the request.
 *
 * The SQL has the semantics `evaluate.ts` defines, so a store answers exactly what the in-memory evaluation would:
 * text compared with `COLLATE "C"` (code point order), absent values satisfying only `!=`, list fields satisfied by
 * any item, `NULLS LAST` ascending and `NULLS FIRST` descending, ties broken by sourcedId.
 *
 * A compiled filter is a WHERE condition. A comparison with an absent value is NULL there, which WHERE rejects as it
 * would false; and a filter combines comparisons with AND and OR only, which never turn NULL into true (with false
 * for NULL the outcome is the same). So comparisons stay bare, where an index on the column can answer them; only a
 * negation (`!=`) spells out what an absent value gives.
 */
import type { FilterOperator } from './ast.ts';
import type { SortDirection } from './evaluate.ts';
import type { QueryField } from './fields.ts';
import type { ResolvedFilter, ResolvedPredicate } from './resolve-filter.ts';

/** Collects bind parameters; `add` returns the placeholder to write in the SQL. */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(initial: readonly unknown[] = []) {
    this.values.push(...initial);
  }

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The SQL of a field. `value` is typed by the field's value type: `text` for text and booleans (`'true'`/`'false'`),
 * `float8` for numbers, `timestamptz` (to the millisecond) for datetimes; for list fields a `text[]`. `text` is the
 * field as written, which `~` searches (the same as `value` for text fields).
 */
export interface FieldSql {
  value: string;
  text: string;
}

export type FieldSqlResolver = (field: QueryField, parameters: SqlParameters) => FieldSql;

const propertyPattern = /^[A-Za-z][A-Za-z0-9]*$/;

function property(name: string): string {
  if (!propertyPattern.test(name))
    throw new Error(`compile-sql: unexpected property name ${JSON.stringify(name)}`);
  return `'${name}'`;
}

/**
 * Reads a field from a JSONB column holding the entity as the JSON binding spells it. `data` is the column's SQL
 * (`users.data`).
 */
export function jsonbFieldSql(field: QueryField, data: string, parameters: SqlParameters): FieldSql {
  switch (field.access) {
    case 'value': {
      const text = `(${data}->>${property(field.property)})`;
      switch (field.valueType) {
        case 'number':
          return { value: `(${text}::float8)`, text };
        case 'datetime':
          return { value: `date_trunc('milliseconds', ${text}::timestamptz)`, text };
        default:
          return { value: text, text };
      }
    }
    case 'reference': {
      const text = `(${data}->${property(field.property)}->>'sourcedId')`;
      return { value: text, text };
    }
    case 'list': {
      const items = `array(select jsonb_array_elements_text(${data}->${property(field.property)}))`;
      return { value: items, text: items };
    }
    case 'references': {
      const items = `array(select reference->>'sourcedId' from jsonb_array_elements(${data}->${property(field.property)}) as reference)`;
      return { value: items, text: items };
    }
    case 'metadata': {
      const text = `(${data}->'metadata'->>${parameters.add(field.metadataKey ?? '')}::text)`;
      return { value: text, text };
    }
  }
}

const comparisonOf: Record<Exclude<FilterOperator, '~'>, string> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

function parameterFor(predicate: ResolvedPredicate, parameters: SqlParameters): string {
  switch (predicate.field.valueType) {
    case 'number':
      return `${parameters.add(predicate.comparable)}::float8`;
    case 'datetime':
      return `${parameters.add(new Date(predicate.comparable as number).toISOString())}::timestamptz`;
    default:
      return `${parameters.add(predicate.comparable)}::text`;
  }
}

function collated(field: QueryField, expression: string): string {
  return field.valueType === 'text' || field.valueType === 'boolean'
    ? `${expression} collate "C"`
    : expression;
}

function compilePredicate(
  predicate: ResolvedPredicate,
  resolve: FieldSqlResolver,
  parameters: SqlParameters,
): string {
  const { field, operator } = predicate;
  const sql = resolve(field, parameters);
  if (field.shape === 'list') {
    if (operator === '=') return `${sql.value} @> array[${parameters.add(predicate.comparable)}::text]`;
    if (operator === '!=')
      return `not coalesce(${sql.value} @> array[${parameters.add(predicate.comparable)}::text], false)`;
    const test =
      operator === '~'
        ? `strpos(item.value, ${parameters.add(predicate.text)}::text) > 0`
        : `item.value collate "C" ${comparisonOf[operator]} ${parameters.add(predicate.comparable)}::text`;
    return `exists (select 1 from unnest(${sql.value}) as item(value) where ${test})`;
  }
  if (operator === '~') return `strpos(${sql.text}, ${parameters.add(predicate.text)}::text) > 0`;
  const value = parameterFor(predicate, parameters);
  if (operator === '!=') return `${collated(field, sql.value)} is distinct from ${value}`;
  return `${collated(field, sql.value)} ${comparisonOf[operator]} ${value}`;
}

/** The filter as a WHERE condition over the resolver's columns (see above for why it is one). */
export function compileFilter(
  filter: ResolvedFilter,
  resolve: FieldSqlResolver,
  parameters: SqlParameters,
): string {
  if (filter.type === 'predicate') return `(${compilePredicate(filter, resolve, parameters)})`;
  const joiner = filter.type === 'and' ? ' and ' : ' or ';
  return `(${filter.operands.map((operand) => compileFilter(operand, resolve, parameters)).join(joiner)})`;
}

/**
 * The ORDER BY list: the sort field (scalar fields only) with PostgreSQL's default null placement made explicit,
 * then `sourcedId` ascending, which makes every order total and paging stable.
 */
export function compileOrderBy(
  sort: { field: QueryField; direction: SortDirection } | undefined,
  resolve: FieldSqlResolver,
  parameters: SqlParameters,
  sourcedId: string,
): string {
  const tieBreak = `${sourcedId} collate "C" asc`;
  if (sort === undefined) return tieBreak;
  const expression = collated(sort.field, resolve(sort.field, parameters).value);
  const nulls = sort.direction === 'asc' ? 'nulls last' : 'nulls first';
  return `${expression} ${sort.direction} ${nulls}, ${tieBreak}`;
}
