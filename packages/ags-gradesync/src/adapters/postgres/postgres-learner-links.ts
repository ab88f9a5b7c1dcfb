import type { SqlClient } from '@passport/core';
import type { AccountLink, LaunchRecord, LearnerLinks } from '../../ports.ts';
import { toNumber } from './schema.ts';

type Row = Record<string, unknown>;

/** Launches and account links in PostgreSQL (or PGlite) over `SqlClient`. */
export function createPostgresLearnerLinks(sql: SqlClient): LearnerLinks {
  return {
    async recordLaunch(launch) {
      await sql.query(
        `insert into gradesync_launches (lms_id, user_id, email, sourced_id, at) values ($1, $2, $3, $4, $5)
         on conflict (lms_id, user_id) do update set email = excluded.email, sourced_id = excluded.sourced_id,
           at = excluded.at`,
        [launch.lmsId, launch.userId, launch.email ?? null, launch.sourcedId ?? null, launch.at.getTime()],
      );
    },
    async recordAccountLink(link) {
      await sql.query(
        `insert into gradesync_account_links (lms_id, platform, external_id, user_id, at) values ($1, $2, $3, $4, $5)
         on conflict (lms_id, platform, external_id) do update set user_id = excluded.user_id, at = excluded.at`,
        [link.lmsId, link.platform, link.externalId, link.userId, link.at.getTime()],
      );
    },
    async listLaunches(lmsId) {
      const { rows } = await sql.query<Row>(
        'select * from gradesync_launches where lms_id = $1 order by user_id',
        [lmsId],
      );
      return rows.map(
        (row): LaunchRecord => ({
          lmsId: String(row.lms_id),
          userId: String(row.user_id),
          ...(row.email == null ? {} : { email: String(row.email) }),
          ...(row.sourced_id == null ? {} : { sourcedId: String(row.sourced_id) }),
          at: new Date(toNumber(row.at)),
        }),
      );
    },
    async listAccountLinks(lmsId, platform) {
      const { rows } = await sql.query<Row>(
        'select * from gradesync_account_links where lms_id = $1 and platform = $2 order by external_id',
        [lmsId, platform],
      );
      return rows.map(
        (row): AccountLink => ({
          lmsId: String(row.lms_id),
          userId: String(row.user_id),
          platform: String(row.platform),
          externalId: String(row.external_id),
          at: new Date(toNumber(row.at)),
        }),
      );
    },
  };
}
