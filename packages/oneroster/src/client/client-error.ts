/**
 * What the client throws (`ONEROSTER_CLIENT_*`), with the server's status info, the URL and the offset to resume
 * from.
 *
 * @deprecated Catch `OneRosterError` instead; `OneRosterClientError` is kept for one release so `instanceof
 * OneRosterClientError` checks keep working. It is a `OneRosterError` with the same codes, status and spec error.
 */
import { type ClientErrorCode, OneRosterError, type OneRosterErrorOptions } from '../errors.ts';

export { type ClientErrorCode, clientErrorCodes } from '../errors.ts';

/** @deprecated Use `OneRosterErrorOptions`. */
export type ClientErrorOptions = OneRosterErrorOptions;

/** @deprecated Catch `OneRosterError`. */
export class OneRosterClientError extends OneRosterError {
  declare readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string, options: OneRosterErrorOptions = {}) {
    super(code, message, options);
  }
}
