import type { SqlClient } from '@passport/core';
import type { PartnerAssignment, PartnerGradebookStore, PartnerSubmission } from '../../ports.ts';
import { fromJson } from './schema.ts';

type Stored<Value> = Omit<Value, 'createdAt' | 'updatedAt'> & { createdAt?: string; updatedAt: string };

const toAssignment = (value: unknown): PartnerAssignment => {
  const stored = fromJson<Stored<PartnerAssignment>>(value);
  return { ...stored, createdAt: new Date(stored.createdAt!), updatedAt: new Date(stored.updatedAt) };
};
const toSubmission = (value: unknown): PartnerSubmission => {
  const stored = fromJson<Stored<PartnerSubmission>>(value);
  return { ...stored, updatedAt: new Date(stored.updatedAt) };
};

/** Partner assignments and submissions in PostgreSQL (or PGlite) over `SqlClient`. */
export function createPostgresPartnerStore(sql: SqlClient): PartnerGradebookStore {
  return {
    async saveAssignment(assignment) {
      await sql.query(
        `insert into gradesync_partner_assignments (id, app_id, class_id, created_at, assignment)
         values ($1, $2, $3, $4, $5::jsonb)
         on conflict (id) do update set assignment = excluded.assignment`,
        [
          assignment.id,
          assignment.appId,
          assignment.classId,
          assignment.createdAt.getTime(),
          JSON.stringify(assignment),
        ],
      );
    },
    async getAssignment(id) {
      const { rows } = await sql.query<{ assignment: unknown }>(
        'select assignment from gradesync_partner_assignments where id = $1',
        [id],
      );
      return rows[0] === undefined ? undefined : toAssignment(rows[0].assignment);
    },
    async listAssignments(filter) {
      const { rows } = await sql.query<{ assignment: unknown }>(
        `select assignment from gradesync_partner_assignments
         where app_id = $1 and ($2::text is null or class_id = $2) order by created_at, id`,
        [filter.appId, filter.classId ?? null],
      );
      return rows.map((row) => toAssignment(row.assignment));
    },
    async saveSubmission(submission) {
      await sql.query(
        `insert into gradesync_partner_submissions (assignment_id, user_id, submission) values ($1, $2, $3::jsonb)
         on conflict (assignment_id, user_id) do update set submission = excluded.submission`,
        [submission.assignmentId, submission.userId, JSON.stringify(submission)],
      );
    },
    async listSubmissions(assignmentId) {
      const { rows } = await sql.query<{ submission: unknown }>(
        'select submission from gradesync_partner_submissions where assignment_id = $1 order by user_id',
        [assignmentId],
      );
      return rows.map((row) => toSubmission(row.submission));
    },
  };
}
