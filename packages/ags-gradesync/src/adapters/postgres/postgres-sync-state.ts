import type { SqlClient } from '@passport/core';
import type { CourseBinding, LineItemSlot, ScorePost, SentScore, SyncMode, SyncState } from '../../ports.ts';
import { fromJson, toNumber } from './schema.ts';

type Row = Record<string, unknown>;

function toSent(row: Row): SentScore {
  return {
    lineItemId: String(row.line_item_id),
    userId: String(row.user_id),
    fingerprint: String(row.fingerprint),
    scoreTimestamp: toNumber(row.score_timestamp),
    sourceUpdatedAt: toNumber(row.source_updated_at),
    score: fromJson<ScorePost>(row.score),
    sentAt: toNumber(row.sent_at),
  };
}

function toSlot(row: Row): LineItemSlot {
  return {
    bindingId: String(row.binding_id),
    slot: String(row.slot),
    lineItemId: String(row.line_item_id),
    scoreMaximum: Number(row.score_maximum),
    createdByEngine: row.created_by_engine === true,
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** Sync state in PostgreSQL (or PGlite) over `SqlClient`. Leases are a conditional upsert: one holder at a time. */
export function createPostgresSyncState(sql: SqlClient): SyncState {
  return {
    async sentScores(lineItemIds) {
      const answer = new Map<string, Map<string, SentScore>>();
      for (const lineItemId of lineItemIds) answer.set(lineItemId, new Map());
      if (lineItemIds.length === 0) return answer;
      const { rows } = await sql.query<Row>(
        'select * from gradesync_sent where line_item_id = any($1::text[])',
        [[...lineItemIds]],
      );
      for (const row of rows) {
        const sent = toSent(row);
        answer.get(sent.lineItemId)?.set(sent.userId, sent);
      }
      return answer;
    },
    async sentScore(lineItemId, userId) {
      const { rows } = await sql.query<Row>(
        'select * from gradesync_sent where line_item_id = $1 and user_id = $2',
        [lineItemId, userId],
      );
      return rows[0] === undefined ? undefined : toSent(rows[0]);
    },
    async recordSent(score) {
      await sql.query(
        `insert into gradesync_sent as existing
           (line_item_id, user_id, fingerprint, score_timestamp, source_updated_at, score, sent_at)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7)
         on conflict (line_item_id, user_id) do update set
           fingerprint = excluded.fingerprint, score_timestamp = excluded.score_timestamp,
           source_updated_at = excluded.source_updated_at, score = excluded.score, sent_at = excluded.sent_at
         where excluded.source_updated_at >= existing.source_updated_at`,
        [
          score.lineItemId,
          score.userId,
          score.fingerprint,
          score.scoreTimestamp,
          score.sourceUpdatedAt,
          JSON.stringify(score.score),
          score.sentAt,
        ],
      );
    },
    async forgetLineItem(lineItemId) {
      const { rows } = await sql.query(
        'delete from gradesync_sent where line_item_id = $1 returning user_id',
        [lineItemId],
      );
      return rows.length;
    },

    async getWatermark(key) {
      const { rows } = await sql.query<{ value: string }>(
        'select value from gradesync_watermarks where key = $1',
        [key],
      );
      return rows[0]?.value;
    },
    async setWatermark(key, value) {
      await sql.query(
        `insert into gradesync_watermarks (key, value) values ($1, $2)
         on conflict (key) do update set value = excluded.value`,
        [key, value],
      );
    },
    async clearWatermarks(prefix) {
      const { rows } = await sql.query(
        "delete from gradesync_watermarks where key like $1 escape '\\' returning key",
        [`${escapeLike(prefix)}%`],
      );
      return rows.length;
    },

    async saveBinding(binding) {
      await sql.query(
        `insert into gradesync_bindings (id, tenant_id, lms_id, binding) values ($1, $2, $3, $4::jsonb)
         on conflict (id) do update set tenant_id = excluded.tenant_id, lms_id = excluded.lms_id,
           binding = excluded.binding`,
        [binding.id, binding.tenantId, binding.lmsId, JSON.stringify(binding)],
      );
    },
    async getBinding(id) {
      const { rows } = await sql.query<{ binding: unknown }>(
        'select binding from gradesync_bindings where id = $1',
        [id],
      );
      return rows[0] === undefined ? undefined : fromJson<CourseBinding>(rows[0].binding);
    },
    async listBindings(filter = {}) {
      const { rows } = await sql.query<{ binding: unknown }>(
        `select binding from gradesync_bindings
         where ($1::text is null or tenant_id = $1) and ($2::text is null or lms_id = $2) order by id`,
        [filter.tenantId ?? null, filter.lmsId ?? null],
      );
      return rows.map((row) => fromJson<CourseBinding>(row.binding));
    },

    async getMode(lmsId) {
      const { rows } = await sql.query<{ mode: string }>(
        'select mode from gradesync_modes where lms_id = $1',
        [lmsId],
      );
      return rows[0]?.mode as SyncMode | undefined;
    },
    async setMode(lmsId, mode) {
      await sql.query(
        `insert into gradesync_modes (lms_id, mode) values ($1, $2)
         on conflict (lms_id) do update set mode = excluded.mode`,
        [lmsId, mode],
      );
    },

    async lineItemSlots(bindingId) {
      const { rows } = await sql.query<Row>(
        'select * from gradesync_line_item_slots where binding_id = $1 order by slot',
        [bindingId],
      );
      return rows.map(toSlot);
    },
    async saveLineItemSlot(slot) {
      await sql.query(
        `insert into gradesync_line_item_slots (binding_id, slot, line_item_id, score_maximum, created_by_engine)
         values ($1, $2, $3, $4, $5)
         on conflict (binding_id, slot) do update set line_item_id = excluded.line_item_id,
           score_maximum = excluded.score_maximum, created_by_engine = excluded.created_by_engine`,
        [slot.bindingId, slot.slot, slot.lineItemId, slot.scoreMaximum, slot.createdByEngine],
      );
    },
    async removeLineItemSlot(bindingId, slot) {
      const { rows } = await sql.query(
        'delete from gradesync_line_item_slots where binding_id = $1 and slot = $2 returning slot',
        [bindingId, slot],
      );
      return rows.length > 0;
    },

    async acquireLease(key, owner, until, now) {
      const { rows } = await sql.query(
        `insert into gradesync_leases as held (key, owner, until) values ($1, $2, $3)
         on conflict (key) do update set owner = excluded.owner, until = excluded.until
         where held.owner = excluded.owner or held.until <= $4
         returning key`,
        [key, owner, until.getTime(), now.getTime()],
      );
      return rows.length > 0;
    },
    async releaseLease(key, owner) {
      await sql.query('delete from gradesync_leases where key = $1 and owner = $2', [key, owner]);
    },
  };
}
