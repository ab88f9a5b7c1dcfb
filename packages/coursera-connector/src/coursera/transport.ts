import type { Clock } from '@passport/core';
import { CourseraError } from '../errors/coursera-error.ts';
import { type RetryEvent, type RetryPolicy, type Sleep, sendWithRetry } from '../http/send-with-retry.ts';

export interface TransportOptions {
  fetch: typeof fetch;
  policy: RetryPolicy;
  clock: Clock;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (event: RetryEvent & { what: string }) => void;
}

/** Sends one call (a request builder and a response processor) with retries, and types the transport failures. */
export type Exchange = <Result>(
  what: string,
  build: () => Request,
  process: (response: Response, now: Date) => Promise<Result>,
) => Promise<Result>;

export function createExchange(options: TransportOptions): Exchange {
  return async (what, build, process) => {
    const outcome = await sendWithRetry(build, {
      fetch: options.fetch,
      policy: options.policy,
      clock: options.clock,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.random === undefined ? {} : { random: options.random }),
      onRetry: (event) => options.onRetry?.({ ...event, what }),
    });
    if (outcome.kind === 'timeout') {
      throw new CourseraError(
        'COURSERA_TIMEOUT',
        `Coursera did not answer ${what} in time (${outcome.attempts} attempts)`,
        {
          cause: outcome.cause,
          description: 'Coursera did not answer in time; the sync will try again later.',
          detail: { attempts: outcome.attempts },
        },
      );
    }
    if (outcome.kind === 'network') {
      throw new CourseraError(
        'COURSERA_UNAVAILABLE',
        `Coursera could not be reached for ${what} (${outcome.attempts} attempts)`,
        {
          cause: outcome.cause,
          description: 'Coursera could not be reached; the sync will try again later.',
          detail: { attempts: outcome.attempts },
        },
      );
    }
    return process(outcome.response, options.clock.now());
  };
}
