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
 * Concurrent misses of one query under one stamp share a single count (no stampede when a popular query's entry
 * goes stale). Entries are evicted least recently used first.
 */

export interface ListTotals {
  total: number;
  /** `bookmarks[i]` is the sourcedId of the row at position `(i + 1) * interval - 1` (0-based). */
  bookmarks?: readonly string[];
}

interface Entry {
  stamp: string;
  totals: ListTotals;
}

export interface ListCacheOptions {
  /** Queries remembered at once. Default 512. */
  maxEntries?: number;
  /** Rows between two keyset bookmarks; 0 turns bookmarks off. Default 256. */
  bookmarkInterval?: number;
}

export const defaultListCache: Required<ListCacheOptions> = { maxEntries: 512, bookmarkInterval: 256 };

export class ListCache {
  readonly maxEntries: number;
  readonly bookmarkInterval: number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();

  constructor(options: ListCacheOptions = {}) {
    const { maxEntries, bookmarkInterval } = { ...defaultListCache, ...options };
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`listCache.maxEntries must be a positive integer, got ${String(maxEntries)}.`);
    }
    if (!Number.isSafeInteger(bookmarkInterval) || bookmarkInterval < 0) {
      throw new RangeError(
        `listCache.bookmarkInterval must be a non-negative integer, got ${String(bookmarkInterval)}.`,
      );
    }
    this.maxEntries = maxEntries;
    this.bookmarkInterval = bookmarkInterval;
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
    const flightKey = `${stamp}\u0000${key}`;
    let flight = this.#loading.get(flightKey);
    if (flight === undefined) {
      flight = count().then(
        (counted) => {
          this.#loading.delete(flightKey);
          const entry = { stamp: counted.stamp, totals: counted.totals };
          this.#entries.delete(key);
          this.#entries.set(key, entry);
          while (this.#entries.size > this.maxEntries) {
            const oldest = this.#entries.keys().next().value;
            if (oldest === undefined) break;
            this.#entries.delete(oldest);
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
    return (await flight).totals;
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
