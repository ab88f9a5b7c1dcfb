import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from '../adapters/memory/memory-stores.ts';
import { KeyRing } from './key-ring.ts';

function clockAt(start: string) {
  const clock = { current: new Date(start), now: () => clock.current };
  return clock;
}

describe('KeyRing', () => {
  it('generates the first key on first use and publishes only its public half', async () => {
    const store = new MemoryKeyStore();
    const ring = new KeyRing({ store, clock: clockAt('2025-01-01T00:00:00Z') });
    const signingKey = await ring.signingKey();
    const { keys } = await ring.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]?.kid).toBe(signingKey.kid);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(member);
    expect(await store.list()).toHaveLength(1);
  });

  it('rotates with an overlap: the new key signs, the old one stays published until the window ends', async () => {
    const clock = clockAt('2025-01-01T00:00:00Z');
    const store = new MemoryKeyStore();
    const ring = new KeyRing({ store, clock, overlapSeconds: 3600, cacheSeconds: 0 });
    const first = await ring.signingKey();
    clock.current = new Date('2025-02-01T00:00:00Z');
    const rotated = await ring.rotate();
    expect(rotated.kid).not.toBe(first.kid);
    expect((await ring.signingKey()).kid).toBe(rotated.kid);
    expect((await ring.jwks()).keys.map((key) => key.kid).sort()).toEqual([first.kid, rotated.kid].sort());
    clock.current = new Date('2025-02-01T01:00:01Z');
    expect((await ring.jwks()).keys.map((key) => key.kid)).toEqual([rotated.kid]);
    await ring.rotate();
    expect((await store.list()).map((key) => key.kid)).not.toContain(first.kid);
  });

  it('publishes a new key for a cache period before it signs, the retired key signing meanwhile', async () => {
    const clock = clockAt('2025-01-01T00:00:00Z');
    const store = new MemoryKeyStore();
    const ring = new KeyRing({ store, clock, overlapSeconds: 3600, cacheSeconds: 30 });
    const first = await ring.signingKey();
    // The first key signs at once: there is nothing else.
    expect((await ring.jwks()).keys.map((key) => key.kid)).toEqual([first.kid]);
    // Another process that read the list a moment before the rotation keeps it for 30 s.
    clock.current = new Date('2025-02-01T00:00:00Z');
    const other = new KeyRing({ store, clock, overlapSeconds: 3600, cacheSeconds: 30 });
    await other.jwks();
    const rotated = await ring.rotate();
    expect((await ring.jwks()).keys.map((key) => key.kid).sort()).toEqual([first.kid, rotated.kid].sort());
    expect((await other.jwks()).keys.map((key) => key.kid)).toEqual([first.kid]);
    expect((await ring.signingKey()).kid).toBe(first.kid);
    expect((await other.signingKey()).kid).toBe(first.kid);
    clock.current = new Date('2025-02-01T00:00:30Z');
    expect((await other.jwks()).keys.map((key) => key.kid)).toContain(rotated.kid);
    expect((await ring.signingKey()).kid).toBe(rotated.kid);
    expect((await other.signingKey()).kid).toBe(rotated.kid);
  });

  it('never shows private key material when a signing key or a rotation result is printed or serialized', async () => {
    const store = new MemoryKeyStore();
    const ring = new KeyRing({ store, clock: clockAt('2025-01-01T00:00:00Z') });
    const signingKey = await ring.signingKey();
    const [stored] = await store.list();
    const secret = stored?.privateJwk.d as string;
    expect(secret.length).toBeGreaterThan(20);
    expect(inspect(signingKey, { depth: 5 })).not.toContain(secret);
    expect(JSON.stringify(signingKey)).not.toContain(secret);
    expect(JSON.stringify(signingKey)).toContain('[redacted]');
    expect(signingKey.cryptoKey.extractable).toBe(false);
    const rotated = await ring.rotate();
    expect(JSON.stringify(rotated)).not.toContain('"d"');
  });

  it('refuses a corrupt stored key without quoting it', async () => {
    const store = new MemoryKeyStore();
    await store.save({
      kid: 'broken',
      alg: 'RS256',
      publicJwk: { kty: 'RSA' },
      privateJwk: { kty: 'RSA', d: 'SECRET-MATERIAL' },
      createdAt: new Date(),
    });
    const ring = new KeyRing({ store, clock: clockAt('2025-01-01T00:00:00Z') });
    const error = await ring.signingKey().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LTI_SIGNING_KEY_MISSING' });
    expect(inspect(error, { depth: 10 })).not.toContain('SECRET-MATERIAL');
  });
});
