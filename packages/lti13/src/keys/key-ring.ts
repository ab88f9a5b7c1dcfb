import type { Clock } from '@passport/core';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { LtiError } from '../errors.ts';
import type { KeyStore, StoredKey } from '../ports.ts';
import { generateSigningKey, type SigningAlgorithm } from './generate-key.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A private key ready to sign. The `CryptoKey` is not extractable, and printing or serializing the object shows
 * only its kid, so a stray `console.log` or error report cannot leak it.
 */
export class SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly #key: CryptoKey;

  constructor(kid: string, alg: string, key: CryptoKey) {
    this.kid = kid;
    this.alg = alg;
    this.#key = key;
  }

  get cryptoKey(): CryptoKey {
    return this.#key;
  }

  toJSON() {
    return { kid: this.kid, alg: this.alg, key: '[redacted]' };
  }

  [inspectSymbol]() {
    return `SigningKey { kid: '${this.kid}', alg: '${this.alg}', key: [redacted] }`;
  }
}

export interface KeyRingOptions {
  store: KeyStore;
  clock: Clock;
  /** How long a retired key stays published after rotation, so tokens it signed still verify. Default 1 day. */
  overlapSeconds?: number;
  /** Algorithm of generated keys. Default RS256. */
  alg?: SigningAlgorithm;
  /**
   * How long the key list read from the store is reused, and so how long a new key is published before it signs.
   * Default 30 s; processes sharing a store use the same value.
   */
  cacheSeconds?: number;
}

/** The public members of a key set, as served at a JWKS URL. */
export interface JsonWebKeySet {
  keys: JWK[];
}

/**
 * The keys one party (a tool or a platform) signs with: the newest active key signs once every process publishes it
 * (a cache period after it was made; the key it replaced signs meanwhile), retired keys stay in the published set
 * for an overlap window, expired keys are dropped. The first key is generated on first use, and signs at once.
 */
export class KeyRing {
  readonly #store: KeyStore;
  readonly #clock: Clock;
  readonly #overlapMs: number;
  readonly #alg: SigningAlgorithm;
  readonly #cacheMs: number;
  #cached: { keys: StoredKey[]; readAt: number } | undefined;
  #generating: Promise<StoredKey> | undefined;
  readonly #imported = new Map<string, SigningKey>();

  constructor(options: KeyRingOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#overlapMs = (options.overlapSeconds ?? 86_400) * 1000;
    this.#alg = options.alg ?? 'RS256';
    this.#cacheMs = (options.cacheSeconds ?? 30) * 1000;
  }

  async #keys(): Promise<StoredKey[]> {
    const now = this.#clock.now().getTime();
    if (this.#cached !== undefined && now - this.#cached.readAt < this.#cacheMs) return this.#cached.keys;
    const keys = await this.#store.list();
    this.#cached = { keys, readAt: now };
    return keys;
  }

  #forget() {
    this.#cached = undefined;
  }

  /**
   * The key that signs now, generating the first one when the store has no active key. A key signs only once it has
   * been in the store for a cache period, so every process publishes it before any process signs with it; until
   * then the key it replaced goes on signing (it stays published for the overlap window).
   */
  async signingKey(): Promise<SigningKey> {
    let keys = await this.#keys();
    if (!keys.some((key) => key.retiredAt === undefined)) {
      this.#generating ??= this.#generate().finally(() => {
        this.#generating = undefined;
      });
      await this.#generating;
      keys = await this.#keys();
    }
    const signer = this.#signer(keys);
    if (signer === undefined) {
      throw new LtiError('LTI_SIGNING_KEY_MISSING', 'The key store holds no key that can sign.');
    }
    return this.#import(signer);
  }

  /** The newest active key published for a cache period; else the newest such retired key; else the newest. */
  #signer(keys: readonly StoredKey[]): StoredKey | undefined {
    const now = this.#clock.now().getTime();
    const live = keys.filter((key) => key.expiresAt === undefined || key.expiresAt.getTime() > now);
    const published = (key: StoredKey) => key.createdAt.getTime() <= now - this.#cacheMs;
    const active = live.filter((key) => key.retiredAt === undefined);
    return (
      newest(active.filter(published)) ??
      newest(live.filter((key) => key.retiredAt !== undefined && published(key))) ??
      newest(active)
    );
  }

  async #generate(): Promise<StoredKey> {
    const key = await generateSigningKey({ alg: this.#alg, now: this.#clock.now() });
    await this.#store.save(key);
    this.#forget();
    return key;
  }

  async #import(stored: StoredKey): Promise<SigningKey> {
    const cached = this.#imported.get(stored.kid);
    if (cached !== undefined) return cached;
    let cryptoKey: CryptoKey;
    try {
      const imported = await importJWK(stored.privateJwk, stored.alg, { extractable: false });
      if (!(imported instanceof globalThis.CryptoKey)) throw new TypeError('not an asymmetric key');
      cryptoKey = imported;
    } catch {
      // The cause is dropped on purpose: import errors may quote key material.
      throw new LtiError(
        'LTI_SIGNING_KEY_MISSING',
        `The stored signing key ${stored.kid} could not be imported.`,
      );
    }
    const signingKey = new SigningKey(stored.kid, stored.alg, cryptoKey);
    this.#imported.set(stored.kid, signingKey);
    return signingKey;
  }

  /** The published key set: active keys and retired keys still inside their overlap window. */
  async jwks(): Promise<JsonWebKeySet> {
    const now = this.#clock.now().getTime();
    const keys = await this.#keys();
    if (keys.every((key) => key.retiredAt !== undefined)) await this.signingKey();
    return {
      keys: (await this.#keys())
        .filter((key) => key.expiresAt === undefined || key.expiresAt.getTime() > now)
        .map((key) => ({ ...key.publicJwk })),
    };
  }

  /**
   * Generates a new signing key; the keys that were active retire now and stay published for the overlap window.
   * Keys past their window are deleted from the store.
   */
  async rotate(): Promise<{ kid: string; publicJwk: JWK }> {
    const now = this.#clock.now();
    const existing = await this.#store.list();
    for (const key of existing) {
      if (key.expiresAt !== undefined && key.expiresAt.getTime() <= now.getTime()) {
        await this.#store.remove(key.kid);
        this.#imported.delete(key.kid);
      } else if (key.retiredAt === undefined) {
        await this.#store.save({
          ...key,
          retiredAt: now,
          expiresAt: new Date(now.getTime() + this.#overlapMs),
        });
      }
    }
    const key = await generateSigningKey({ alg: this.#alg, now });
    await this.#store.save(key);
    this.#forget();
    return { kid: key.kid, publicJwk: key.publicJwk };
  }
}

/** The most recently created of `keys`. */
function newest(keys: readonly StoredKey[]): StoredKey | undefined {
  let found: StoredKey | undefined;
  for (const key of keys) {
    if (found === undefined || key.createdAt.getTime() >= found.createdAt.getTime()) found = key;
  }
  return found;
}
