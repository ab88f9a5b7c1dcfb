import { type GenerateId, randomId } from '@passport/core';
import type { ClaimedEntry, EnqueueOutcome, GradeOutbox, NewOutboxEntry, OutboxEntry } from '../../ports.ts';

interface Row {
  entry: OutboxEntry;
  claimToken: string | undefined;
}

/** The outbox in memory (tests, a single process). Same semantics as the PostgreSQL adapter. */
export function createMemoryGradeOutbox(options: { generateId?: GenerateId } = {}): GradeOutbox {
  const generateId = options.generateId ?? randomId;
  const rows = new Map<string, Row>();
  const byKey = new Map<string, string>();
  const keyOf = (entry: { lineItemId: string; userId: string }) => `${entry.lineItemId}\u0000${entry.userId}`;
  const held = (claimed: ClaimedEntry) => {
    const row = rows.get(claimed.id);
    return row !== undefined && row.claimToken === claimed.claimToken ? row : undefined;
  };

  return {
    async enqueue(entries: readonly NewOutboxEntry[], now: Date): Promise<EnqueueOutcome> {
      const outcome: EnqueueOutcome = { inserted: 0, replaced: 0, unchanged: 0 };
      for (const entry of entries) {
        const id = byKey.get(keyOf(entry));
        const row = id === undefined ? undefined : rows.get(id);
        if (row === undefined) {
          const created: OutboxEntry = {
            ...entry,
            id: generateId(),
            version: 1,
            attempts: 0,
            availableAt: now.getTime(),
            enqueuedAt: now.getTime(),
          };
          rows.set(created.id, { entry: created, claimToken: undefined });
          byKey.set(keyOf(entry), created.id);
          outcome.inserted++;
        } else if (
          entry.sourceUpdatedAt < row.entry.sourceUpdatedAt ||
          (entry.fingerprint === row.entry.fingerprint && entry.score.timestamp === row.entry.score.timestamp)
        ) {
          outcome.unchanged++;
        } else {
          row.entry = {
            ...row.entry,
            ...entry,
            id: row.entry.id,
            version: row.entry.version + 1,
            attempts: 0,
            availableAt: row.entry.availableAt,
            enqueuedAt: row.entry.enqueuedAt,
          };
          outcome.replaced++;
        }
      }
      return outcome;
    },

    async claim(lmsId, { limit, leaseMs, now, claimToken }) {
      const due = [...rows.values()]
        .filter((row) => row.entry.lmsId === lmsId && row.entry.availableAt <= now.getTime())
        .sort((a, b) => a.entry.availableAt - b.entry.availableAt || a.entry.enqueuedAt - b.entry.enqueuedAt)
        .slice(0, limit);
      return due.map((row) => {
        row.claimToken = claimToken;
        row.entry = { ...row.entry, availableAt: now.getTime() + leaseMs };
        return { ...row.entry, claimToken };
      });
    },

    async complete(claimed, now) {
      const row = held(claimed);
      if (row === undefined) return 'lost';
      if (row.entry.version !== claimed.version) {
        row.claimToken = undefined;
        row.entry = { ...row.entry, availableAt: now.getTime() };
        return 'superseded';
      }
      rows.delete(claimed.id);
      byKey.delete(keyOf(claimed));
      return 'deleted';
    },

    async retryLater(claimed, availableAt, error, countAttempt = true) {
      const row = held(claimed);
      if (row === undefined) return false;
      row.claimToken = undefined;
      row.entry = {
        ...row.entry,
        availableAt: availableAt.getTime(),
        attempts: row.entry.attempts + (countAttempt ? 1 : 0),
        lastError: error,
      };
      return true;
    },

    async remove(claimed) {
      const row = held(claimed);
      if (row === undefined) return false;
      rows.delete(claimed.id);
      byKey.delete(keyOf(claimed));
      return true;
    },

    async nextDueAt(lmsId) {
      let earliest: number | undefined;
      for (const row of rows.values())
        if (row.entry.lmsId === lmsId && (earliest === undefined || row.entry.availableAt < earliest))
          earliest = row.entry.availableAt;
      return earliest === undefined ? undefined : new Date(earliest);
    },

    async list(filter = {}) {
      return [...rows.values()]
        .map((row) => row.entry)
        .filter(
          (entry) =>
            (filter.lmsId === undefined || entry.lmsId === filter.lmsId) &&
            (filter.bindingId === undefined || entry.bindingId === filter.bindingId) &&
            (filter.lineItemId === undefined || entry.lineItemId === filter.lineItemId),
        )
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.id.localeCompare(b.id));
    },

    async removeLineItem(lineItemId) {
      let removed = 0;
      for (const [id, row] of rows) {
        if (row.entry.lineItemId !== lineItemId) continue;
        rows.delete(id);
        byKey.delete(keyOf(row.entry));
        removed++;
      }
      return removed;
    },
  };
}
