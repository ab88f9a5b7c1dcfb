import { describe, expect, it } from 'vitest';
import { backoffMs, defaultRetry, isRetryableStatus, retryAfterMs } from './retry.ts';

describe('retry policy', () => {
  it('retries 429 and transient 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 501].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped, and honors Retry-After up to its cap', () => {
    expect(backoffMs(0, defaultRetry, () => 0.999)).toBe(250);
    expect(backoffMs(3, defaultRetry, () => 0.5)).toBe(1000);
    expect(backoffMs(20, defaultRetry, () => 0.999)).toBe(29_970);
    expect(backoffMs(2, defaultRetry, () => 0)).toBe(0);
    expect(backoffMs(0, defaultRetry, () => 0.5, 5000)).toBe(5000);
    expect(backoffMs(0, defaultRetry, () => 0.5, 10_000_000)).toBe(120_000);
  });
});
