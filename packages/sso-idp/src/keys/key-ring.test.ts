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
