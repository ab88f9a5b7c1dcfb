/**
 * The one error class of `@passport/oneroster`: `OneRosterError`, with a stable `code` from one closed union,
 * `status` (HTTP), `specError` (the OneRoster `imsx_CodeMinor`, or the OAuth 2.0 error at the token endpoint),
 * `description` (safe to show a client), `detail` (logs only) and `cause`. Check for it with `PassportError.is(error)`
 * (which survives duplicate installs) or `instanceof OneRosterError`.
 *
 * Problems inside a package's data are never thrown: they are findings in a validation report. Errors are for what
 * stops the work altogether: a package that cannot be read, bad options, a request the API refuses, a server the
 * client could not read.
 *
 * `OneRosterApiError`, `AuthError`, `FilterError` and `OneRosterClientError` are deprecated subclasses, kept for one
 * release so existing `instanceof` checks keep working; each is a `OneRosterError` with the same codes.
 */
import { PassportError, type PassportErrorOptions } from '@passport/core';
import type { ParsedStatusInfo } from './client/status-payload.ts';

/** Reading, writing, mapping and converting packages. */
const packageErrorCodes = {
  ONEROSTER_PACKAGE_NOT_FOUND: 'No file or directory exists at the package path.',
  ONEROSTER_PACKAGE_UNREADABLE:
    'The package is neither a directory nor a readable zip file, or one of its entries is corrupt.',
  ONEROSTER_INVALID_OPTIONS: 'An option passed to a OneRoster function is not valid.',
  ONEROSTER_STREAM_INCOMPLETE:
    'The report of a package stream was asked for, but the stream was not read to its end.',
  ONEROSTER_WRITE_INVALID_CALL:
    'A package writer was used out of order (a file written twice, a write after close).',
  ONEROSTER_WRITE_TARGET_EXISTS:
    'The output path holds something other than a OneRoster package; it was left alone rather than replaced.',
  ONEROSTER_WRITE_ABORTED: 'Writing the package was aborted or failed; nothing was left at the output path.',
  ONEROSTER_MAPPING_INVALID:
    'A custom CSV mapping file is not valid; the message names each problem by its path.',
  ONEROSTER_CSV_CELL_NOT_CONVERTIBLE:
    'A CSV cell the JSON binding must interpret (boolean, number, userIds, reference) is not in normalized form.',
  ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV:
    'A JSON value cannot be written in the CSV binding (a list item holding a comma, an empty list item).',
} as const;

/** What the OneRoster API itself refuses. */
export const apiErrorCodes = {
  ONEROSTER_API_UNKNOWN_OBJECT:
    'No entity of this collection has the sourcedId (or its parent does not exist).',
  ONEROSTER_API_NO_SUCH_ENDPOINT: 'The path is not an endpoint of OneRoster 1.1.',
  ONEROSTER_API_METHOD_NOT_ALLOWED: 'The endpoint does not accept this HTTP method.',
  ONEROSTER_API_INVALID_DATA: 'The request body is not a valid entity of the collection.',
  ONEROSTER_API_INVALID_OPTIONS: 'An option passed to createOneRosterHandler is not valid.',
  ONEROSTER_API_INTERNAL: 'The server failed to answer; details are logged, not sent.',
} as const;

/** Why a request was not let in (the API) or a token not issued (the token endpoint). */
export const authErrorCodes = {
  ONEROSTER_AUTH_MISSING: 'The request carries no credentials (no bearer token, no OAuth 1.0a signature).',
  ONEROSTER_AUTH_TOKEN_INVALID: 'The bearer token is unknown or revoked.',
  ONEROSTER_AUTH_TOKEN_EXPIRED: 'The bearer token has expired.',
  ONEROSTER_AUTH_CLIENT_INVALID: 'The client id or secret is wrong, or the credential is revoked.',
  ONEROSTER_AUTH_SIGNATURE_INVALID: 'The OAuth 1.0a signature does not match the request.',
  ONEROSTER_AUTH_SIGNATURE_MALFORMED: 'The OAuth 1.0a parameters are missing, repeated or unsupported.',
  ONEROSTER_AUTH_TIMESTAMP_OUT_OF_WINDOW: 'The OAuth 1.0a timestamp is too far from the server clock.',
  ONEROSTER_AUTH_NONCE_REPLAYED: 'The OAuth 1.0a nonce was already used.',
  ONEROSTER_AUTH_SCOPE_INSUFFICIENT: 'The credential was not granted a scope this request needs.',
  ONEROSTER_AUTH_INVALID_REQUEST: 'The token request is malformed.',
  ONEROSTER_AUTH_UNSUPPORTED_GRANT_TYPE: 'The token endpoint only grants client_credentials.',
  ONEROSTER_AUTH_INVALID_SCOPE: 'A requested scope is unknown or was not granted to the client.',
  ONEROSTER_AUTH_INVALID_OPTIONS: 'An option passed to an auth function is not valid.',
} as const;

/** A bad `filter`, `sort`, `fields`, `limit` or `offset` query parameter. */
export const filterErrorCodes = {
  ONEROSTER_FILTER_SYNTAX: "The filter is not `field<op>'value'` predicates joined by AND or OR.",
  ONEROSTER_FILTER_MIXED_LOGIC: 'The filter mixes AND and OR; without parentheses their order is ambiguous.',
  ONEROSTER_FILTER_UNKNOWN_FIELD:
    'The filter names a field the collection does not have, or one that cannot be filtered.',
  ONEROSTER_FILTER_INVALID_VALUE: 'A filter value does not fit its field (a number, a datetime, true/false).',
  ONEROSTER_FILTER_UNSUPPORTED_OPERATOR: 'The operator cannot apply to the field (`~` on a number).',
  ONEROSTER_QUERY_INVALID_PAGING: '`limit` or `offset` is not a whole number in range.',
} as const;

/**
 * What the client met: "the other side said no" (`HTTP`, `AUTH_REFUSED`) apart from "we could not ask" (`NETWORK`)
 * and "the answer makes no sense" (`INVALID_RESPONSE`).
 */
export const clientErrorCodes = {
  ONEROSTER_CLIENT_HTTP: 'The server answered with an error status (its status info payload is attached).',
  ONEROSTER_CLIENT_AUTH_REFUSED: 'The token endpoint refused the client credentials or scopes.',
  ONEROSTER_CLIENT_NETWORK: 'The server could not be reached, even after retries.',
  ONEROSTER_CLIENT_INVALID_RESPONSE: 'The response is not the JSON the endpoint should answer.',
  ONEROSTER_CLIENT_INVALID_OPTIONS: 'An option passed to createOneRosterClient is not valid.',
} as const;

/** Every code, with its meaning (docs/oneroster/codes.md is rendered from this table). */
export const oneRosterErrorCodes = {
  ...packageErrorCodes,
  ...apiErrorCodes,
  ...authErrorCodes,
  ...filterErrorCodes,
  ...clientErrorCodes,
} as const;

export type OneRosterErrorCode = keyof typeof oneRosterErrorCodes;
export type ApiErrorCode = keyof typeof apiErrorCodes;
export type AuthErrorCode = keyof typeof authErrorCodes;
export type FilterErrorCode = keyof typeof filterErrorCodes;
export type ClientErrorCode = keyof typeof clientErrorCodes;

/**
 * The HTTP status and spec error of each code, unless the thrower says otherwise (the client's `HTTP` errors carry
 * the status the server answered). Without a status an error is a 500.
 */
export const oneRosterErrorWire: Readonly<
  Record<OneRosterErrorCode, { readonly status?: number; readonly specError?: string }>
> = {
  ONEROSTER_PACKAGE_NOT_FOUND: { status: 404 },
  ONEROSTER_PACKAGE_UNREADABLE: { status: 422 },
  ONEROSTER_INVALID_OPTIONS: { status: 400 },
  ONEROSTER_STREAM_INCOMPLETE: { status: 500 },
  ONEROSTER_WRITE_INVALID_CALL: { status: 500 },
  ONEROSTER_WRITE_TARGET_EXISTS: { status: 409 },
  ONEROSTER_WRITE_ABORTED: { status: 500 },
  ONEROSTER_MAPPING_INVALID: { status: 400 },
  ONEROSTER_CSV_CELL_NOT_CONVERTIBLE: { status: 400 },
  ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV: { status: 400 },
  ONEROSTER_API_UNKNOWN_OBJECT: { status: 404, specError: 'unknownobject' },
  ONEROSTER_API_NO_SUCH_ENDPOINT: { status: 404, specError: 'unknownobject' },
  ONEROSTER_API_METHOD_NOT_ALLOWED: { status: 405, specError: 'invaliddata' },
  ONEROSTER_API_INVALID_DATA: { status: 400, specError: 'invaliddata' },
  ONEROSTER_API_INVALID_OPTIONS: { status: 500, specError: 'internal_server_error' },
  ONEROSTER_API_INTERNAL: { status: 500, specError: 'internal_server_error' },
  ONEROSTER_AUTH_MISSING: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TOKEN_INVALID: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TOKEN_EXPIRED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_CLIENT_INVALID: { status: 401, specError: 'invalid_client' },
  ONEROSTER_AUTH_SIGNATURE_INVALID: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_SIGNATURE_MALFORMED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TIMESTAMP_OUT_OF_WINDOW: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_NONCE_REPLAYED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_SCOPE_INSUFFICIENT: { status: 403, specError: 'forbidden' },
  ONEROSTER_AUTH_INVALID_REQUEST: { status: 400, specError: 'invalid_request' },
  ONEROSTER_AUTH_UNSUPPORTED_GRANT_TYPE: { status: 400, specError: 'unsupported_grant_type' },
  ONEROSTER_AUTH_INVALID_SCOPE: { status: 400, specError: 'invalid_scope' },
  ONEROSTER_AUTH_INVALID_OPTIONS: { status: 500, specError: 'internal_server_error' },
  ONEROSTER_FILTER_SYNTAX: { status: 400, specError: 'invalid_filter_field' },
  ONEROSTER_FILTER_MIXED_LOGIC: { status: 400, specError: 'invalid_filter_field' },
  ONEROSTER_FILTER_UNKNOWN_FIELD: { status: 400, specError: 'invalid_filter_field' },
  ONEROSTER_FILTER_INVALID_VALUE: { status: 400, specError: 'invalid_filter_field' },
  ONEROSTER_FILTER_UNSUPPORTED_OPERATOR: { status: 400, specError: 'invalid_filter_field' },
  ONEROSTER_QUERY_INVALID_PAGING: { status: 400, specError: 'invaliddata' },
  ONEROSTER_CLIENT_HTTP: {},
  ONEROSTER_CLIENT_AUTH_REFUSED: {},
  ONEROSTER_CLIENT_NETWORK: {},
  ONEROSTER_CLIENT_INVALID_RESPONSE: {},
  ONEROSTER_CLIENT_INVALID_OPTIONS: {},
};

export interface OneRosterErrorOptions extends PassportErrorOptions {
  /** The parsed status info payload(s) of the response, when the client's request had any. */
  statusInfo?: ParsedStatusInfo[];
  /** For a collection iteration that failed: the offset to resume from (`iterate(..., { offset })`). */
  resumeOffset?: number;
  /** The URL the client was reading. */
  url?: string;
}

export class OneRosterError extends PassportError<OneRosterErrorCode> {
  /** The status info the server answered with (client errors); empty otherwise. */
  readonly statusInfo: ParsedStatusInfo[];
  readonly resumeOffset: number | undefined;
  readonly url: string | undefined;

  constructor(code: OneRosterErrorCode, message: string, options: OneRosterErrorOptions = {}) {
    const { statusInfo, resumeOffset, url, ...passport } = options;
    super(code, message, { ...oneRosterErrorWire[code], ...passport });
    this.statusInfo = statusInfo ?? [];
    this.resumeOffset = resumeOffset;
    this.url = url;
  }

  /** The code minor values the server reported (`unknownobject`, `invalid_filter_field`, ...). */
  get codeMinors(): string[] {
    return this.statusInfo.flatMap((info) => info.codeMinor);
  }
}
