import type { SqlClient } from '@passport/core';
import type { AuditEntry, AuditKind, AuditLog, RunRecord } from '../../ports.ts';
import { fromJson, toNumber } from './schema.ts';

type Row = Record<string, unknown>;

const optional = (value: unknown) => (value == null ? undefined : String(value));

function toEntry(row: Row): AuditEntry {
  const entry: AuditEntry = {
    key: String(row.key),
    at: new Date(toNumber(row.at)),
    kind: String(row.kind) as AuditKind,
    lmsId: String(row.lms_id),
    detail: fromJson<Record<string, unknown>>(row.detail),
  };
  const fields = {
    bindingId: optional(row.binding_id),
    runId: optional(row.run_id),
    lineItemId: optional(row.line_item_id),
    userId: optional(row.user_id),
    actor: optional(row.actor),
  };
  return {
    ...entry,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

interface StoredRun extends Omit<RunRecord, 'startedAt' | 'finishedAt'> {
  startedAt: string;
  finishedAt?: string;
}

function toRun(value: unknown): RunRecord {
  const stored = fromJson<StoredRun>(value);
  const { startedAt, finishedAt, ...rest } = stored;
  return {
    ...rest,
    startedAt: new Date(startedAt),
    ...(finishedAt === undefined ? {} : { finishedAt: new Date(finishedAt) }),
  };
}

/** The audit log and run records in PostgreSQL (or PGlite) over `SqlClient`, in append order. */
export function createPostgresAuditLog(sql: SqlClient): AuditLog {
  return {
    async append(entry) {
      const { rows } = await sql.query(
        `insert into gradesync_audit (key, at, kind, lms_id, binding_id, run_id, line_item_id, user_id, actor, detail)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) on conflict (key) do nothing returning key`,
        [
          entry.key,
          entry.at.getTime(),
          entry.kind,
          entry.lmsId,
          entry.bindingId ?? null,
          entry.runId ?? null,
          entry.lineItemId ?? null,
          entry.userId ?? null,
          entry.actor ?? null,
          JSON.stringify(entry.detail),
        ],
      );
      return rows.length > 0;
    },
    async list(filter = {}) {
      const { rows } = await sql.query<Row>(
        `select * from gradesync_audit
         where ($1::text is null or lms_id = $1) and ($2::text is null or binding_id = $2)
           and ($3::text is null or run_id = $3) and ($4::text is null or kind = $4)
           and ($5::text is null or line_item_id = $5) and ($6::text is null or user_id = $6)
         order by seq`,
        [
          filter.lmsId ?? null,
          filter.bindingId ?? null,
          filter.runId ?? null,
          filter.kind ?? null,
          filter.lineItemId ?? null,
          filter.userId ?? null,
        ],
      );
      return rows.map(toEntry);
    },
    async saveRun(run) {
      await sql.query(
        `insert into gradesync_runs (id, tenant_id, binding_id, started_at, run) values ($1, $2, $3, $4, $5::jsonb)
         on conflict (id) do update set run = excluded.run`,
        [run.id, run.tenantId, run.bindingId, run.startedAt.getTime(), JSON.stringify(run)],
      );
    },
    async getRun(id) {
      const { rows } = await sql.query<{ run: unknown }>('select run from gradesync_runs where id = $1', [
        id,
      ]);
      return rows[0] === undefined ? undefined : toRun(rows[0].run);
    },
    async listRuns(filter = {}) {
      const { rows } = await sql.query<{ run: unknown }>(
        `select run from gradesync_runs
         where ($1::text is null or binding_id = $1) and ($2::text is null or tenant_id = $2)
         order by started_at desc, id desc limit $3`,
        [filter.bindingId ?? null, filter.tenantId ?? null, filter.limit ?? null],
      );
      return rows.map((row) => toRun(row.run));
    },
  };
}
