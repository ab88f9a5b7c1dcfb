/**
 * What the OneRoster API itself refuses (`ONEROSTER_API_*`).
 *
 * @deprecated Catch `OneRosterError` instead; `OneRosterApiError` is kept for one release so `instanceof
 * OneRosterApiError` checks keep working. It is a `OneRosterError` with the same codes, status and spec error.
 */
import { type ApiErrorCode, OneRosterError, type OneRosterErrorOptions } from '../errors.ts';

export { type ApiErrorCode, apiErrorCodes } from '../errors.ts';

/** @deprecated Catch `OneRosterError`. */
export class OneRosterApiError extends OneRosterError {
  declare readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string, options: OneRosterErrorOptions = {}) {
    super(code, message, options);
  }
}
