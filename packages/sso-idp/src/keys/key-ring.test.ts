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

describe('a rotation seen by several processes', () => {
  it('publishes the new key for a cache period before it signs, the retired key signing meanwhile', async () => {
    const store = new MemoryKeyStore();
    const clock = clockAt(Date.parse('2026-11-23T10:00:00Z'));
    const rotating = new KeyRing({ store, clock, cacheSeconds: 30 });
    const [original] = await rotating.keys();
    // Another process read the list just before the rotation: it keeps it for 30 s.
    const other = new KeyRing({ store, clock, cacheSeconds: 30 });
    await other.keys();
    clock.advance(60);
    await other.keys();
    const { created } = await rotating.rotate();
    clock.advance(1);
    // The rotating process publishes both at once, and still signs with the retired key.
    expect((await rotating.keys()).map((key) => key.kid)).toEqual([original?.kid, created]);
    expect((await other.publicJwks()).keys.map((key) => key.kid)).not.toContain(created);
    clock.advance(29);
    // Every cache has been read again by now: every process publishes the new key, and it signs.
    expect((await other.publicJwks()).keys.map((key) => key.kid)).toContain(created);
    expect((await rotating.keys())[0]?.kid).toBe(created);
    expect((await other.keys())[0]?.kid).toBe(created);
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
