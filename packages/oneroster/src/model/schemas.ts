/**
 * Every OneRoster 1.1 entity of the REST/JSON binding as a zod schema, with its type, and the schema of each CSV
 * file's entity keyed by file name. The schemas live in `entities/` by service (rostering, gradebook, resources).
 */
import type { z } from 'zod';
import { categorySchema, lineItemSchema, resultSchema } from './entities/gradebook.ts';
import { classResourceSchema, courseResourceSchema, resourceSchema } from './entities/resources.ts';
import {
  academicSessionSchema,
  classSchema,
  courseSchema,
  demographicsSchema,
  enrollmentSchema,
  orgSchema,
  userSchema,
} from './entities/rostering.ts';
import type { FileName } from './files.ts';

export {
  baseShape,
  booleanSchema,
  dateSchema,
  datetimeSchema,
  type GuidRef,
  gradeSchema,
  guidRefSchema,
  isCedsGrade,
  listItemSchema,
  metadataSchema,
  requiredTextSchema,
  sourcedIdSchema,
  yearSchema,
} from './entities/common.ts';
export {
  type Category,
  categorySchema,
  type LineItem,
  lineItemSchema,
  type Result,
  resultSchema,
} from './entities/gradebook.ts';
export {
  type ClassResource,
  type CourseResource,
  classResourceSchema,
  courseResourceSchema,
  type Resource,
  resourceSchema,
} from './entities/resources.ts';
export {
  type AcademicSession,
  academicSessionSchema,
  type Course,
  classSchema,
  courseSchema,
  type Demographics,
  demographicsSchema,
  type Enrollment,
  enrollmentSchema,
  type OneRosterClass,
  type Org,
  orgSchema,
  type User,
  type UserId,
  userIdSchema,
  userSchema,
} from './entities/rostering.ts';

/** The entity schema of each CSV file: a row of `users.csv` is a `User`, a row of `classResources.csv` a `ClassResource`. */
export const entitySchemas = {
  orgs: orgSchema,
  academicSessions: academicSessionSchema,
  courses: courseSchema,
  classes: classSchema,
  users: userSchema,
  enrollments: enrollmentSchema,
  demographics: demographicsSchema,
  categories: categorySchema,
  lineItems: lineItemSchema,
  results: resultSchema,
  resources: resourceSchema,
  classResources: classResourceSchema,
  courseResources: courseResourceSchema,
} as const satisfies Record<FileName, z.ZodType>;

/** The entity type of each CSV file. */
export type EntityByFile = { [File in FileName]: z.infer<(typeof entitySchemas)[File]> };

/** Any entity. */
export type Entity = EntityByFile[FileName];
