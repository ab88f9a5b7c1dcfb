import type { SqlClient } from '@passport/core';
import type { CircuitBreakerStore, CircuitRecord } from '../../ports.ts';
import { toNumber } from './schema.ts';

interface Row {
  readonly state: string;
  readonly failures: number;
  readonly opened_at: unknown;
  readonly probe_until: unknown;
  readonly version: number;
}

function toRecord(row: Row): CircuitRecord {
  return {
    state: row.state === 'open' ? 'open' : 'closed',
    failures: Number(row.failures),
    ...(row.opened_at === null ? {} : { openedAt: toNumber(row.opened_at) }),
    ...(row.probe_until === null ? {} : { probeUntil: toNumber(row.probe_until) }),
  };
}

/**
 * Circuit breakers in PostgreSQL (or PGlite) over `SqlClient`, shared by every process on the database: the first
 * write of an LMS is an insert that a concurrent one cannot repeat, every later one an update conditioned on the
 * version it read.
 */
export function createPostgresCircuitBreakerStore(sql: SqlClient): CircuitBreakerStore {
  return {
    async read(lmsId) {
      const { rows } = await sql.query<Row>(
        'select state, failures, opened_at, probe_until, version from gradesync_circuits where lms_id = $1',
        [lmsId],
      );
      const row = rows[0];
      return row === undefined ? undefined : { record: toRecord(row), version: Number(row.version) };
    },
    async write(lmsId, record, expectedVersion) {
      const values = [
        lmsId,
        record.state,
        record.failures,
        record.openedAt ?? null,
        record.probeUntil ?? null,
      ];
      const { rows } =
        expectedVersion === 0
          ? await sql.query<{ version: number }>(
              `insert into gradesync_circuits (lms_id, state, failures, opened_at, probe_until, version)
               values ($1, $2, $3, $4, $5, 1)
               on conflict (lms_id) do nothing
               returning version`,
              values,
            )
          : await sql.query<{ version: number }>(
              `update gradesync_circuits
               set state = $2, failures = $3, opened_at = $4, probe_until = $5, version = version + 1
               where lms_id = $1 and version = $6
               returning version`,
              [...values, expectedVersion],
            );
      return rows[0] === undefined ? undefined : Number(rows[0].version);
    },
  };
}
