import type { Clock } from '@passport/core';
import type { JWK } from 'jose';
import { LtiError } from '../errors.ts';
import { defaultFetch, type FetchLike } from '../http/fetch.ts';

export interface RemoteKeySetsOptions {
  clock: Clock;
  fetch?: FetchLike;
  /** After this long a cached key set is refreshed on next use. Default 1 hour. */
  maxAgeSeconds?: number;
  /** An unknown kid triggers a refresh at most this often per key set. Default 10 s. */
  cooldownSeconds?: number;
  /** Per-fetch timeout. Default 5 s. */
  timeoutMs?: number;
}

interface CachedKeySet {
  readonly keys: ReadonlyMap<string, JWK>;
  readonly fetchedAt: number;
}

/**
 * The platforms' key sets, fetched once and cached. An unknown kid refreshes the set (at most once per cooldown),
 * so a platform's key rotation is picked up without a restart; concurrent requests for the same set share one
 * fetch. A stale set is still used when a refresh fails.
 */
export class RemoteKeySets {
  readonly #clock: Clock;
  readonly #fetch: FetchLike;
  readonly #maxAgeMs: number;
  readonly #cooldownMs: number;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, CachedKeySet>();
  readonly #inFlight = new Map<string, Promise<CachedKeySet>>();

  constructor(options: RemoteKeySetsOptions) {
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? defaultFetch;
    this.#maxAgeMs = (options.maxAgeSeconds ?? 3600) * 1000;
    this.#cooldownMs = (options.cooldownSeconds ?? 10) * 1000;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The key `kid` of the set at `jwksUri`, or `undefined` when the (refreshed) set does not hold it. */
  async getKey(jwksUri: string, kid: string): Promise<JWK | undefined> {
    const now = this.#clock.now().getTime();
    const cached = this.#cache.get(jwksUri);
    if (cached !== undefined) {
      const fresh = now - cached.fetchedAt < this.#maxAgeMs;
      const key = cached.keys.get(kid);
      if (key !== undefined && fresh) return key;
      if (key === undefined && now - cached.fetchedAt < this.#cooldownMs) return undefined;
    }
    try {
      const refreshed = await this.#refresh(jwksUri);
      return refreshed.keys.get(kid);
    } catch (error) {
      if (cached !== undefined) return cached.keys.get(kid);
      throw error;
    }
  }

  /** Drops a cached set (after a registration changes its JWKS URL). */
  forget(jwksUri: string): void {
    this.#cache.delete(jwksUri);
  }

  #refresh(jwksUri: string): Promise<CachedKeySet> {
    let pending = this.#inFlight.get(jwksUri);
    if (pending === undefined) {
      pending = this.#load(jwksUri).finally(() => this.#inFlight.delete(jwksUri));
      this.#inFlight.set(jwksUri, pending);
    }
    return pending;
  }

  async #load(jwksUri: string): Promise<CachedKeySet> {
    let body: unknown;
    try {
      const response = await this.#fetch(jwksUri, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (!response.ok) {
        throw new LtiError(
          'LTI_JWKS_UNAVAILABLE',
          `The platform key set at ${jwksUri} answered HTTP ${response.status}.`,
        );
      }
      body = await response.json().catch(() => undefined);
    } catch (error) {
      if (LtiError.isLtiError(error)) throw error;
      throw new LtiError('LTI_JWKS_UNAVAILABLE', `The platform key set at ${jwksUri} could not be fetched.`, {
        cause: error,
      });
    }
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys)) {
      throw new LtiError('LTI_JWKS_INVALID', `The platform key set at ${jwksUri} has no "keys" array.`);
    }
    const byKid = new Map<string, JWK>();
    for (const key of keys) {
      if (typeof key !== 'object' || key === null) continue;
      const jwk = key as JWK;
      if (typeof jwk.kid !== 'string' || typeof jwk.kty !== 'string') continue;
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      // Never keep private members, whatever a misconfigured platform publishes.
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...publicPart } = jwk;
      byKid.set(jwk.kid, publicPart);
    }
    const entry = { keys: byKid, fetchedAt: this.#clock.now().getTime() };
    this.#cache.set(jwksUri, entry);
    return entry;
  }
}
