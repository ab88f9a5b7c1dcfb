import type { SqlClient } from '@passport/core';
import type { DeadLetter, DeadLetterReason, DeadLetters, OutboxEntry } from '../../ports.ts';
import { fromJson, toNumber } from './schema.ts';

type Row = Record<string, unknown>;

const toLetter = (row: Row): DeadLetter => ({
  id: String(row.id),
  entry: fromJson<OutboxEntry>(row.entry),
  reason: String(row.reason) as DeadLetterReason,
  message: String(row.message),
  failedAt: new Date(toNumber(row.failed_at)),
});

/** Dead letters in PostgreSQL (or PGlite) over `SqlClient`. */
export function createPostgresDeadLetters(sql: SqlClient): DeadLetters {
  return {
    async add(letter) {
      const { rows } = await sql.query(
        `insert into gradesync_dead_letters (id, lms_id, binding_id, run_id, entry, reason, message, failed_at)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) on conflict (id) do nothing returning id`,
        [
          letter.id,
          letter.entry.lmsId,
          letter.entry.bindingId,
          letter.entry.runId,
          JSON.stringify(letter.entry),
          letter.reason,
          letter.message,
          letter.failedAt.getTime(),
        ],
      );
      return rows.length > 0;
    },
    async list(filter = {}) {
      const { rows } = await sql.query<Row>(
        `select * from gradesync_dead_letters
         where ($1::text is null or lms_id = $1) and ($2::text is null or binding_id = $2)
           and ($3::text is null or run_id = $3)
         order by failed_at, id`,
        [filter.lmsId ?? null, filter.bindingId ?? null, filter.runId ?? null],
      );
      return rows.map(toLetter);
    },
    async take(id) {
      const { rows } = await sql.query<Row>('delete from gradesync_dead_letters where id = $1 returning *', [
        id,
      ]);
      return rows[0] === undefined ? undefined : toLetter(rows[0]);
    },
  };
}
