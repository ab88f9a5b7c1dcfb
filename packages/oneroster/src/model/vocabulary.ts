/**
 * The OneRoster 1.1 vocabularies, exactly as the specification spells them.
 * Each is a readonly tuple so zod enums and TypeScript unions come from one place.
 */

export const statusTypes = ['active', 'tobedeleted'] as const;
export type StatusType = (typeof statusTypes)[number];

export const roleTypes = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
] as const;
export type RoleType = (typeof roleTypes)[number];

export const enrollmentRoleTypes = ['administrator', 'proctor', 'student', 'teacher'] as const;
export type EnrollmentRoleType = (typeof enrollmentRoleTypes)[number];

export const orgTypes = ['department', 'school', 'district', 'local', 'state', 'national'] as const;
export type OrgType = (typeof orgTypes)[number];

export const sessionTypes = ['gradingPeriod', 'semester', 'schoolYear', 'term'] as const;
export type SessionType = (typeof sessionTypes)[number];

export const classTypes = ['homeroom', 'scheduled'] as const;
export type ClassType = (typeof classTypes)[number];

export const scoreStatusTypes = [
  'exempt',
  'fully graded',
  'not submitted',
  'partially graded',
  'submitted',
] as const;
export type ScoreStatusType = (typeof scoreStatusTypes)[number];

export const importanceTypes = ['primary', 'secondary'] as const;
export type ImportanceType = (typeof importanceTypes)[number];

export const sexTypes = ['male', 'female'] as const;
export type SexType = (typeof sexTypes)[number];

/** Grade levels: the CEDS codes OneRoster 1.1 uses. Other values are allowed as extensions (with a warning). */
export const gradeCodes = [
  'IT',
  'PR',
  'PK',
  'TK',
  'KG',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '13',
  'PS',
  'UG',
  'Other',
] as const;
export type GradeCode = (typeof gradeCodes)[number];

/** The JSON binding's GUIDRef `type` values. */
export const guidRefTypes = [
  'academicSession',
  'category',
  'class',
  'course',
  'demographics',
  'enrollment',
  'gradingPeriod',
  'lineItem',
  'org',
  'resource',
  'result',
  'student',
  'teacher',
  'term',
  'user',
] as const;
export type GuidRefType = (typeof guidRefTypes)[number];

export const vocabularies = {
  status: statusTypes,
  role: roleTypes,
  enrollmentRole: enrollmentRoleTypes,
  orgType: orgTypes,
  sessionType: sessionTypes,
  classType: classTypes,
  scoreStatus: scoreStatusTypes,
  importance: importanceTypes,
  sex: sexTypes,
  grade: gradeCodes,
} as const;
export type VocabularyName = keyof typeof vocabularies;
