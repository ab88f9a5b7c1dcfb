import { describe, expect, it } from 'vitest';
import { keysetStart, ListCache } from './list-cache.ts';

describe('ListCache', () => {
  it('answers a remembered total only under the stamp it was counted under', async () => {
    const cache = new ListCache();
    let counts = 0;
    const count = async () => {
      counts += 1;
      return { stamp: '7', totals: { total: 42 } };
    };
    expect(await cache.load('users', '7', count)).toEqual({ total: 42 });
    expect(cache.get('users', '7')).toEqual({ total: 42 });
    expect(cache.get('users', '8')).toBeUndefined();
    expect(await cache.load('users', '7', count)).toEqual({ total: 42 });
    expect(counts).toBe(1);
  });

  it('keeps an entry under the stamp the count saw, not the one asked for', async () => {
    const cache = new ListCache();
    await cache.load('users', '7', async () => ({ stamp: '8', totals: { total: 3 } }));
    expect(cache.get('users', '7')).toBeUndefined();
    expect(cache.get('users', '8')).toEqual({ total: 3 });
  });

  it('shares one count among concurrent misses, and forgets a failed one', async () => {
    const cache = new ListCache();
    let counts = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const count = async () => {
      counts += 1;
      await gate;
      return { stamp: '1', totals: { total: 5 } };
    };
    const loads = [cache.load('q', '1', count), cache.load('q', '1', count), cache.load('q', '1', count)];
    release();
    expect(await Promise.all(loads)).toEqual([{ total: 5 }, { total: 5 }, { total: 5 }]);
    expect(counts).toBe(1);
    await expect(
      cache.load('r', '1', async () => {
        throw new Error('count failed');
      }),
    ).rejects.toThrow('count failed');
    expect(await cache.load('r', '1', async () => ({ stamp: '1', totals: { total: 9 } }))).toEqual({
      total: 9,
    });
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new ListCache({ maxEntries: 2 });
    const totals = (total: number) => async () => ({ stamp: '1', totals: { total } });
    await cache.load('a', '1', totals(1));
    await cache.load('b', '1', totals(2));
    cache.get('a', '1');
    await cache.load('c', '1', totals(3));
    expect(cache.get('a', '1')).toEqual({ total: 1 });
    expect(cache.get('b', '1')).toBeUndefined();
    expect(cache.get('c', '1')).toEqual({ total: 3 });
  });

  it('rejects options that are not counts, naming the option', () => {
    expect(() => new ListCache({ maxEntries: 0 })).toThrow(/listCache\.maxEntries/);
    expect(() => new ListCache({ bookmarkInterval: -1 })).toThrow(/listCache\.bookmarkInterval/);
    expect(() => new ListCache({ bookmarkInterval: 1.5 })).toThrow(/listCache\.bookmarkInterval/);
  });
});

describe('keysetStart', () => {
  // Rows r0..r9, a bookmark at every third row: r2, r5, r8.
  const bookmarks = ['r2', 'r5', 'r8'];

  it('starts after the nearest bookmark before the offset', () => {
    expect(keysetStart(bookmarks, 3, 0)).toEqual({ skip: 0 });
    expect(keysetStart(bookmarks, 3, 2)).toEqual({ skip: 2 });
    expect(keysetStart(bookmarks, 3, 3)).toEqual({ after: 'r2', skip: 0 });
    expect(keysetStart(bookmarks, 3, 4)).toEqual({ after: 'r2', skip: 1 });
    expect(keysetStart(bookmarks, 3, 9)).toEqual({ after: 'r8', skip: 0 });
  });

  it('never goes past the last bookmark, and walks from the start without any', () => {
    expect(keysetStart(bookmarks, 3, 100)).toEqual({ after: 'r8', skip: 91 });
    expect(keysetStart(undefined, 3, 7)).toEqual({ skip: 7 });
    expect(keysetStart([], 3, 7)).toEqual({ skip: 7 });
    expect(keysetStart(bookmarks, 0, 7)).toEqual({ skip: 7 });
  });
});
