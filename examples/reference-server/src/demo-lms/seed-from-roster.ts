import type { ListableFile, RosterStore, StoredEntity } from '@passport/oneroster';
import type { CourseRole, LmsCourse, LmsStore, LmsUser } from './lms-store.ts';

const pageSize = 1000;

async function readAll(roster: RosterStore, tenantId: string, file: ListableFile): Promise<StoredEntity[]> {
  const all: StoredEntity[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const { entities, total } = await roster.list(tenantId, {
      file,
      limit: pageSize,
      offset,
      includeDeleted: false,
    });
    all.push(...entities);
    if (entities.length === 0 || offset + entities.length >= total) return all;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const refId = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null
    ? text((value as { sourcedId?: unknown }).sourcedId)
    : undefined;

export interface SeedResult {
  courses: number;
  users: number;
  enrollments: number;
}

/**
 * Copies a tenant's classes into the LMS as courses, with their teachers and students (active enrollments of
 * active users), read through the server's roster store. LMS user ids are the roster's sourcedIds, so LTI `sub`,
 * NRPS `user_id` and `lis_person_sourcedid` all name the roster user. Idempotent: running it again updates rows.
 */
export async function seedFromRoster(input: {
  roster: RosterStore;
  tenantId: string;
  store: LmsStore;
}): Promise<SeedResult> {
  const { roster, tenantId, store } = input;
  const [classes, enrollmentRows, userRows] = await Promise.all([
    readAll(roster, tenantId, 'classes'),
    readAll(roster, tenantId, 'enrollments'),
    readAll(roster, tenantId, 'users'),
  ]);
  const users = new Map<string, LmsUser>();
  for (const row of userRows) {
    const role = row.role === 'teacher' || row.role === 'student' ? row.role : undefined;
    if (role === undefined) continue;
    users.set(row.sourcedId, {
      id: row.sourcedId,
      givenName: text(row.givenName) ?? '',
      familyName: text(row.familyName) ?? row.sourcedId,
      email: text(row.email),
      username: text(row.username),
      role,
    });
  }
  const courses: LmsCourse[] = classes.map((row) => ({
    id: row.sourcedId,
    title: text(row.title) ?? row.sourcedId,
    code: text(row.classCode),
    schoolId: refId(row.school),
  }));
  const courseIds = new Set(courses.map((course) => course.id));
  const enrollments: { courseId: string; userId: string; role: CourseRole }[] = [];
  const enrolled = new Set<string>();
  for (const row of enrollmentRows) {
    const courseId = refId(row.class);
    const userId = refId(row.user);
    const role = row.role === 'teacher' || row.role === 'student' ? row.role : undefined;
    if (courseId === undefined || userId === undefined || role === undefined) continue;
    if (!courseIds.has(courseId) || !users.has(userId)) continue;
    const key = `${courseId}\u0000${userId}`;
    if (enrolled.has(key)) continue;
    enrolled.add(key);
    enrollments.push({ courseId, userId, role });
  }
  const enrolledIds = new Set(enrollments.map((enrollment) => enrollment.userId));
  const enrolledUsers = [...users.values()].filter((user) => enrolledIds.has(user.id));
  await store.upsertRoster({ tenantId, users: enrolledUsers, courses, enrollments });
  return { courses: courses.length, users: enrolledUsers.length, enrollments: enrollments.length };
}
