import type { AttemptCounter } from '../../ports.ts';

export interface SignInLimits {
  /**
   * Failed attempts from one client address per window. Default 50 per 5 minutes. Successes do not count: a
   * whole school signs in from one address at 8 o'clock.
   */
  readonly perAddress: { readonly failures: number; readonly windowSeconds: number };
  /** Failures on one account before it locks, and for how long. Default 5, locked 15 minutes. */
  readonly perAccount: { readonly failures: number; readonly lockSeconds: number };
}

export const defaultSignInLimits: SignInLimits = {
  perAddress: { failures: 50, windowSeconds: 300 },
  perAccount: { failures: 5, lockSeconds: 900 },
};

export type LimitVerdict = 'ok' | 'rate-limited' | 'locked';

/**
 * Brute-force limits for password sign-in: a per-address limit on failures (guessing many accounts from one
 * place) and a per-account lockout (guessing one account from many places), cleared by a success. Both live in
 * the shared `AttemptCounter`, so they hold across server processes.
 */
export class SignInThrottle {
  readonly #counter: AttemptCounter;
  readonly #limits: SignInLimits;

  constructor(counter: AttemptCounter, limits: SignInLimits = defaultSignInLimits) {
    this.#counter = counter;
    this.#limits = limits;
  }

  /** Whether an attempt may proceed: not while the address is over its limit or the account is locked. */
  async admit(address: string | undefined, accountKey: string, now: Date): Promise<LimitVerdict> {
    if (address !== undefined) {
      const failures = await this.#counter.get(`addr:${address}`, now);
      if (failures !== undefined && failures.count >= this.#limits.perAddress.failures) return 'rate-limited';
    }
    const locked = await this.#counter.get(`lock:${accountKey}`, now);
    if (locked !== undefined && locked.count >= this.#limits.perAccount.failures) return 'locked';
    return 'ok';
  }

  /** Records a failure against the address and the account; true when it locked the account. */
  async fail(address: string | undefined, accountKey: string, now: Date): Promise<boolean> {
    if (address !== undefined) {
      await this.#counter.increment(`addr:${address}`, this.#limits.perAddress.windowSeconds, now);
    }
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
