import type { Clock, SqlClient } from '@passport/core';
import type {
  ContextMember,
  ContextRecord,
  Gradebook,
  LineItemRecord,
  MembershipSource,
  ScoreRecord,
} from '@passport/lti13';
import type { LmsStore } from './lms-store.ts';

/*
 * The two platform ports @passport/lti13 leaves to the host: the gradebook (AGS line items and scores) on the demo
 * LMS's tables, and the course members (NRPS) from its enrollments.
 */

export const roleUris = {
  teacher: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  student: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
} as const;

interface LineItemRow {
  id: string;
  context_id: string;
  client_id: string;
  label: string;
  score_maximum: number | string;
  resource_link_id: string | null;
  resource_id: string | null;
  tag: string | null;
  start_date_time: string | null;
  end_date_time: string | null;
  grades_released: boolean | null;
  extensions: unknown;
}

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function lineItemFromRow(row: LineItemRow): LineItemRecord {
  const extensions = parseJson(row.extensions) as Record<string, unknown> | null;
  return {
    id: row.id,
    contextId: row.context_id,
    clientId: row.client_id,
    label: row.label,
    scoreMaximum: Number(row.score_maximum),
    ...(row.resource_link_id === null ? {} : { resourceLinkId: row.resource_link_id }),
    ...(row.resource_id === null ? {} : { resourceId: row.resource_id }),
    ...(row.tag === null ? {} : { tag: row.tag }),
    ...(row.start_date_time === null ? {} : { startDateTime: row.start_date_time }),
    ...(row.end_date_time === null ? {} : { endDateTime: row.end_date_time }),
    ...(row.grades_released === null ? {} : { gradesReleased: row.grades_released }),
    ...(extensions === null ? {} : { extensions }),
  };
}

interface ScoreRow {
  line_item_id: string;
  user_id: string;
  score_given: number | string | null;
  score_maximum: number | string | null;
  comment: string | null;
  activity_progress: string;
  grading_progress: string;
  timestamp: string;
  extensions: unknown;
  received_at: Date;
}

function scoreFromRow(row: ScoreRow): ScoreRecord {
  const extensions = parseJson(row.extensions) as Record<string, unknown> | null;
  return {
    lineItemId: row.line_item_id,
    userId: row.user_id,
    ...(row.score_given === null ? {} : { scoreGiven: Number(row.score_given) }),
    ...(row.score_maximum === null ? {} : { scoreMaximum: Number(row.score_maximum) }),
    ...(row.comment === null ? {} : { comment: row.comment }),
    activityProgress: row.activity_progress,
    gradingProgress: row.grading_progress,
    timestamp: row.timestamp,
    ...(extensions === null ? {} : { extensions }),
  };
}

/** A score as the gradebook page shows it: the AGS score and when the LMS received it. */
export interface ReceivedScore extends ScoreRecord {
  readonly receivedAt: Date;
}

export interface LmsGradebook extends Gradebook {
  /** Every score of the course's line items, with the time each was received. */
  listCourseScores(contextId: string): Promise<ReceivedScore[]>;
}

export function createLmsGradebook(sql: SqlClient, clock: Clock): LmsGradebook {
  return {
    async listLineItems(contextId) {
      const { rows } = await sql.query<LineItemRow>(
        'SELECT * FROM demo_lms_line_items WHERE context_id = $1 ORDER BY created_at, id',
        [contextId],
      );
      return rows.map(lineItemFromRow);
    },
    async getLineItem(contextId, id) {
      const { rows } = await sql.query<LineItemRow>(
        'SELECT * FROM demo_lms_line_items WHERE context_id = $1 AND id = $2',
        [contextId, id],
      );
      return rows[0] === undefined ? undefined : lineItemFromRow(rows[0]);
    },
    async saveLineItem(lineItem) {
      await sql.query(
        `INSERT INTO demo_lms_line_items (id, context_id, client_id, label, score_maximum, resource_link_id,
           resource_id, tag, start_date_time, end_date_time, grades_released, extensions, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)
         ON CONFLICT (id) DO UPDATE SET label = EXCLUDED.label, score_maximum = EXCLUDED.score_maximum,
           resource_link_id = EXCLUDED.resource_link_id, resource_id = EXCLUDED.resource_id, tag = EXCLUDED.tag,
           start_date_time = EXCLUDED.start_date_time, end_date_time = EXCLUDED.end_date_time,
           grades_released = EXCLUDED.grades_released, extensions = EXCLUDED.extensions`,
        [
          lineItem.id,
          lineItem.contextId,
          lineItem.clientId,
          lineItem.label,
          lineItem.scoreMaximum,
          lineItem.resourceLinkId ?? null,
          lineItem.resourceId ?? null,
          lineItem.tag ?? null,
          lineItem.startDateTime ?? null,
          lineItem.endDateTime ?? null,
          lineItem.gradesReleased ?? null,
          lineItem.extensions === undefined ? null : JSON.stringify(lineItem.extensions),
          clock.now(),
        ],
      );
    },
    async removeLineItem(contextId, id) {
      const { rows } = await sql.query(
        'DELETE FROM demo_lms_line_items WHERE context_id = $1 AND id = $2 RETURNING id',
        [contextId, id],
      );
      return rows.length > 0;
    },
    async listScores(lineItemId) {
      const { rows } = await sql.query<ScoreRow>(
        'SELECT * FROM demo_lms_scores WHERE line_item_id = $1 ORDER BY user_id',
        [lineItemId],
      );
      return rows.map(scoreFromRow);
    },
    async getScore(lineItemId, userId) {
      const { rows } = await sql.query<ScoreRow>(
        'SELECT * FROM demo_lms_scores WHERE line_item_id = $1 AND user_id = $2',
        [lineItemId, userId],
      );
      return rows[0] === undefined ? undefined : scoreFromRow(rows[0]);
    },
    async saveScore(score) {
      await sql.query(
        `INSERT INTO demo_lms_scores (line_item_id, user_id, score_given, score_maximum, comment, activity_progress,
           grading_progress, timestamp, extensions, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
         ON CONFLICT (line_item_id, user_id) DO UPDATE SET score_given = EXCLUDED.score_given,
           score_maximum = EXCLUDED.score_maximum, comment = EXCLUDED.comment,
           activity_progress = EXCLUDED.activity_progress, grading_progress = EXCLUDED.grading_progress,
           timestamp = EXCLUDED.timestamp, extensions = EXCLUDED.extensions, received_at = EXCLUDED.received_at`,
        [
          score.lineItemId,
          score.userId,
          score.scoreGiven ?? null,
          score.scoreMaximum ?? null,
          score.comment ?? null,
          score.activityProgress,
          score.gradingProgress,
          score.timestamp,
          score.extensions === undefined ? null : JSON.stringify(score.extensions),
          clock.now(),
        ],
      );
    },
    async listCourseScores(contextId) {
      const { rows } = await sql.query<ScoreRow>(
        `SELECT s.* FROM demo_lms_scores s JOIN demo_lms_line_items l ON l.id = s.line_item_id
          WHERE l.context_id = $1`,
        [contextId],
      );
      return rows.map((row) => ({
        ...scoreFromRow(row),
        receivedAt: row.received_at instanceof Date ? row.received_at : new Date(String(row.received_at)),
      }));
    },
  };
}

/** Course members for the names and roles service: every enrollment, with the roster's names and sourcedId. */
export function createLmsMembershipSource(store: LmsStore): MembershipSource {
  return {
    async getContext(contextId): Promise<ContextRecord | undefined> {
      const course = await store.getCourse(contextId);
      if (course === undefined) return undefined;
      return {
        id: course.id,
        title: course.title,
        ...(course.code === undefined ? {} : { label: course.code }),
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection'],
      };
    },
    async listMembers(contextId): Promise<ContextMember[]> {
      const enrollments = await store.listEnrollments(contextId);
      return enrollments.map(({ user, role, updatedAt }) => ({
        userId: user.id,
        roles: [roleUris[role]],
        status: 'Active',
        name: `${user.givenName} ${user.familyName}`,
        givenName: user.givenName,
        familyName: user.familyName,
        ...(user.email === undefined ? {} : { email: user.email }),
        lisPersonSourcedId: user.id,
        updatedAt,
      }));
    },
  };
}
