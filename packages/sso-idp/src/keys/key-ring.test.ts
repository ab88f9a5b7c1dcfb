import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from '../adapters/memory/memory-stores.ts';
import { KeyRing } from './key-ring.ts';

function clockAt(start: number) {
  let now = start;
  return { now: () => new Date(now), advance: (seconds: number) => (now += seconds * 1000) };
}

describe('KeyRing', () => {
  it('creates the first key on first use, once, even when asked concurrently', async () => {
    const store = new MemoryKeyStore();
    const ring = new KeyRing({ store, clock: clockAt(Date.UTC(2026, 0, 1)) });
    const [first, second] = await Promise.all([ring.keys(), ring.keys()]);
    expect(first.map((key) => key.kid)).toEqual(second.map((key) => key.kid));
    expect(await store.list()).toHaveLength(1);
  });

  it('publishes the new key first and the retired key until the overlap ends', async () => {
    const clock = clockAt(Date.UTC(2026, 0, 1));
    const ring = new KeyRing({ store: new MemoryKeyStore(), clock, overlapSeconds: 3600, cacheSeconds: 0 });
    const [original] = await ring.keys();
    const versionBefore = await ring.version();
    const { created, retired } = await ring.rotate();
    expect(retired).toEqual([original?.kid]);
    expect((await ring.publicJwks()).keys.map((key) => key.kid)).toEqual([created, original?.kid]);
    expect(await ring.version()).not.toBe(versionBefore);
    clock.advance(3601);
    expect((await ring.publicJwks()).keys.map((key) => key.kid)).toEqual([created]);
    for (const key of (await ring.publicJwks()).keys) expect(key.d).toBeUndefined();
  });
});

describe('two processes creating the first key at once', () => {
  it('settle on the same signing key, the oldest active one, even while one still has the old list cached', async () => {
    const store = new MemoryKeyStore();
    const clock = clockAt(Date.parse('2026-11-23T10:00:00Z'));
    // The first process creates a key and caches the list for 30 s.
    const first = new KeyRing({ store, clock, cacheSeconds: 30 });
    const firstSigning = (await first.keys())[0]?.kid;
    // The second had read an empty store at the same moment, so it creates a key too (the port has no
    // compare-and-set), a second later.
    clock.advance(1);
    const racing = new KeyRing({ store: new MemoryKeyStore(), clock });
    const [extra] = await racing.keys();
    if (extra === undefined) throw new Error('no key');
    await store.save(extra);
    const second = new KeyRing({ store, clock, cacheSeconds: 30 });
    const secondKeys = await second.keys();
    expect(secondKeys.map((key) => key.kid)).toHaveLength(2);
    expect(secondKeys[0]?.kid).toBe(firstSigning);
    expect((await first.keys())[0]?.kid).toBe(firstSigning);
    expect((await second.publicJwks()).keys.map((key) => key.kid)).toContain(firstSigning);
  });
});
