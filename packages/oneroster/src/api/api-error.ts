/** What the OneRoster API itself refuses (filter errors are `FilterError`, authentication errors `AuthError`). */
import { PassportError, type PassportErrorOptions } from '@passport/core';

export const apiErrorCodes = {
  ONEROSTER_API_UNKNOWN_OBJECT:
    'No entity of this collection has the sourcedId (or its parent does not exist).',
  ONEROSTER_API_NO_SUCH_ENDPOINT: 'The path is not an endpoint of OneRoster 1.1.',
  ONEROSTER_API_METHOD_NOT_ALLOWED: 'The endpoint does not accept this HTTP method.',
  ONEROSTER_API_INVALID_DATA: 'The request body is not a valid entity of the collection.',
  ONEROSTER_API_INVALID_OPTIONS: 'An option passed to createOneRosterHandler is not valid.',
  ONEROSTER_API_INTERNAL: 'The server failed to answer; details are logged, not sent.',
} as const;

export type ApiErrorCode = keyof typeof apiErrorCodes;

const wireOf: Record<ApiErrorCode, { status: number; specError: string }> = {
  ONEROSTER_API_UNKNOWN_OBJECT: { status: 404, specError: 'unknownobject' },
  ONEROSTER_API_NO_SUCH_ENDPOINT: { status: 404, specError: 'unknownobject' },
  ONEROSTER_API_METHOD_NOT_ALLOWED: { status: 405, specError: 'invaliddata' },
  ONEROSTER_API_INVALID_DATA: { status: 400, specError: 'invaliddata' },
  ONEROSTER_API_INVALID_OPTIONS: { status: 500, specError: 'internal_server_error' },
  ONEROSTER_API_INTERNAL: { status: 500, specError: 'internal_server_error' },
};

export class OneRosterApiError extends PassportError<ApiErrorCode> {
  constructor(code: ApiErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { ...wireOf[code], ...options });
  }
}
