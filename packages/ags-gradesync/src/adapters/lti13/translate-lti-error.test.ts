import { LtiError } from '@passport/lti13';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, translateLtiError } from './translate-lti-error.ts';

const now = new Date('2025-03-01T00:00:00Z');
const refused = (status: number) =>
  new LtiError('LTI_SERVICE_REFUSED', `HTTP ${status}`, { detail: { status, body: '' } });

describe('translateLtiError', () => {
  it('maps the AGS client’s errors to the engine’s codes', () => {
    expect(translateLtiError(refused(401), now, 'a score').code).toBe('GRADESYNC_LMS_UNAUTHORIZED');
    expect(translateLtiError(refused(404), now, 'a score').code).toBe('GRADESYNC_LINE_ITEM_DELETED');
    expect(translateLtiError(refused(500), now, 'a score').code).toBe('GRADESYNC_LMS_UNAVAILABLE');
    expect(translateLtiError(refused(409), now, 'a score').code).toBe('GRADESYNC_SCORE_REJECTED');
    expect(translateLtiError(new LtiError('LTI_SCORE_USER_NOT_GRADABLE'), now, 'x').code).toBe(
      'GRADESYNC_SCORE_REJECTED',
    );
    expect(translateLtiError(new LtiError('LTI_SCORE_TIMESTAMP_STALE'), now, 'x').code).toBe(
      'GRADESYNC_SCORE_STALE',
    );
    expect(
      translateLtiError(new LtiError('LTI_ACCESS_TOKEN_REFUSED', 'no', { detail: { status: 503 } }), now, 'x')
        .code,
    ).toBe('GRADESYNC_LMS_UNAVAILABLE');
    expect(
      translateLtiError(new LtiError('LTI_ACCESS_TOKEN_REFUSED', 'no', { detail: { status: 400 } }), now, 'x')
        .code,
    ).toBe('GRADESYNC_LMS_UNAUTHORIZED');
    expect(translateLtiError(new TypeError('fetch failed'), now, 'x').code).toBe('GRADESYNC_LMS_UNAVAILABLE');
  });

  it('reads Retry-After in seconds or as an HTTP date into the rate-limited error', () => {
    const throttled = new LtiError('LTI_SERVICE_RATE_LIMITED', 'slow down', {
      detail: { status: 429, retryAfter: '3' },
    });
    expect(translateLtiError(throttled, now, 'x')).toMatchObject({
      code: 'GRADESYNC_LMS_RATE_LIMITED',
      retryAfterMs: 3000,
    });
    expect(parseRetryAfter('Sat, 01 Mar 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
