/**
 * What a list read remembers between requests so that a page costs what the page costs: the exact total of the
 * query (`X-Total-Count`) and, for the default order (sourcedId ascending), keyset bookmarks (the sourcedId at
 * every `bookmarkInterval`-th row), so a deep `offset` starts from the nearest bookmark instead of walking every
 * row before it.
 *
 * Entries are kept under a version stamp: the sum of the write counters (`oneroster_versions`) of the files the
 * query reads, which every write raises in its own transaction. The counters only grow, so any write to those files
 * changes the stamp and the entry is no longer used: a remembered total is exact, never an estimate. Several
 * processes over one database each keep their own entries and all read the same counters.
 *
 * A query in sourcedId order that matches at most `maxIds` rows also keeps every matching sourcedId, in order, so
 * any of its pages is read by primary key (`sourced_id = any(…)`) instead of walking the rows the filter rejects:
 * what makes a filter on a field without an index cost what a page costs. A query that matches more, and that no
 * index answers (its filter reads the JSONB), keeps its first `maxIds` sourcedIds: the pages within them (page one
 * above all) are read the same way, the pages after them from a bookmark.
 *
 * A reader uses an entry optimistically: it builds the page from the entry it has and reads the current stamp in
 * the same statement; only when the stamp differs does it count again (see `refresh`). Concurrent misses of one
 * query under one stamp share a single count (no stampede when a popular query's entry goes stale). Entries are
 * evicted least recently used first, also while the remembered sourcedIds exceed `100 × maxIds` in all.
 */

export interface ListTotals {
  total: number;
  /** `bookmarks[i]` is the sourcedId of the row at position `(i + 1) * interval - 1` (0-based). */
  bookmarks?: readonly string[];
  /** The first matching sourcedIds in order: every one of them when `ids.length === total`. */
  ids?: readonly string[];
}

export interface ListEntry {
  stamp: string;
  totals: ListTotals;
}

export interface ListCacheOptions {
  /** Queries remembered at once. Default 512. */
  maxEntries?: number;
  /** Rows between two keyset bookmarks; 0 turns bookmarks off. Default 256. */
  bookmarkInterval?: number;
  /**
   * A query matching at most this many rows keeps all their sourcedIds, and an unindexed one matching more keeps
   * this many of its first; 0 turns it off. Default 10,000.
   */
  maxIds?: number;
}

export const defaultListCache: Required<ListCacheOptions> = {
  maxEntries: 512,
  bookmarkInterval: 256,
  maxIds: 10_000,
};

export class ListCache {
  readonly maxEntries: number;
  readonly bookmarkInterval: number;
  readonly maxIds: number;
  readonly #entries = new Map<string, ListEntry>();
  readonly #loading = new Map<string, Promise<ListEntry>>();
  #ids = 0;

  constructor(options: ListCacheOptions = {}) {
    const { maxEntries, bookmarkInterval, maxIds } = { ...defaultListCache, ...options };
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`listCache.maxEntries must be a positive integer, got ${String(maxEntries)}.`);
    }
    if (!Number.isSafeInteger(bookmarkInterval) || bookmarkInterval < 0) {
      throw new RangeError(
        `listCache.bookmarkInterval must be a non-negative integer, got ${String(bookmarkInterval)}.`,
      );
    }
    if (!Number.isSafeInteger(maxIds) || maxIds < 0) {
      throw new RangeError(`listCache.maxIds must be a non-negative integer, got ${String(maxIds)}.`);
    }
    this.maxEntries = maxEntries;
    this.bookmarkInterval = bookmarkInterval;
    this.maxIds = maxIds;
  }

  /** The entry remembered for `key`, under whatever stamp it was counted. */
  peek(key: string): ListEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** The totals remembered for `key` under exactly `stamp`, or undefined. */
  get(key: string, stamp: string): ListTotals | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.stamp !== stamp) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.totals;
  }

  /**
   * The totals for `key` under `stamp`: remembered ones, or those `count` computes (one call for every concurrent
   * caller). `count` answers with the stamp its own statement saw; the entry is kept under that one.
   */
  async load(
    key: string,
    stamp: string,
    count: () => Promise<{ stamp: string; totals: ListTotals }>,
  ): Promise<ListTotals> {
    const remembered = this.get(key, stamp);
    if (remembered !== undefined) return remembered;
    return (await this.#count(`${stamp}\u0000${key}`, key, count)).totals;
  }

  /**
   * A fresh entry for `key` when the one a reader used (`stale`, undefined when it had none) turned out stale: the
   * entry another caller already put in its place, or the one `count` computes (one call for every concurrent
   * caller holding the same stale entry).
   */
  async refresh(
    key: string,
    stale: ListEntry | undefined,
    count: () => Promise<{ stamp: string; totals: ListTotals }>,
  ): Promise<ListEntry> {
    const current = this.#entries.get(key);
    if (current !== undefined && current !== stale) return current;
    return await this.#count(`\u0001${stale?.stamp ?? ''}\u0000${key}`, key, count);
  }

  #count(
    flightKey: string,
    key: string,
    count: () => Promise<{ stamp: string; totals: ListTotals }>,
  ): Promise<ListEntry> {
    let flight = this.#loading.get(flightKey);
    if (flight === undefined) {
      flight = count().then(
        (counted) => {
          this.#loading.delete(flightKey);
          const entry: ListEntry = { stamp: counted.stamp, totals: counted.totals };
          this.#remove(key);
          this.#entries.set(key, entry);
          this.#ids += entry.totals.ids?.length ?? 0;
          while (this.#entries.size > this.maxEntries || this.#ids > 100 * this.maxIds) {
            const oldest = this.#entries.keys().next().value;
            if (oldest === undefined || oldest === key) break;
            this.#remove(oldest);
          }
          return entry;
        },
        (error: unknown) => {
          this.#loading.delete(flightKey);
          throw error;
        },
      );
      this.#loading.set(flightKey, flight);
    }
    return flight;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#ids -= entry.totals.ids?.length ?? 0;
    this.#entries.delete(key);
  }
}

/**
 * Where a default-order page at `offset` can start: after the bookmark `after` (undefined: from the first row),
 * skipping `skip` more rows.
 */
export function keysetStart(
  bookmarks: readonly string[] | undefined,
  interval: number,
  offset: number,
): { after?: string; skip: number } {
  if (bookmarks === undefined || interval <= 0) return { skip: offset };
  const blocks = Math.min(Math.floor(offset / interval), bookmarks.length);
  if (blocks === 0) return { skip: offset };
  return { after: bookmarks[blocks - 1], skip: offset - blocks * interval };
}

/**
 * Where a default-order page of `limit` rows at `offset` starts: the page's own sourcedIds when the entry keeps
 * them (all of the query's, or the first ones and the page is among them), otherwise as `keysetStart` says.
 */
export function pageStart(
  totals: ListTotals | undefined,
  interval: number,
  offset: number,
  limit: number,
): { ids: readonly string[] } | { after?: string; skip: number } {
  const ids = totals?.ids;
  if (ids !== undefined && (ids.length === totals?.total || offset + limit <= ids.length)) {
    return { ids: ids.slice(offset, offset + limit) };
  }
  return keysetStart(totals?.bookmarks, interval, offset);
}
