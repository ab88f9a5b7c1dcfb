/**
 * Building `filter` values without writing quotes by hand: each value is quoted and any quote inside it doubled,
 * so `eq('familyName', "O'Brien")` is `familyName='O''Brien'`, never an injection into the filter.
 *
 *     import { and, eq, gt } from '@passport/oneroster/client';
 *     client.users.list({ filter: and(eq('role', 'student'), gt('dateLastModified', since)) });
 */
import {
  type FilterExpression,
  type FilterOperator,
  type FilterPredicate,
  formatFilter,
} from '../filter/ast.ts';

export type FilterValue = string | number | boolean | Date;

function valueText(value: FilterValue): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function predicate(field: string, operator: FilterOperator, value: FilterValue): FilterPredicate {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/.test(field)) {
    throw new RangeError(`${JSON.stringify(field)} is not a field name a OneRoster filter can hold.`);
  }
  return { type: 'predicate', field, operator, value: valueText(value) };
}

export const eq = (field: string, value: FilterValue) => predicate(field, '=', value);
export const ne = (field: string, value: FilterValue) => predicate(field, '!=', value);
export const gt = (field: string, value: FilterValue) => predicate(field, '>', value);
export const ge = (field: string, value: FilterValue) => predicate(field, '>=', value);
export const lt = (field: string, value: FilterValue) => predicate(field, '<', value);
export const le = (field: string, value: FilterValue) => predicate(field, '<=', value);
export const contains = (field: string, value: FilterValue) => predicate(field, '~', value);

/** Predicates that must all hold. (OneRoster filters cannot nest AND in OR; this takes predicates only.) */
export function and(...predicates: FilterPredicate[]): FilterExpression {
  return predicates.length === 1 && predicates[0] !== undefined
    ? predicates[0]
    : { type: 'and', operands: predicates };
}

/** Predicates of which one must hold. */
export function or(...predicates: FilterPredicate[]): FilterExpression {
  return predicates.length === 1 && predicates[0] !== undefined
    ? predicates[0]
    : { type: 'or', operands: predicates };
}

/** The filter as the `filter` query parameter's value (before URL encoding). */
export function filterText(filter: string | FilterExpression): string {
  return typeof filter === 'string' ? filter : formatFilter(filter);
}
