import { PassportError, type PassportErrorOptions } from '@passport/core';

/**
 * What the platform-neutral connector interface can fail with. A consumer (the grade sync engine, the reference
 * server) handles these without knowing which learning platform is behind the connector. "Our failure" and "the
 * platform said no" are different codes.
 */
export const connectorErrorCodes = [
  /** Our side: the connector was constructed with options that cannot work. */
  'CONNECTOR_INVALID_OPTIONS',
  /** An administrator must (re)connect the platform: consent is missing, expired or was revoked. */
  'CONNECTOR_CONSENT_REQUIRED',
  /** The platform refused our credentials even after a fresh token. */
  'CONNECTOR_UNAUTHORIZED',
  /** The platform kept answering "too many requests" after the retries. */
  'CONNECTOR_RATE_LIMITED',
  /** The platform could not be reached or kept failing (5xx, network) after the retries. */
  'CONNECTOR_UNAVAILABLE',
  /** The platform did not answer in time, after the retries. */
  'CONNECTOR_TIMEOUT',
  /** The platform answered something the connector cannot read (shape, paging that does not advance). */
  'CONNECTOR_BAD_RESPONSE',
  /** The platform refused the request (a 4xx other than the ones below). */
  'CONNECTOR_REJECTED',
  /** The program, course, item or learner does not exist on the platform. */
  'CONNECTOR_NOT_FOUND',
  /** Every license (seat) of the program is in use. */
  'CONNECTOR_PROGRAM_FULL',
  /** This platform cannot do that (a file-fed platform cannot invite a learner). */
  'CONNECTOR_NOT_SUPPORTED',
  /** The return from an SSO hand-off failed verification (signature, state, age). */
  'CONNECTOR_HAND_OFF_INVALID',
  /** A file-fed platform's report cannot be read. */
  'CONNECTOR_REPORT_INVALID',
  /** A pushed event (webhook) from the platform failed verification. */
  'CONNECTOR_PUSH_INVALID',
] as const;

export type ConnectorErrorCode = (typeof connectorErrorCodes)[number];

const defaultStatus: Record<ConnectorErrorCode, number> = {
  CONNECTOR_INVALID_OPTIONS: 500,
  CONNECTOR_CONSENT_REQUIRED: 503,
  CONNECTOR_UNAUTHORIZED: 502,
  CONNECTOR_RATE_LIMITED: 503,
  CONNECTOR_UNAVAILABLE: 502,
  CONNECTOR_TIMEOUT: 504,
  CONNECTOR_BAD_RESPONSE: 502,
  CONNECTOR_REJECTED: 502,
  CONNECTOR_NOT_FOUND: 404,
  CONNECTOR_PROGRAM_FULL: 409,
  CONNECTOR_NOT_SUPPORTED: 501,
  CONNECTOR_HAND_OFF_INVALID: 400,
  CONNECTOR_REPORT_INVALID: 422,
  CONNECTOR_PUSH_INVALID: 400,
};

/** The error every platform connector throws through the neutral interface. */
export class ConnectorError extends PassportError<ConnectorErrorCode> {
  /** Which platform the failure came from (`coursera`, `google-cloud-skills-boost`), when known. */
  readonly platform: string | undefined;
  /** How long the platform asked us to wait before trying again, in milliseconds, when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ConnectorErrorCode,
    message: string,
    options: PassportErrorOptions & { platform?: string; retryAfterMs?: number } = {},
  ) {
    super(code, message, { ...options, status: options.status ?? defaultStatus[code] });
    this.platform = options.platform;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True when `value` is a ConnectorError (by brand and code prefix, so it survives duplicate installs). */
  static isConnectorError(value: unknown): value is ConnectorError {
    return PassportError.is(value) && (connectorErrorCodes as readonly string[]).includes(value.code);
  }
}
