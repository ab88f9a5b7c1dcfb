/**
 * What a bad `filter`, `sort`, `fields`, `limit` or `offset` query parameter raises (`ONEROSTER_FILTER_*`,
 * `ONEROSTER_QUERY_INVALID_PAGING`), with the code minor it stands for as `specError`.
 *
 * @deprecated Catch `OneRosterError` instead; `FilterError` is kept for one release so `instanceof FilterError`
 * checks keep working. It is a `OneRosterError` with the same codes, status and spec error.
 */
import { type FilterErrorCode, OneRosterError, type OneRosterErrorOptions } from '../errors.ts';

export { type FilterErrorCode, filterErrorCodes } from '../errors.ts';

/** @deprecated Catch `OneRosterError`. */
export class FilterError extends OneRosterError {
  declare readonly code: FilterErrorCode;
  constructor(code: FilterErrorCode, message: string, options: OneRosterErrorOptions = {}) {
    super(code, message, options);
  }
}
