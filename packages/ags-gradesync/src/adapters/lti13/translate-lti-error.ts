import { PassportError } from '@passport/core';
import { type LtiError, ltiErrorCodes } from '@passport/lti13';
import { GradeSyncError } from '../../errors.ts';

/** Reads `Retry-After` (RFC 9110 §10.2.3): seconds or an HTTP date, as milliseconds from `now`. */
export function parseRetryAfter(value: unknown, now: Date): number | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, at - now.getTime());
}

const isLtiError = (error: unknown): error is LtiError =>
  PassportError.is(error) && (ltiErrorCodes as readonly string[]).includes(error.code);

function statusOf(error: LtiError): number | undefined {
  const detail = error.detail as { status?: unknown } | undefined;
  return typeof detail?.status === 'number' ? detail.status : undefined;
}

/**
 * Translates what @passport/lti13's AGS and NRPS clients throw into the engine's LMS codes. The clients already
 * retried a 401 with a fresh access token, so a 401 here is final. A network failure (undici's `fetch failed`) is
 * the LMS being unavailable.
 */
export function translateLtiError(error: unknown, now: Date, what: string): GradeSyncError {
  if (GradeSyncError.isGradeSyncError(error)) return error;
  if (!isLtiError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new GradeSyncError(
      'GRADESYNC_LMS_UNAVAILABLE',
      `The LMS could not be reached for ${what}: ${message}`,
      {
        cause: error,
      },
    );
  }
  const status = statusOf(error);
  const options = { cause: error, detail: error.detail };
  switch (error.code) {
    case 'LTI_SERVICE_RATE_LIMITED': {
      const retryAfter = (error.detail as { retryAfter?: unknown } | undefined)?.retryAfter;
      return new GradeSyncError('GRADESYNC_LMS_RATE_LIMITED', error.message, {
        ...options,
        retryAfterMs: parseRetryAfter(retryAfter, now),
      });
    }
    case 'LTI_SCORE_TIMESTAMP_STALE':
      return new GradeSyncError('GRADESYNC_SCORE_STALE', error.message, options);
    case 'LTI_SCORE_USER_NOT_GRADABLE':
      return new GradeSyncError('GRADESYNC_SCORE_REJECTED', error.message, options);
    case 'LTI_SERVICE_RESPONSE_INVALID':
      return new GradeSyncError('GRADESYNC_LMS_RESPONSE_INVALID', error.message, options);
    case 'LTI_SERVICE_UNAVAILABLE':
      return new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', error.message, options);
    case 'LTI_ACCESS_TOKEN_REFUSED':
      return status !== undefined && (status >= 500 || status === 429 || status === 408)
        ? new GradeSyncError('GRADESYNC_LMS_UNAVAILABLE', error.message, options)
        : new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', error.message, options);
    case 'LTI_SERVICE_REFUSED':
      if (status === 401 || status === 403)
        return new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', error.message, options);
      if (status === 404 || status === 410)
        return new GradeSyncError('GRADESYNC_LINE_ITEM_DELETED', error.message, options);
      if (status === undefined || status >= 500 || status === 408)
        return new GradeSyncError('GRADESYNC_LMS_UNAVAILABLE', error.message, options);
      return new GradeSyncError('GRADESYNC_SCORE_REJECTED', error.message, options);
    default:
      return new GradeSyncError('GRADESYNC_SCORE_REJECTED', error.message, options);
  }
}
