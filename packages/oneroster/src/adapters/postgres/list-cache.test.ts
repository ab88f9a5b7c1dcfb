import { describe, expect, it } from 'vitest';
import { keysetStart, ListCache, pageStart } from './list-cache.ts';

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

  it('refreshes a stale entry once for every reader holding it, and keeps one another reader put in place', async () => {
    const cache = new ListCache();
    let counts = 0;
    const count = (stamp: string, total: number) => async () => {
      counts += 1;
      return { stamp, totals: { total } };
    };
    const first = await cache.refresh('q', undefined, count('1', 5));
    expect(cache.peek('q')).toBe(first);
    const [a, b] = await Promise.all([
      cache.refresh('q', first, count('2', 6)),
      cache.refresh('q', first, count('2', 6)),
    ]);
    expect(a).toEqual({ stamp: '2', totals: { total: 6 } });
    expect(b).toBe(a);
    expect(counts).toBe(2);
    // A reader still holding the first entry gets the one already put in its place, without counting.
    expect(await cache.refresh('q', first, count('3', 7))).toBe(a);
    expect(counts).toBe(2);
  });

  it('evicts entries while the sourcedIds remembered exceed 100 × maxIds', async () => {
    const cache = new ListCache({ maxIds: 1 });
    const ids = (n: number) => async () => ({
      stamp: '1',
      totals: { total: n, ids: Array.from({ length: n }, (_, index) => `id-${index}`) },
    });
    await cache.refresh('a', undefined, ids(60));
    await cache.refresh('b', undefined, ids(30));
    // 90 remembered; 20 more go past 100, and the least recently used entry goes.
    await cache.refresh('c', undefined, ids(20));
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')?.totals.total).toBe(30);
    expect(cache.peek('c')?.totals.total).toBe(20);
  });

  it('rejects options that are not counts, naming the option', () => {
    expect(() => new ListCache({ maxIds: -1 })).toThrow(/listCache\.maxIds/);
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

describe('pageStart', () => {
  it('reads a page by its sourcedIds when the entry keeps them all, by bookmark otherwise', () => {
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4'];
    expect(pageStart({ total: 5, ids }, 3, 1, 2)).toEqual({ ids: ['r1', 'r2'] });
    expect(pageStart({ total: 5, ids }, 3, 4, 10)).toEqual({ ids: ['r4'] });
    expect(pageStart({ total: 5, ids }, 3, 9, 10)).toEqual({ ids: [] });
    expect(pageStart({ total: 10, bookmarks: ['r2', 'r5', 'r8'] }, 3, 4, 2)).toEqual({
      after: 'r2',
      skip: 1,
    });
    expect(pageStart(undefined, 3, 4, 2)).toEqual({ skip: 4 });
  });

  it('reads a page by sourcedIds within the first ones an entry keeps, and by bookmark past them', () => {
    // 10 rows r0..r9, the first 5 kept, a bookmark every third row.
    const totals = { total: 10, ids: ['r0', 'r1', 'r2', 'r3', 'r4'], bookmarks: ['r2', 'r5', 'r8'] };
    expect(pageStart(totals, 3, 0, 5)).toEqual({ ids: ['r0', 'r1', 'r2', 'r3', 'r4'] });
    expect(pageStart(totals, 3, 2, 3)).toEqual({ ids: ['r2', 'r3', 'r4'] });
    // A page reaching past the kept ids is not cut short: it starts from a bookmark.
    expect(pageStart(totals, 3, 3, 3)).toEqual({ after: 'r2', skip: 0 });
    expect(pageStart(totals, 3, 9, 3)).toEqual({ after: 'r8', skip: 0 });
  });
});
