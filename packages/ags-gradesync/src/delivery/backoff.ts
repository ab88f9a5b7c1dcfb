export interface BackoffOptions {
  /** The first retry's ceiling, in ms. */
  readonly baseMs: number;
  /** No wait is longer than this (also caps a Retry-After). */
  readonly maxMs: number;
}

/**
 * How long to wait before attempt `attempt + 1` (attempt 0 failed first): exponential backoff with "equal jitter",
 * a random wait between half and all of `min(maxMs, baseMs × 2^attempt)`, so retries of many scores spread out
 * instead of arriving together. When the LMS said how long to wait (`Retry-After`), that is honoured: the wait is
 * at least that long, plus up to 10 % (at most 1 s) so the waiting deliveries do not return at the same instant.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) {
    const wait = Math.min(retryAfterMs, options.maxMs);
    return Math.round(wait + random() * Math.min(1000, wait * 0.1));
  }
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
