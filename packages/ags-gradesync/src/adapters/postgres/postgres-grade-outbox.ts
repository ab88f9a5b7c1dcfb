import { type GenerateId, randomId, type SqlClient } from '@passport/core';
import type { ClaimedEntry, GradeOutbox, NewOutboxEntry, OutboxEntry, ScorePost } from '../../ports.ts';
import { fromJson, toNumber } from './schema.ts';

type Row = Record<string, unknown>;

function toEntry(row: Row): OutboxEntry {
  return {
    id: String(row.id),
    lmsId: String(row.lms_id),
    contextId: String(row.context_id),
    bindingId: String(row.binding_id),
    runId: String(row.run_id),
    slot: String(row.slot),
    lineItemId: String(row.line_item_id),
    userId: String(row.user_id),
    learnerExternalId: String(row.learner_external_id),
    score: fromJson<ScorePost>(row.score),
    fingerprint: String(row.fingerprint),
    sourceUpdatedAt: toNumber(row.source_updated_at),
    ...(row.resend === true ? { resend: true } : {}),
    version: toNumber(row.version),
    attempts: toNumber(row.attempts),
    availableAt: toNumber(row.available_at),
    enqueuedAt: toNumber(row.enqueued_at),
    ...(row.last_error == null ? {} : { lastError: String(row.last_error) }),
  };
}

const chunkSize = 500;

/**
 * The outbox in PostgreSQL (or PGlite) over `SqlClient`: one row per (line item, user). Claims use
 * `FOR UPDATE SKIP LOCKED`, so processes that share the database never claim the same score; every settlement is
 * conditioned on the claim token, so a process whose lease ran out cannot settle a score another one holds.
 */
export function createPostgresGradeOutbox(
  sql: SqlClient,
  options: { generateId?: GenerateId } = {},
): GradeOutbox {
  const generateId = options.generateId ?? randomId;
  return {
    async enqueue(entries, now) {
      const outcome = { inserted: 0, replaced: 0, unchanged: 0 };
      // One statement per chunk; a (line item, user) twice in one chunk keeps the newest.
      const newest = new Map<string, NewOutboxEntry>();
      for (const entry of entries) {
        const key = `${entry.lineItemId}\u0000${entry.userId}`;
        const known = newest.get(key);
        if (known === undefined || known.sourceUpdatedAt <= entry.sourceUpdatedAt) newest.set(key, entry);
        else outcome.unchanged++;
      }
      const unique = [...newest.values()];
      for (let start = 0; start < unique.length; start += chunkSize) {
        const chunk = unique.slice(start, start + chunkSize).map((entry) => ({
          id: generateId(),
          lms_id: entry.lmsId,
          context_id: entry.contextId,
          binding_id: entry.bindingId,
          run_id: entry.runId,
          slot: entry.slot,
          line_item_id: entry.lineItemId,
          user_id: entry.userId,
          learner_external_id: entry.learnerExternalId,
          score: entry.score,
          fingerprint: entry.fingerprint,
          source_updated_at: entry.sourceUpdatedAt,
          resend: entry.resend === true,
        }));
        const { rows } = await sql.query<{ inserted: boolean }>(
          `insert into gradesync_outbox as existing (id, lms_id, context_id, binding_id, run_id, slot, line_item_id,
             user_id, learner_external_id, score, fingerprint, source_updated_at, resend, version, attempts,
             available_at, enqueued_at)
           select id, lms_id, context_id, binding_id, run_id, slot, line_item_id, user_id, learner_external_id, score,
             fingerprint, source_updated_at, resend, 1, 0, $2, $2
           from jsonb_to_recordset($1::jsonb) as incoming(id text, lms_id text, context_id text, binding_id text,
             run_id text, slot text, line_item_id text, user_id text, learner_external_id text, score jsonb,
             fingerprint text, source_updated_at bigint, resend boolean)
           on conflict (line_item_id, user_id) do update set
             lms_id = excluded.lms_id, context_id = excluded.context_id, binding_id = excluded.binding_id,
             run_id = excluded.run_id, slot = excluded.slot, learner_external_id = excluded.learner_external_id,
             score = excluded.score, fingerprint = excluded.fingerprint,
             source_updated_at = excluded.source_updated_at, resend = excluded.resend,
             version = existing.version + 1, attempts = 0
           where excluded.source_updated_at >= existing.source_updated_at
             and not (excluded.fingerprint = existing.fingerprint
               and excluded.score->>'timestamp' = existing.score->>'timestamp')
           returning (xmax = 0) as inserted`,
          [JSON.stringify(chunk), now.getTime()],
        );
        const inserted = rows.filter((row) => row.inserted).length;
        outcome.inserted += inserted;
        outcome.replaced += rows.length - inserted;
        outcome.unchanged += chunk.length - rows.length;
      }
      return outcome;
    },

    async claim(lmsId, { limit, leaseMs, now, claimToken }) {
      const { rows } = await sql.query<Row>(
        `update gradesync_outbox set available_at = $3, claim_token = $4
         where id in (
           select id from gradesync_outbox
           where lms_id = $1 and available_at <= $2
           order by available_at, enqueued_at, id
           limit $5
           for update skip locked)
         returning *`,
        [lmsId, now.getTime(), now.getTime() + leaseMs, claimToken, limit],
      );
      return rows
        .map((row): ClaimedEntry => ({ ...toEntry(row), claimToken }))
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.id.localeCompare(b.id));
    },

    async complete(entry, now) {
      const deleted = await sql.query(
        'delete from gradesync_outbox where id = $1 and claim_token = $2 and version = $3 returning id',
        [entry.id, entry.claimToken, entry.version],
      );
      if (deleted.rows.length > 0) return 'deleted';
      const released = await sql.query(
        'update gradesync_outbox set claim_token = null, available_at = $3 where id = $1 and claim_token = $2 returning id',
        [entry.id, entry.claimToken, now.getTime()],
      );
      return released.rows.length > 0 ? 'superseded' : 'lost';
    },

    async retryLater(entry, availableAt, error, countAttempt = true) {
      const { rows } = await sql.query(
        `update gradesync_outbox
         set claim_token = null, available_at = $3, attempts = attempts + $4, last_error = $5
         where id = $1 and claim_token = $2 returning id`,
        [entry.id, entry.claimToken, availableAt.getTime(), countAttempt ? 1 : 0, error],
      );
      return rows.length > 0;
    },

    async remove(entry) {
      const { rows } = await sql.query(
        'delete from gradesync_outbox where id = $1 and claim_token = $2 returning id',
        [entry.id, entry.claimToken],
      );
      return rows.length > 0;
    },

    async nextDueAt(lmsId) {
      const { rows } = await sql.query<{ due: unknown }>(
        'select min(available_at) as due from gradesync_outbox where lms_id = $1',
        [lmsId],
      );
      const due = rows[0]?.due;
      return due == null ? undefined : new Date(toNumber(due));
    },

    async list(filter = {}) {
      const { rows } = await sql.query<Row>(
        `select * from gradesync_outbox
         where ($1::text is null or lms_id = $1) and ($2::text is null or binding_id = $2)
           and ($3::text is null or line_item_id = $3)
         order by enqueued_at, id`,
        [filter.lmsId ?? null, filter.bindingId ?? null, filter.lineItemId ?? null],
      );
      return rows.map(toEntry);
    },

    async removeLineItem(lineItemId) {
      const { rows } = await sql.query('delete from gradesync_outbox where line_item_id = $1 returning id', [
        lineItemId,
      ]);
      return rows.length;
    },
  };
}
