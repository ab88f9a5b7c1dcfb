/**
 * Why a request was not let in (`ONEROSTER_AUTH_*`). The API answers these as status info payloads
 * (`unauthorisedrequest`, `forbidden`); the token endpoint as OAuth 2.0 errors (`invalid_client`, ...).
 *
 * @deprecated Catch `OneRosterError` instead; `AuthError` is kept for one release so `instanceof AuthError` checks
 * keep working. It is a `OneRosterError` with the same codes, status and spec error.
 */
import { type AuthErrorCode, OneRosterError, type OneRosterErrorOptions } from '../errors.ts';

export { type AuthErrorCode, authErrorCodes } from '../errors.ts';

/** @deprecated Catch `OneRosterError`. */
export class AuthError extends OneRosterError {
  declare readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string, options: OneRosterErrorOptions = {}) {
    super(code, message, options);
  }
}
