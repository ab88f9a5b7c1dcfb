import type { Clock, GenerateId } from '@passport/core';
import { defaultFetch, type FetchLike, send } from '../../http/fetch.ts';
import type { KeyRing } from '../../keys/key-ring.ts';
import type { AccessTokenStore, PlatformRegistration } from '../../ports.ts';
import { buildAccessTokenRequest, processAccessTokenResponse } from './access-token-request.ts';
import { createClientAssertion } from './client-assertion.ts';

/** The cache key of a token: the platform registration and the sorted scope set. */
export function accessTokenKey(registration: PlatformRegistration, scopes: readonly string[]): string {
  return JSON.stringify([registration.issuer, registration.clientId, [...new Set(scopes)].sort()]);
}

/**
 * Access tokens for LTI Advantage services, cached per platform and scope set, renewed a minute before they
 * expire; concurrent callers for the same key share one token request.
 */
export class AccessTokenProvider {
  readonly #keyRing: KeyRing;
  readonly #store: AccessTokenStore;
  readonly #clock: Clock;
  readonly #generateId: GenerateId;
  readonly #fetch: FetchLike;
  readonly #inFlight = new Map<string, Promise<string>>();

  constructor(options: {
    keyRing: KeyRing;
    store: AccessTokenStore;
    clock: Clock;
    generateId: GenerateId;
    fetch?: FetchLike;
  }) {
    this.#keyRing = options.keyRing;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#generateId = options.generateId;
    this.#fetch = options.fetch ?? defaultFetch;
  }

  async token(registration: PlatformRegistration, scopes: readonly string[]): Promise<string> {
    const key = accessTokenKey(registration, scopes);
    const cached = await this.#store.get(key);
    if (cached !== undefined && cached.expiresAt.getTime() - 60_000 > this.#clock.now().getTime())
      return cached.accessToken;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#request(registration, scopes, key).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  /** Forgets a token the platform no longer accepts (it answered 401). */
  async invalidate(registration: PlatformRegistration, scopes: readonly string[]): Promise<void> {
    await this.#store.delete(accessTokenKey(registration, scopes));
  }

  async #request(
    registration: PlatformRegistration,
    scopes: readonly string[],
    key: string,
  ): Promise<string> {
    const now = this.#clock.now();
    const assertion = await createClientAssertion({
      registration,
      signingKey: await this.#keyRing.signingKey(),
      now,
      jti: this.#generateId(),
    });
    const sorted = [...new Set(scopes)].sort();
    const response = await send(
      this.#fetch,
      buildAccessTokenRequest({ registration, assertion, scopes: sorted }),
    );
    const grant = await processAccessTokenResponse(response, sorted);
    await this.#store.set(key, {
      accessToken: grant.accessToken,
      scopes: grant.scopes,
      expiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000),
    });
    return grant.accessToken;
  }
}
