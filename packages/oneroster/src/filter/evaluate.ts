/**
 * A resolved filter and sort evaluated on entities in memory: the reference semantics every store must match (the
 * SQL compiler is property-tested against it).
 *
 * - Text compares by Unicode code point (what PostgreSQL's `C` collation does), case-sensitively; `~` is a
 *   case-sensitive substring test.
 * - Numbers compare numerically, datetimes as instants (to the millisecond), booleans as `false` < `true`.
 * - An absent value satisfies only `!=`.
 * - A list field (`grades`, `orgs.sourcedId`) satisfies a predicate when one of its items does; `!=` holds when no
 *   item equals the value (so an empty or absent list satisfies it).
 * - Sorting: ascending puts absent values last, descending first (PostgreSQL's defaults); ties are broken by
 *   sourcedId ascending, so paging is stable.
 */
import type { FilterOperator } from './ast.ts';
import type { QueryField } from './fields.ts';
import type { ResolvedFilter, ResolvedPredicate } from './resolve-filter.ts';

type Entity = Readonly<Record<string, unknown>>;

/** Compares two strings by code point, as UTF-8 bytes compare (PostgreSQL `COLLATE "C"`). */
export function compareText(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    // A surrogate (a code point above U+FFFF) sorts after every other UTF-16 unit in code point order.
    const aSurrogate = a >= 0xd800 && a <= 0xdfff;
    const bSurrogate = b >= 0xd800 && b <= 0xdfff;
    if (aSurrogate !== bSurrogate) return aSurrogate ? 1 : -1;
    return a < b ? -1 : 1;
  }
  return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
}

function sourcedIdOf(reference: unknown): string | undefined {
  if (typeof reference !== 'object' || reference === null) return undefined;
  const sourcedId = (reference as { sourcedId?: unknown }).sourcedId;
  return typeof sourcedId === 'string' ? sourcedId : undefined;
}

function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The raw values a field holds on an entity: one item for a scalar, any number for a list, none when absent. */
export function fieldValues(entity: Entity, field: QueryField): unknown[] {
  const value = entity[field.property];
  if (value === undefined || value === null) return [];
  switch (field.access) {
    case 'value':
      return [value];
    case 'list':
      return Array.isArray(value) ? value : [];
    case 'reference': {
      const sourcedId = sourcedIdOf(value);
      return sourcedId === undefined ? [] : [sourcedId];
    }
    case 'references':
      return Array.isArray(value) ? value.map(sourcedIdOf).filter((id) => id !== undefined) : [];
    case 'metadata': {
      const item = (value as Record<string, unknown>)[field.metadataKey ?? ''];
      return item === undefined || item === null ? [] : [item];
    }
  }
}

/** A raw value as the field compares it: text, a number, or an instant in epoch milliseconds. */
export function comparableValue(field: QueryField, value: unknown): string | number | undefined {
  switch (field.valueType) {
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'datetime': {
      if (typeof value !== 'string') return undefined;
      const instant = Date.parse(value);
      return Number.isNaN(instant) ? undefined : instant;
    }
    case 'boolean':
    case 'text':
      return scalarText(value);
  }
}

function compareComparable(left: string | number, right: string | number): number {
  if (typeof left === 'number' && typeof right === 'number')
    return left === right ? 0 : left < right ? -1 : 1;
  return compareText(String(left), String(right));
}

function holds(operator: FilterOperator, order: number): boolean {
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '~':
      return false;
  }
}

function itemSatisfies(predicate: ResolvedPredicate, raw: unknown, operator: FilterOperator): boolean {
  if (operator === '~') {
    const text = scalarText(raw);
    return text?.includes(predicate.text) === true;
  }
  const value = comparableValue(predicate.field, raw);
  if (value === undefined) return false;
  return holds(operator, compareComparable(value, predicate.comparable));
}

/** Whether an entity satisfies a predicate. */
export function matchesPredicate(entity: Entity, predicate: ResolvedPredicate): boolean {
  const values = fieldValues(entity, predicate.field);
  if (predicate.operator === '!=') return !values.some((raw) => itemSatisfies(predicate, raw, '='));
  return values.some((raw) => itemSatisfies(predicate, raw, predicate.operator));
}

/** Whether an entity satisfies a resolved filter. */
export function matchesFilter(entity: Entity, filter: ResolvedFilter): boolean {
  switch (filter.type) {
    case 'predicate':
      return matchesPredicate(entity, filter);
    case 'and':
      return filter.operands.every((operand) => matchesFilter(entity, operand));
    case 'or':
      return filter.operands.some((operand) => matchesFilter(entity, operand));
  }
}

export type SortDirection = 'asc' | 'desc';

export interface ResolvedSort {
  field: QueryField;
  direction: SortDirection;
}

function sortKey(entity: Entity, field: QueryField): string | number | undefined {
  const [first] = fieldValues(entity, field);
  return first === undefined ? undefined : comparableValue(field, first);
}

/** The order a query returns entities in: by the sort field (when given), then by sourcedId ascending. */
export function compareEntities(sort: ResolvedSort | undefined): (left: Entity, right: Entity) => number {
  return (left, right) => {
    if (sort !== undefined) {
      const a = sortKey(left, sort.field);
      const b = sortKey(right, sort.field);
      if (a === undefined || b === undefined) {
        if (a !== b) {
          // Absent values: last ascending, first descending.
          const absentAfter = a === undefined ? 1 : -1;
          return sort.direction === 'asc' ? absentAfter : -absentAfter;
        }
      } else {
        const order = compareComparable(a, b);
        if (order !== 0) return sort.direction === 'asc' ? order : -order;
      }
    }
    return compareText(String(left.sourcedId ?? ''), String(right.sourcedId ?? ''));
  };
}
