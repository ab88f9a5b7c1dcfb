import { type Clock, systemClock } from '@passport/core';
import { parseRetryAfter } from './parse-retry-after.ts';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** Backoff before the 2nd attempt when the server gave no `Retry-After`; doubles each time, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` we honor; a longer one ends the retries at once. */
  maxRetryAfterMs: number;
  /** Per-attempt timeout, covering the headers and the whole body. */
  timeoutMs: number;
  /** Statuses worth another attempt. */
  retryStatuses: readonly number[];
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
  retryStatuses: [429, 500, 502, 503, 504],
};

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export interface SendOptions {
  fetch: typeof fetch;
  policy: RetryPolicy;
  clock?: Clock;
  sleep?: Sleep;
  /** 0..1, for backoff jitter; injected so tests are deterministic. */
  random?: () => number;
  signal?: AbortSignal;
  /** Told about every wait, for logs and tests. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  reason: 'status' | 'timeout' | 'network';
  status?: number;
  /** True when the delay came from the server's `Retry-After`. */
  fromRetryAfter: boolean;
}

/** The last outcome after the retries. The response body is already read, so it is safe to process at leisure. */
export type SendOutcome =
  | { kind: 'response'; response: Response; attempts: number; retryAfterMs: number | undefined }
  | { kind: 'timeout'; attempts: number; cause: unknown }
  | { kind: 'network'; attempts: number; cause: unknown };

/**
 * Sends a request built fresh for every attempt (a body can be read once), retrying statuses in the policy,
 * timeouts and network failures. Honors `Retry-After` up to `maxRetryAfterMs`. Never throws for transport reasons:
 * the caller turns the outcome into its own typed error.
 */
export async function sendWithRetry(buildRequest: () => Request, options: SendOptions): Promise<SendOutcome> {
  const { policy } = options;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  let outcome: SendOutcome | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    outcome = await attemptOnce(buildRequest(), options, attempt);
    if (outcome.kind === 'response' && !policy.retryStatuses.includes(outcome.response.status))
      return outcome;
    if (attempt === policy.attempts) break;
    const retryAfterMs = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return outcome;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const delayMs = retryAfterMs ?? Math.round(backoff * random());
    options.onRetry?.({
      attempt,
      delayMs,
      reason: outcome.kind === 'response' ? 'status' : outcome.kind,
      ...(outcome.kind === 'response' ? { status: outcome.response.status } : {}),
      fromRetryAfter: retryAfterMs !== undefined,
    });
    await sleep(delayMs, options.signal);
  }
  return outcome!;

  async function attemptOnce(request: Request, { fetch: send, signal }: SendOptions, attempts: number) {
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      const response = await send(request, { signal: combined });
      const body = await response.arrayBuffer();
      const buffered = new Response(isNullBodyStatus(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      return {
        kind: 'response' as const,
        response: buffered,
        attempts,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock.now()),
      };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return { kind: 'timeout' as const, attempts, cause };
      return { kind: 'network' as const, attempts, cause };
    }
  }
}

function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
