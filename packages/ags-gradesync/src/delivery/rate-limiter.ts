export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface RateLimiter {
  /** Resolves when the next request may go. */
  take(): Promise<void>;
}

/**
 * A per-LMS rate limit, in real (monotonic) time whatever clock the engine is given as a virtual schedule (the generic cell rate algorithm): request n goes at
 * `start + n / rate`, with `burst` requests allowed early. Waiters are spread evenly, so the achieved rate stays at
 * the limit instead of bursting into 429s, (A Retry-After stops the drain instead: see `drainOutbox`.)
 */
export function createRateLimiter(options: {
  ratePerSecond: number;
  burst?: number;
  now?: () => number;
  sleep?: Sleep;
}): RateLimiter {
  const interval = 1000 / options.ratePerSecond;
  const tolerance = interval * Math.max(0, (options.burst ?? 1) - 1);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  let theoreticalArrival = 0;
  return {
    async take() {
      const current = now();
      const at = Math.max(theoreticalArrival, current);
      theoreticalArrival = at + interval;
      const wait = at - tolerance - current;
      if (wait > 0) await sleep(wait);
    },
  };
}
