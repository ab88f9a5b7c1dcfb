/**
 * The rostering entities of the OneRoster 1.1 JSON binding: orgs, academic sessions, courses, classes, users,
 * enrollments and demographics. Field names, optionality and types follow the 1.1 information model; optional
 * fields are absent (never `null` or `''`) when they have no value.
 */
import { z } from 'zod';
import {
  classTypes,
  enrollmentRoleTypes,
  orgTypes,
  roleTypes,
  sessionTypes,
  sexTypes,
} from '../vocabulary.ts';
import {
  baseShape,
  booleanSchema,
  dateSchema,
  gradeSchema,
  guidRefSchema,
  listItemSchema,
  requiredTextSchema,
  yearSchema,
} from './common.ts';

export const orgSchema = z.object({
  ...baseShape,
  name: requiredTextSchema,
  type: z.enum(orgTypes),
  identifier: z.string().optional(),
  /** The parent org (type `org`). */
  parent: guidRefSchema.optional(),
  /** The child orgs (type `org`): the inverse of `parent`, derived, so the CSV binding has no column for it. */
  children: z.array(guidRefSchema).optional(),
});
export type Org = z.infer<typeof orgSchema>;

export const academicSessionSchema = z.object({
  ...baseShape,
  title: requiredTextSchema,
  startDate: dateSchema,
  endDate: dateSchema,
  type: z.enum(sessionTypes),
  /** The parent session (type `academicSession`). */
  parent: guidRefSchema.optional(),
  /** The child sessions: the inverse of `parent`, derived, so the CSV binding has no column for it. */
  children: z.array(guidRefSchema).optional(),
  schoolYear: yearSchema,
});
export type AcademicSession = z.infer<typeof academicSessionSchema>;

export const courseSchema = z.object({
  ...baseShape,
  title: requiredTextSchema,
  /** The school year (type `academicSession`). */
  schoolYear: guidRefSchema.optional(),
  courseCode: z.string().optional(),
  grades: z.array(gradeSchema).optional(),
  subjects: z.array(listItemSchema).optional(),
  /** The org that offers the course (type `org`). */
  org: guidRefSchema,
  subjectCodes: z.array(listItemSchema).optional(),
  /** Resources (type `resource`): the CSV binding holds them as courseResources.csv rows. */
  resources: z.array(guidRefSchema).optional(),
});
export type Course = z.infer<typeof courseSchema>;

/** A class (named so to keep clear of the `class` keyword). */
export const classSchema = z.object({
  ...baseShape,
  title: requiredTextSchema,
  classCode: z.string().optional(),
  classType: z.enum(classTypes),
  location: z.string().optional(),
  grades: z.array(gradeSchema).optional(),
  subjects: z.array(listItemSchema).optional(),
  /** Type `course`. */
  course: guidRefSchema,
  /** Type `org`. */
  school: guidRefSchema,
  /** At least one term (type `academicSession`). */
  terms: z.array(guidRefSchema).min(1),
  subjectCodes: z.array(listItemSchema).optional(),
  periods: z.array(listItemSchema).optional(),
  /** Resources (type `resource`): the CSV binding holds them as classResources.csv rows. */
  resources: z.array(guidRefSchema).optional(),
});
export type OneRosterClass = z.infer<typeof classSchema>;

export const userIdSchema = z.object({
  type: z.string().min(1),
  identifier: z.string().min(1),
});
export type UserId = z.infer<typeof userIdSchema>;

export const userSchema = z.object({
  ...baseShape,
  username: requiredTextSchema,
  userIds: z.array(userIdSchema).optional(),
  enabledUser: booleanSchema,
  givenName: requiredTextSchema,
  familyName: requiredTextSchema,
  middleName: z.string().optional(),
  role: z.enum(roleTypes),
  identifier: z.string().optional(),
  email: z.string().optional(),
  sms: z.string().optional(),
  phone: z.string().optional(),
  /** Related people, such as a student's parents (type `user`). */
  agents: z.array(guidRefSchema).optional(),
  /** At least one org (type `org`). */
  orgs: z.array(guidRefSchema).min(1),
  grades: z.array(gradeSchema).optional(),
  password: z.string().optional(),
});
export type User = z.infer<typeof userSchema>;

export const enrollmentSchema = z.object({
  ...baseShape,
  /** Type `user`. */
  user: guidRefSchema,
  /** Type `class`. */
  class: guidRefSchema,
  /** Type `org`. */
  school: guidRefSchema,
  role: z.enum(enrollmentRoleTypes),
  primary: booleanSchema.optional(),
  beginDate: dateSchema.optional(),
  endDate: dateSchema.optional(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

/** Demographics; its `sourcedId` is the sourcedId of the user it describes. */
export const demographicsSchema = z.object({
  ...baseShape,
  birthDate: dateSchema.optional(),
  sex: z.enum(sexTypes).optional(),
  americanIndianOrAlaskaNative: booleanSchema.optional(),
  asian: booleanSchema.optional(),
  blackOrAfricanAmerican: booleanSchema.optional(),
  nativeHawaiianOrOtherPacificIslander: booleanSchema.optional(),
  white: booleanSchema.optional(),
  demographicRaceTwoOrMoreRaces: booleanSchema.optional(),
  hispanicOrLatinoEthnicity: booleanSchema.optional(),
  countryOfBirthCode: z.string().optional(),
  stateOfBirthAbbreviation: z.string().optional(),
  cityOfBirth: z.string().optional(),
  publicSchoolResidenceStatus: z.string().optional(),
});
export type Demographics = z.infer<typeof demographicsSchema>;
