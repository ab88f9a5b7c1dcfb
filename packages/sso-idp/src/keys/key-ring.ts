import type { Clock } from '@passport/core';
import { exportJWK, generateKeyPair } from 'jose';
import type { KeyStore, StoredKey } from '../ports.ts';

export interface KeyRingOptions {
  store: KeyStore;
  clock: Clock;
  /** How long a retired key stays published after a rotation, so tokens it signed still verify. Default 1 day. */
  overlapSeconds?: number;
  /**
   * How long the key list read from the store is reused before asking again, and so how long a new key is
   * published before it signs. Default 30 s; processes sharing a store use the same value.
   */
  cacheSeconds?: number;
}

export type PublicJwk = Record<string, unknown> & { kid: string; alg: string; use: 'sig' };

const privateMembers = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']);

/** The public half of a JWK: private members removed. */
export function publicJwk(key: StoredKey): PublicJwk {
  const members = Object.fromEntries(
    Object.entries(key.privateJwk).filter(([member]) => !privateMembers.has(member)),
  );
  return { ...members, kid: key.kid, alg: key.alg, use: 'sig' };
}

async function generateKey(now: Date): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = `${now.toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
  return { kid, alg: 'RS256', privateJwk: { ...jwk }, createdAt: now };
}

/**
 * The OpenID provider's signing keys: the oldest active key signs (there is one, except just after two processes
 * created or rotated at once), once it has been in the store for a cache period, so that every process publishes it
 * before any signs with it (the key it replaced signs meanwhile; the first key signs at once); a rotation retires
 * it and creates a new one;
 * retired keys stay published for the overlap window, then are removed. The first key is created on first use.
 * `version` changes whenever the set changes, so each server process notices a rotation made by another.
 */
export class KeyRing {
  readonly #store: KeyStore;
  readonly #clock: Clock;
  readonly #overlapMs: number;
  readonly #cacheMs: number;
  #cached: { keys: StoredKey[]; readAt: number } | undefined;
  #creating: Promise<void> | undefined;
  /** After this process created a key, it reads the store afresh for one cache period, to see a racing one. */
  #uncachedUntil = 0;

  constructor(options: KeyRingOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#overlapMs = (options.overlapSeconds ?? 86_400) * 1000;
    this.#cacheMs = (options.cacheSeconds ?? 30) * 1000;
  }

  async #read(): Promise<StoredKey[]> {
    const now = this.#clock.now().getTime();
    const fresh = this.#cached !== undefined && now - this.#cached.readAt < this.#cacheMs;
    if (fresh && now >= this.#uncachedUntil && this.#cached !== undefined) return this.#cached.keys;
    const keys = await this.#store.list();
    this.#cached = { keys, readAt: now };
    return keys;
  }

  /** The keys to publish and sign with, the signing key first. Creates the first key when there is none. */
  async keys(): Promise<StoredKey[]> {
    let keys = await this.#read();
    if (!keys.some((key) => key.retiredAt === undefined)) {
      this.#creating ??= (async () => {
        await this.#store.save(await generateKey(this.#clock.now()));
        this.#cached = undefined;
        this.#uncachedUntil = this.#clock.now().getTime() + this.#cacheMs;
      })().finally(() => {
        this.#creating = undefined;
      });
      await this.#creating;
      keys = await this.#read();
    }
    const now = this.#clock.now().getTime();
    const live = keys.filter(
      (key) => key.retiredAt === undefined || key.retiredAt.getTime() + this.#overlapMs > now,
    );
    // Active keys first, the oldest of them signing: when two processes start together and each creates a first
    // key (or both rotate at once), every process settles on the same signing key, which every process publishes.
    // Retired keys follow, newest first.
    const ordered = live.sort((left, right) => {
      const leftActive = left.retiredAt === undefined ? 1 : 0;
      const rightActive = right.retiredAt === undefined ? 1 : 0;
      if (leftActive !== rightActive) return rightActive - leftActive;
      const age = left.createdAt.getTime() - right.createdAt.getTime();
      return (leftActive === 1 ? age : -age) || left.kid.localeCompare(right.kid);
    });
    // A key signs only once it has been in the store for a cache period, so every process publishes it before any
    // signs with it; until then the newest retired key that has been published that long goes on signing.
    const published = (key: StoredKey) => key.createdAt.getTime() <= now - this.#cacheMs;
    const signer =
      ordered.find((key) => key.retiredAt === undefined && published(key)) ??
      ordered.find((key) => key.retiredAt !== undefined && published(key));
    return signer === undefined ? ordered : [signer, ...ordered.filter((key) => key !== signer)];
  }

  /** Changes whenever the published set changes. */
  async version(): Promise<string> {
    return (await this.keys())
      .map((key) => `${key.kid}:${key.retiredAt === undefined ? 'a' : 'r'}`)
      .join(',');
  }

  async publicJwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.keys()).map(publicJwk) };
  }

  /** Retires the signing key, creates its successor and drops keys whose overlap has ended. */
  async rotate(): Promise<{ retired: string[]; created: string }> {
    const now = this.#clock.now();
    const keys = await this.#store.list();
    const retired: string[] = [];
    for (const key of keys) {
      if (key.retiredAt === undefined) {
        await this.#store.save({ ...key, retiredAt: now });
        retired.push(key.kid);
      } else if (key.retiredAt.getTime() + this.#overlapMs <= now.getTime()) {
        await this.#store.remove(key.kid);
      }
    }
    const created = await generateKey(now);
    await this.#store.save(created);
    this.#cached = undefined;
    this.#uncachedUntil = now.getTime() + this.#cacheMs;
    return { retired, created: created.kid };
  }
}
