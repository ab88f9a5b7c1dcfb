/**
 * The typed surface of the client: every OneRoster 1.1 endpoint as a method. Collections have `list` (one page),
 * `iterate` (every entity, page after page) and `all`; single objects `get`; the gradebook also `put` and `delete`.
 */

import type { FilterExpression } from '../filter/ast.ts';
import type {
  AcademicSession,
  Category,
  Course,
  Demographics,
  Enrollment,
  LineItem,
  OneRosterClass,
  Org,
  Resource,
  Result,
  User,
} from '../model/schemas.ts';

export interface CollectionQuery {
  /** Filter text (`role='student'`) or an expression built with `eq`, `and`, ... */
  filter?: string | FilterExpression;
  sort?: string;
  orderBy?: 'asc' | 'desc';
  fields?: readonly string[];
  /** Page size. Default 100. */
  limit?: number;
  /** Where to start (also: where to resume an iteration that failed, from the error's `resumeOffset`). */
  offset?: number;
}

export interface Page<Entity> {
  items: Entity[];
  /** `X-Total-Count`, when the server sends it. */
  total: number | undefined;
  offset: number;
  /** The `next` link, when the server sends one. */
  next: string | undefined;
  /** Warnings the server reported with the data (`invalid_sort_field`, ...). */
  warnings: import('./status-payload.ts').ParsedStatusInfo[];
}

export interface CollectionEndpoint<Entity> {
  list(query?: CollectionQuery): Promise<Page<Entity>>;
  /** Every entity, page after page; a failed page is retried, and the iteration goes on from it. */
  iterate(query?: CollectionQuery): AsyncIterable<Entity>;
  all(query?: CollectionQuery): Promise<Entity[]>;
}

export interface ItemEndpoint<Entity> {
  get(sourcedId: string, options?: { fields?: readonly string[] }): Promise<Entity>;
}

export interface WritableEndpoint<Entity> extends CollectionEndpoint<Entity>, ItemEndpoint<Entity> {
  /** PUT (upsert). Resolves with the stored entity and whether it was created. */
  put(sourcedId: string, entity: Partial<Entity>): Promise<{ entity: Entity; created: boolean }>;
  delete(sourcedId: string): Promise<void>;
}

type Both<Entity> = CollectionEndpoint<Entity> & ItemEndpoint<Entity>;

export interface OneRosterEndpoints {
  academicSessions: Both<AcademicSession>;
  classes: Both<OneRosterClass> & {
    students(classId: string): CollectionEndpoint<User>;
    teachers(classId: string): CollectionEndpoint<User>;
    lineItems(classId: string): CollectionEndpoint<LineItem>;
    results(classId: string): CollectionEndpoint<Result>;
    lineItemResults(classId: string, lineItemId: string): CollectionEndpoint<Result>;
    studentResults(classId: string, studentId: string): CollectionEndpoint<Result>;
    resources(classId: string): CollectionEndpoint<Resource>;
  };
  courses: Both<Course> & {
    classes(courseId: string): CollectionEndpoint<OneRosterClass>;
    resources(courseId: string): CollectionEndpoint<Resource>;
  };
  demographics: Both<Demographics>;
  enrollments: Both<Enrollment>;
  gradingPeriods: Both<AcademicSession>;
  orgs: Both<Org>;
  schools: Both<Org> & {
    courses(schoolId: string): CollectionEndpoint<Course>;
    classes(schoolId: string): CollectionEndpoint<OneRosterClass>;
    enrollments(schoolId: string): CollectionEndpoint<Enrollment>;
    students(schoolId: string): CollectionEndpoint<User>;
    teachers(schoolId: string): CollectionEndpoint<User>;
    terms(schoolId: string): CollectionEndpoint<AcademicSession>;
    classEnrollments(schoolId: string, classId: string): CollectionEndpoint<Enrollment>;
    classStudents(schoolId: string, classId: string): CollectionEndpoint<User>;
    classTeachers(schoolId: string, classId: string): CollectionEndpoint<User>;
  };
  students: Both<User> & { classes(studentId: string): CollectionEndpoint<OneRosterClass> };
  teachers: Both<User> & { classes(teacherId: string): CollectionEndpoint<OneRosterClass> };
  terms: Both<AcademicSession> & {
    classes(termId: string): CollectionEndpoint<OneRosterClass>;
    gradingPeriods(termId: string): CollectionEndpoint<AcademicSession>;
  };
  users: Both<User> & { classes(userId: string): CollectionEndpoint<OneRosterClass> };
  categories: WritableEndpoint<Category>;
  lineItems: WritableEndpoint<LineItem>;
  results: WritableEndpoint<Result>;
  resources: Both<Resource>;
}
