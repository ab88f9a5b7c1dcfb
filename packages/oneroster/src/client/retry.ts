/**
 * When and how long to wait before asking again: on 429 and on 502/503/504 (and 500 for reads), and on network
 * errors. Exponential backoff with full jitter, unless the server said how long with `Retry-After` (seconds or an
 * HTTP date), which is honored up to a cap.
 */

export interface RetryOptions {
  /** Attempts after the first. Default 5. */
  retries?: number;
  /** The first backoff, doubled each retry. Default 250 ms. */
  baseDelayMs?: number;
  /** The longest backoff. Default 30 s. */
  maxDelayMs?: number;
  /** The longest `Retry-After` honored; a longer one is waited for this long. Default 120 s. */
  maxRetryAfterMs?: number;
}

export const defaultRetry: Required<RetryOptions> = {
  retries: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const retryableStatuses = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/** `Retry-After` in milliseconds, or `undefined` when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0 for the first retry). */
export function backoffMs(
  attempt: number,
  options: Required<RetryOptions>,
  random: () => number,
  retryAfter?: number,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, options.maxRetryAfterMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * random());
}
