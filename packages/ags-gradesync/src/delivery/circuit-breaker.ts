export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  readonly state: CircuitState;
  /** When an open circuit lets a probe through (ms), or undefined when closed. */
  readonly reopensAt: number | undefined;
  /** True when a request may go now (in half-open state: one probe at a time). */
  allow(): boolean;
  success(): void;
  failure(): void;
}

/**
 * A circuit breaker for one LMS: after `failureThreshold` consecutive failures of the LMS itself (network, 5xx) it
 * opens, and deliveries to that LMS pause for `openMs`; then one probe goes (half-open): success closes it, failure
 * opens it again. Refusals of one score (422) and throttling (429, handled by Retry-After) do not count.
 */
export function createCircuitBreaker(options: {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
}): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const refresh = () => {
    if (state === 'open' && now() >= openedAt + options.openMs) {
      state = 'half-open';
      probing = false;
    }
  };
  return {
    get state() {
      refresh();
      return state;
    },
    get reopensAt() {
      refresh();
      return state === 'closed' ? undefined : openedAt + options.openMs;
    },
    allow() {
      refresh();
      if (state === 'closed') return true;
      if (state === 'half-open' && !probing) {
        probing = true;
        return true;
      }
      return false;
    },
    success() {
      state = 'closed';
      failures = 0;
      probing = false;
    },
    failure() {
      failures++;
      if (state === 'half-open' || failures >= options.failureThreshold) {
        state = 'open';
        openedAt = now();
        probing = false;
      }
    },
  };
}
