/**
 * What a bad `filter`, `sort`, `fields`, `limit` or `offset` query parameter raises. Each error carries the
 * OneRoster code minor it stands for (`specError`): a server answers it as a status info payload, a client reads it
 * back from one.
 */
import { PassportError, type PassportErrorOptions } from '@passport/core';

export const filterErrorCodes = {
  ONEROSTER_FILTER_SYNTAX: "The filter is not `field<op>'value'` predicates joined by AND or OR.",
  ONEROSTER_FILTER_MIXED_LOGIC: 'The filter mixes AND and OR; without parentheses their order is ambiguous.',
  ONEROSTER_FILTER_UNKNOWN_FIELD:
    'The filter names a field the collection does not have, or one that cannot be filtered.',
  ONEROSTER_FILTER_INVALID_VALUE: 'A filter value does not fit its field (a number, a datetime, true/false).',
  ONEROSTER_FILTER_UNSUPPORTED_OPERATOR: 'The operator cannot apply to the field (`~` on a number).',
  ONEROSTER_QUERY_INVALID_PAGING: '`limit` or `offset` is not a whole number in range.',
} as const;

export type FilterErrorCode = keyof typeof filterErrorCodes;

/** The code minor of each error, as the OneRoster 1.1 status info payload spells it. */
const codeMinorOf: Record<FilterErrorCode, string> = {
  ONEROSTER_FILTER_SYNTAX: 'invalid_filter_field',
  ONEROSTER_FILTER_MIXED_LOGIC: 'invalid_filter_field',
  ONEROSTER_FILTER_UNKNOWN_FIELD: 'invalid_filter_field',
  ONEROSTER_FILTER_INVALID_VALUE: 'invalid_filter_field',
  ONEROSTER_FILTER_UNSUPPORTED_OPERATOR: 'invalid_filter_field',
  ONEROSTER_QUERY_INVALID_PAGING: 'invaliddata',
};

export class FilterError extends PassportError<FilterErrorCode> {
  constructor(code: FilterErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { status: 400, specError: codeMinorOf[code], ...options });
  }
}
