import { PassportError, type PassportErrorOptions } from '@passport/core';
import { ConnectorError, type ConnectorErrorCode } from './connector-error.ts';

/** What the Coursera client can fail with. `specError` carries Coursera's `errorCode` or the OAuth `error`. */
export const courseraErrorCodes = [
  /** Our side: options that cannot work (a page size above 1000, a base URL that is not a URL). */
  'COURSERA_INVALID_OPTIONS',
  /** No usable refresh token: never authorized, expired after 14 days unused, or revoked. An admin must consent again. */
  'COURSERA_CONSENT_REQUIRED',
  /** The authorization code exchange failed (denied consent, a wrong `state`, a used or expired code). */
  'COURSERA_AUTHORIZATION_FAILED',
  /** The API refused the access token even after a refresh (401), or the organization is not ours (403). */
  'COURSERA_UNAUTHORIZED',
  /** 429 after every retry, or a `Retry-After` longer than we are willing to wait. */
  'COURSERA_RATE_LIMITED',
  /** 5xx or a network failure after every retry. */
  'COURSERA_UNAVAILABLE',
  /** No answer within the per-attempt timeout, after every retry. */
  'COURSERA_TIMEOUT',
  /** An answer the client cannot read: not JSON, a shape that does not match, paging that does not advance. */
  'COURSERA_BAD_RESPONSE',
  /** The API refused the request (400, 409, 422) with an error code we do not treat as success. */
  'COURSERA_REJECTED',
  /** 404: the program, content or membership does not exist. */
  'COURSERA_NOT_FOUND',
  /** The return from the SSO hand-off failed verification. */
  'COURSERA_HAND_OFF_INVALID',
  /** A pushed event (webhook) failed verification: signature, age, organization or shape. */
  'COURSERA_WEBHOOK_INVALID',
] as const;

export type CourseraErrorCode = (typeof courseraErrorCodes)[number];

const defaultStatus: Record<CourseraErrorCode, number> = {
  COURSERA_INVALID_OPTIONS: 500,
  COURSERA_CONSENT_REQUIRED: 503,
  COURSERA_AUTHORIZATION_FAILED: 400,
  COURSERA_UNAUTHORIZED: 502,
  COURSERA_RATE_LIMITED: 503,
  COURSERA_UNAVAILABLE: 502,
  COURSERA_TIMEOUT: 504,
  COURSERA_BAD_RESPONSE: 502,
  COURSERA_REJECTED: 502,
  COURSERA_NOT_FOUND: 404,
  COURSERA_HAND_OFF_INVALID: 400,
  COURSERA_WEBHOOK_INVALID: 400,
};

/** The neutral code each Coursera code becomes when it crosses the connector interface. */
export const courseraToConnectorCode: Record<CourseraErrorCode, ConnectorErrorCode> = {
  COURSERA_INVALID_OPTIONS: 'CONNECTOR_INVALID_OPTIONS',
  COURSERA_CONSENT_REQUIRED: 'CONNECTOR_CONSENT_REQUIRED',
  COURSERA_AUTHORIZATION_FAILED: 'CONNECTOR_CONSENT_REQUIRED',
  COURSERA_UNAUTHORIZED: 'CONNECTOR_UNAUTHORIZED',
  COURSERA_RATE_LIMITED: 'CONNECTOR_RATE_LIMITED',
  COURSERA_UNAVAILABLE: 'CONNECTOR_UNAVAILABLE',
  COURSERA_TIMEOUT: 'CONNECTOR_TIMEOUT',
  COURSERA_BAD_RESPONSE: 'CONNECTOR_BAD_RESPONSE',
  COURSERA_REJECTED: 'CONNECTOR_REJECTED',
  COURSERA_NOT_FOUND: 'CONNECTOR_NOT_FOUND',
  COURSERA_HAND_OFF_INVALID: 'CONNECTOR_HAND_OFF_INVALID',
  COURSERA_WEBHOOK_INVALID: 'CONNECTOR_PUSH_INVALID',
};

/** The error the Coursera client throws. The Coursera connector turns it into a ConnectorError (keeping it as `cause`). */
export class CourseraError extends PassportError<CourseraErrorCode> {
  /** How long Coursera asked us to wait, in milliseconds, when it sent `Retry-After`. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: CourseraErrorCode,
    message: string,
    options: PassportErrorOptions & { retryAfterMs?: number } = {},
  ) {
    super(code, message, { ...options, status: options.status ?? defaultStatus[code] });
    this.retryAfterMs = options.retryAfterMs;
  }

  static isCourseraError(value: unknown): value is CourseraError {
    return PassportError.is(value) && (courseraErrorCodes as readonly string[]).includes(value.code);
  }
}

/** Crosses the connector interface: a CourseraError becomes the matching ConnectorError; anything else is unchanged. */
export function toConnectorError(error: unknown): unknown {
  if (!CourseraError.isCourseraError(error)) return error;
  return new ConnectorError(courseraToConnectorCode[error.code], error.message, {
    platform: 'coursera',
    specError: error.specError ?? error.code,
    description: error.description,
    detail: error.detail,
    cause: error,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  });
}
