import type { AttemptCounter } from '../../ports.ts';

export interface SignInLimits {
  /** Attempts from one client address per window. Default 30 per 5 minutes. */
  readonly perAddress: { readonly attempts: number; readonly windowSeconds: number };
  /** Failures on one account before it locks, and for how long. Default 5, locked 15 minutes. */
  readonly perAccount: { readonly failures: number; readonly lockSeconds: number };
}

export const defaultSignInLimits: SignInLimits = {
  perAddress: { attempts: 30, windowSeconds: 300 },
  perAccount: { failures: 5, lockSeconds: 900 },
};

export type LimitVerdict = 'ok' | 'rate-limited' | 'locked';

/**
 * Brute-force limits for password sign-in: a per-address rate limit counts every attempt; a per-account lockout
 * counts failures and is cleared by a success. Both live in the shared `AttemptCounter`, so they hold across
 * server processes.
 */
export class SignInThrottle {
  readonly #counter: AttemptCounter;
  readonly #limits: SignInLimits;

  constructor(counter: AttemptCounter, limits: SignInLimits = defaultSignInLimits) {
    this.#counter = counter;
    this.#limits = limits;
  }

  /** Counts this attempt against the address and says whether it may proceed. */
  async admit(address: string | undefined, accountKey: string, now: Date): Promise<LimitVerdict> {
    const locked = await this.#counter.get(`lock:${accountKey}`, now);
    if (locked !== undefined && locked.count >= this.#limits.perAccount.failures) return 'locked';
    if (address !== undefined) {
      const attempts = await this.#counter.increment(
        `addr:${address}`,
        this.#limits.perAddress.windowSeconds,
        now,
      );
      if (attempts.count > this.#limits.perAddress.attempts) return 'rate-limited';
    }
    return 'ok';
  }

  /** Records a failure; true when this failure locked the account. */
  async fail(accountKey: string, now: Date): Promise<boolean> {
    const failures = await this.#counter.increment(
      `lock:${accountKey}`,
      this.#limits.perAccount.lockSeconds,
      now,
    );
    return failures.count >= this.#limits.perAccount.failures;
  }

  async succeed(accountKey: string): Promise<void> {
    await this.#counter.reset(`lock:${accountKey}`);
  }
}
