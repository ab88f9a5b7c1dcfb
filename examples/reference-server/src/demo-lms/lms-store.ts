import type { SqlClient } from '@passport/core';

/*
 * The demo LMS's own rows (migration 0003_demo_lms): users, courses, enrollments, sessions and activities. Plain
 * SQL through the server's SqlClient, the same on PGlite and PostgreSQL.
 */

type LmsRole = 'teacher' | 'student' | 'administrator';
export type CourseRole = 'teacher' | 'student';

export interface LmsUser {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string | undefined;
  readonly username: string | undefined;
  readonly role: LmsRole;
}

export interface LmsCourse {
  readonly id: string;
  readonly title: string;
  readonly code: string | undefined;
  readonly schoolId: string | undefined;
}

export interface LmsEnrollment {
  readonly user: LmsUser;
  readonly role: CourseRole;
  readonly updatedAt: Date;
}

export interface LmsActivity {
  readonly id: string;
  readonly courseId: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly title: string;
  readonly text: string | undefined;
  readonly url: string | undefined;
  readonly custom: Readonly<Record<string, string>> | undefined;
  readonly lineItemId: string | undefined;
  readonly createdAt: Date;
}

export interface LmsSession {
  readonly user: LmsUser;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** The one administrator of the demo LMS (not a roster user: rosters have no LMS administrators). */
export const lmsAdministrator: LmsUser = {
  id: 'demo-lms-admin',
  givenName: 'LMS',
  familyName: 'Administrator',
  email: undefined,
  username: 'admin',
  role: 'administrator',
};

interface UserRow {
  id: string;
  given_name: string;
  family_name: string;
  email: string | null;
  username: string | null;
  role: LmsRole;
}

const userFromRow = (row: UserRow): LmsUser => ({
  id: row.id,
  givenName: row.given_name,
  familyName: row.family_name,
  email: row.email ?? undefined,
  username: row.username ?? undefined,
  role: row.role,
});

interface CourseRow {
  id: string;
  title: string;
  code: string | null;
  school_id: string | null;
}

const courseFromRow = (row: CourseRow): LmsCourse => ({
  id: row.id,
  title: row.title,
  code: row.code ?? undefined,
  schoolId: row.school_id ?? undefined,
});

interface ActivityRow {
  id: string;
  course_id: string;
  client_id: string;
  deployment_id: string;
  title: string;
  text: string | null;
  url: string | null;
  custom: unknown;
  line_item_id: string | null;
  created_at: Date;
}

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

const activityFromRow = (row: ActivityRow): LmsActivity => ({
  id: row.id,
  courseId: row.course_id,
  clientId: row.client_id,
  deploymentId: row.deployment_id,
  title: row.title,
  text: row.text ?? undefined,
  url: row.url ?? undefined,
  custom: (parseJson(row.custom) as Record<string, string> | null) ?? undefined,
  lineItemId: row.line_item_id ?? undefined,
  createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
});

/** Rows per multi-row INSERT: well under PostgreSQL's 65535 bind parameters. */
const batchSize = 500;

/** Inserts rows in batches of one statement each; `columns` name the table's columns in row order. */
async function insertRows(
  sql: SqlClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  conflict: string,
): Promise<void> {
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const values = batch
      .map(
        (_, rowIndex) =>
          `(${columns.map((_, columnIndex) => `$${rowIndex * columns.length + columnIndex + 1}`).join(', ')})`,
      )
      .join(', ');
    await sql.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${conflict}`,
      batch.flat(),
    );
  }
}

export interface LmsStore {
  /** Adds users, courses and enrollments, replacing what is there with the same ids. */
  upsertRoster(input: {
    tenantId: string;
    users: readonly LmsUser[];
    courses: readonly LmsCourse[];
    enrollments: readonly { courseId: string; userId: string; role: CourseRole }[];
  }): Promise<void>;
  countCourses(): Promise<number>;
  listCourses(): Promise<LmsCourse[]>;
  getCourse(id: string): Promise<LmsCourse | undefined>;
  getUser(id: string): Promise<LmsUser | undefined>;
  saveUser(user: LmsUser): Promise<void>;
  /** The course's members with their roles, teachers first, then by family and given name. */
  listEnrollments(courseId: string): Promise<LmsEnrollment[]>;
  getEnrollment(courseId: string, userId: string): Promise<CourseRole | undefined>;
  /** The courses a user is enrolled in, with the role. */
  coursesOf(userId: string): Promise<Array<LmsCourse & { role: CourseRole }>>;
  createSession(session: { id: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void>;
  getSession(id: string, now: Date): Promise<LmsSession | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Deletes sessions that expired before `before`; resolves how many. */
  deleteExpiredSessions(before: Date): Promise<number>;
  saveActivity(activity: LmsActivity): Promise<void>;
  listActivities(courseId: string): Promise<LmsActivity[]>;
  getActivity(courseId: string, id: string): Promise<LmsActivity | undefined>;
}

export function createLmsStore(sql: SqlClient): LmsStore {
  return {
    async upsertRoster({ tenantId, users, courses, enrollments }) {
      await insertRows(
        sql,
        'demo_lms_users',
        ['id', 'tenant_id', 'given_name', 'family_name', 'email', 'username', 'role'],
        users.map((user) => [
          user.id,
          tenantId,
          user.givenName,
          user.familyName,
          user.email ?? null,
          user.username ?? null,
          user.role,
        ]),
        `ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, given_name = EXCLUDED.given_name,
           family_name = EXCLUDED.family_name, email = EXCLUDED.email, username = EXCLUDED.username, role = EXCLUDED.role`,
      );
      await insertRows(
        sql,
        'demo_lms_courses',
        ['id', 'tenant_id', 'title', 'code', 'school_id'],
        courses.map((course) => [
          course.id,
          tenantId,
          course.title,
          course.code ?? null,
          course.schoolId ?? null,
        ]),
        `ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, title = EXCLUDED.title, code = EXCLUDED.code,
           school_id = EXCLUDED.school_id`,
      );
      await insertRows(
        sql,
        'demo_lms_enrollments',
        ['course_id', 'user_id', 'role'],
        enrollments.map((enrollment) => [enrollment.courseId, enrollment.userId, enrollment.role]),
        `ON CONFLICT (course_id, user_id) DO UPDATE SET role = EXCLUDED.role,
           updated_at = CASE WHEN demo_lms_enrollments.role = EXCLUDED.role THEN demo_lms_enrollments.updated_at ELSE now() END`,
      );
    },
    async countCourses() {
      const { rows } = await sql.query<{ count: string | number }>(
        'SELECT count(*) AS count FROM demo_lms_courses',
      );
      return Number(rows[0]?.count ?? 0);
    },
    async listCourses() {
      const { rows } = await sql.query<CourseRow>(
        'SELECT id, title, code, school_id FROM demo_lms_courses ORDER BY title, id',
      );
      return rows.map(courseFromRow);
    },
    async getCourse(id) {
      const { rows } = await sql.query<CourseRow>(
        'SELECT id, title, code, school_id FROM demo_lms_courses WHERE id = $1',
        [id],
      );
      return rows[0] === undefined ? undefined : courseFromRow(rows[0]);
    },
    async getUser(id) {
      const { rows } = await sql.query<UserRow>(
        'SELECT id, given_name, family_name, email, username, role FROM demo_lms_users WHERE id = $1',
        [id],
      );
      return rows[0] === undefined ? undefined : userFromRow(rows[0]);
    },
    async saveUser(user) {
      await sql.query(
        `INSERT INTO demo_lms_users (id, given_name, family_name, email, username, role)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name,
           email = EXCLUDED.email, username = EXCLUDED.username, role = EXCLUDED.role`,
        [user.id, user.givenName, user.familyName, user.email ?? null, user.username ?? null, user.role],
      );
    },
    async listEnrollments(courseId) {
      const { rows } = await sql.query<UserRow & { course_role: CourseRole; updated_at: Date }>(
        `SELECT u.id, u.given_name, u.family_name, u.email, u.username, u.role, e.role AS course_role, e.updated_at
           FROM demo_lms_enrollments e JOIN demo_lms_users u ON u.id = e.user_id
          WHERE e.course_id = $1
          ORDER BY CASE e.role WHEN 'teacher' THEN 0 ELSE 1 END, u.family_name, u.given_name, u.id`,
        [courseId],
      );
      return rows.map((row) => ({
        user: userFromRow(row),
        role: row.course_role,
        updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(String(row.updated_at)),
      }));
    },
    async getEnrollment(courseId, userId) {
      const { rows } = await sql.query<{ role: CourseRole }>(
        'SELECT role FROM demo_lms_enrollments WHERE course_id = $1 AND user_id = $2',
        [courseId, userId],
      );
      return rows[0]?.role;
    },
    async coursesOf(userId) {
      const { rows } = await sql.query<CourseRow & { role: CourseRole }>(
        `SELECT c.id, c.title, c.code, c.school_id, e.role
           FROM demo_lms_enrollments e JOIN demo_lms_courses c ON c.id = e.course_id
          WHERE e.user_id = $1 ORDER BY c.title, c.id`,
        [userId],
      );
      return rows.map((row) => ({ ...courseFromRow(row), role: row.role }));
    },
    async createSession(session) {
      await sql.query(
        'INSERT INTO demo_lms_sessions (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
        [session.id, session.userId, session.csrfToken, session.expiresAt],
      );
    },
    async getSession(id, now) {
      const { rows } = await sql.query<UserRow & { csrf_token: string; expires_at: Date }>(
        `SELECT u.id, u.given_name, u.family_name, u.email, u.username, u.role, s.csrf_token, s.expires_at
           FROM demo_lms_sessions s JOIN demo_lms_users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.expires_at > $2`,
        [id, now],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : { user: userFromRow(row), csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at) };
    },
    async deleteSession(id) {
      await sql.query('DELETE FROM demo_lms_sessions WHERE id = $1', [id]);
    },
    async deleteExpiredSessions(before) {
      const { rows } = await sql.query('DELETE FROM demo_lms_sessions WHERE expires_at <= $1 RETURNING id', [
        before,
      ]);
      return rows.length;
    },
    async saveActivity(activity) {
      await sql.query(
        `INSERT INTO demo_lms_activities (id, course_id, client_id, deployment_id, title, text, url, custom, line_item_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
        [
          activity.id,
          activity.courseId,
          activity.clientId,
          activity.deploymentId,
          activity.title,
          activity.text ?? null,
          activity.url ?? null,
          activity.custom === undefined ? null : JSON.stringify(activity.custom),
          activity.lineItemId ?? null,
          activity.createdAt,
        ],
      );
    },
    async listActivities(courseId) {
      const { rows } = await sql.query<ActivityRow>(
        'SELECT * FROM demo_lms_activities WHERE course_id = $1 ORDER BY created_at, id',
        [courseId],
      );
      return rows.map(activityFromRow);
    },
    async getActivity(courseId, id) {
      const { rows } = await sql.query<ActivityRow>(
        'SELECT * FROM demo_lms_activities WHERE course_id = $1 AND id = $2',
        [courseId, id],
      );
      return rows[0] === undefined ? undefined : activityFromRow(rows[0]);
    },
  };
}
