import { sql } from 'kysely';
import type { Queryable } from '../db/database.ts';

/**
 * Counts OneRoster API requests per credential and UTC day for the partner's usage page, without a database write
 * per request: counts gather in memory and are added to `api_usage` in one statement every `flushAfterMs` (and on
 * `flush()`, at shutdown and before the usage page reads). The upsert adds, so several processes count together.
 * A crash loses at most the last interval's counts (statistics, not billing).
 */
export interface UsageCounter {
  count(clientId: string, tenantId: string): void;
  /** Writes what has been counted; resolves when it is in the database. */
  flush(): Promise<void>;
}

export function createUsageCounter(options: {
  db: Queryable;
  flushAfterMs?: number;
  onError?: (error: unknown) => void;
  now?: () => Date;
}): UsageCounter {
  const flushAfterMs = options.flushAfterMs ?? 2000;
  const now = options.now ?? (() => new Date());
  let pending = new Map<string, { clientId: string; tenantId: string; day: string; requests: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = [...pending.values()];
    pending = new Map();
    // One write at a time, in order; a failed write is reported and its counts are dropped.
    writing = writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await options.db
          .insertInto('api_usage')
          .values(
            batch.map((entry) => ({
              client_id: entry.clientId,
              tenant_id: entry.tenantId,
              day: entry.day,
              requests: entry.requests,
            })),
          )
          .onConflict((conflict) =>
            conflict.columns(['client_id', 'day']).doUpdateSet((update) => ({
              requests: sql<number>`${update.ref('api_usage.requests')} + ${update.ref('excluded.requests')}`,
            })),
          )
          .execute();
      } catch (error) {
        options.onError?.(error);
      }
    });
    return writing;
  };

  return {
    count(clientId, tenantId) {
      const day = now().toISOString().slice(0, 10);
      const key = `${clientId}\u0000${day}`;
      const entry = pending.get(key);
      if (entry === undefined) pending.set(key, { clientId, tenantId, day, requests: 1 });
      else entry.requests += 1;
      if (timer === undefined) {
        timer = setTimeout(() => void flush(), flushAfterMs);
        timer.unref?.();
      }
    },
    flush,
  };
}
