/**
 * The OneRoster 1.1 CSV binding: its 13 data files and their columns, in spec order, with what each column holds.
 * This table is the single source of truth for reading, validating, writing and converting CSV packages.
 */
import type { VocabularyName } from './vocabulary.ts';

export const fileNames = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
  'categories',
  'lineItems',
  'results',
  'resources',
  'classResources',
  'courseResources',
] as const;
/** A data file's name without `.csv` (`users`); the file inside a package is `users.csv`. */
export type FileName = (typeof fileNames)[number];

/** What a column holds; drives parsing, normalization, validation and writing. */
export type ColumnKind =
  | { type: 'id' }
  | { type: 'string' }
  | { type: 'enum'; vocabulary: VocabularyName }
  /** The status column: blank in bulk files, required in delta files. */
  | { type: 'status' }
  /** dateLastModified: blank in bulk files, required in delta files. */
  | { type: 'dateLastModified' }
  | { type: 'date' }
  | { type: 'datetime' }
  | { type: 'boolean' }
  | { type: 'float' }
  /** A four-digit year (academicSessions.schoolYear). */
  | { type: 'year' }
  /** A comma-separated list of plain strings (subjects, subjectCodes, periods, roles). */
  | { type: 'list' }
  /** A comma-separated list of CEDS grade codes. */
  | { type: 'grades' }
  /** A comma-separated list of `{type:id}` items. */
  | { type: 'userIds' }
  /** A sourcedId of a row in another file (or in the same file). `many`: a comma-separated list of them. */
  | { type: 'ref'; target: FileName; many?: boolean };

export interface ColumnSpec {
  /** The header exactly as the spec spells it (case-sensitive). */
  name: string;
  required: boolean;
  kind: ColumnKind;
}

const id: ColumnSpec = { name: 'sourcedId', required: true, kind: { type: 'id' } };
const status: ColumnSpec = { name: 'status', required: false, kind: { type: 'status' } };
const modified: ColumnSpec = {
  name: 'dateLastModified',
  required: false,
  kind: { type: 'dateLastModified' },
};
const common = [id, status, modified];

const col = (name: string, required: boolean, kind: ColumnKind): ColumnSpec => ({ name, required, kind });
const str = (name: string, required = false) => col(name, required, { type: 'string' });
const ref = (name: string, target: FileName, required = false, many = false) =>
  col(name, required, { type: 'ref', target, many });

export const fileSpecs: Readonly<Record<FileName, readonly ColumnSpec[]>> = {
  academicSessions: [
    ...common,
    str('title', true),
    col('type', true, { type: 'enum', vocabulary: 'sessionType' }),
    col('startDate', true, { type: 'date' }),
    col('endDate', true, { type: 'date' }),
    ref('parentSourcedId', 'academicSessions'),
    col('schoolYear', true, { type: 'year' }),
  ],
  orgs: [
    ...common,
    str('name', true),
    col('type', true, { type: 'enum', vocabulary: 'orgType' }),
    str('identifier'),
    ref('parentSourcedId', 'orgs'),
  ],
  courses: [
    ...common,
    ref('schoolYearSourcedId', 'academicSessions'),
    str('title', true),
    str('courseCode'),
    col('grades', false, { type: 'grades' }),
    ref('orgSourcedId', 'orgs', true),
    col('subjects', false, { type: 'list' }),
    col('subjectCodes', false, { type: 'list' }),
  ],
  classes: [
    ...common,
    str('title', true),
    col('grades', false, { type: 'grades' }),
    ref('courseSourcedId', 'courses', true),
    str('classCode'),
    col('classType', true, { type: 'enum', vocabulary: 'classType' }),
    str('location'),
    ref('schoolSourcedId', 'orgs', true),
    ref('termSourcedIds', 'academicSessions', true, true),
    col('subjects', false, { type: 'list' }),
    col('subjectCodes', false, { type: 'list' }),
    col('periods', false, { type: 'list' }),
  ],
  users: [
    ...common,
    col('enabledUser', true, { type: 'boolean' }),
    ref('orgSourcedIds', 'orgs', true, true),
    col('role', true, { type: 'enum', vocabulary: 'role' }),
    str('username', true),
    col('userIds', false, { type: 'userIds' }),
    str('givenName', true),
    str('familyName', true),
    str('middleName'),
    str('identifier'),
    str('email'),
    str('sms'),
    str('phone'),
    ref('agentSourcedIds', 'users', false, true),
    col('grades', false, { type: 'grades' }),
    str('password'),
  ],
  enrollments: [
    ...common,
    ref('classSourcedId', 'classes', true),
    ref('schoolSourcedId', 'orgs', true),
    ref('userSourcedId', 'users', true),
    col('role', true, { type: 'enum', vocabulary: 'enrollmentRole' }),
    col('primary', false, { type: 'boolean' }),
    col('beginDate', false, { type: 'date' }),
    col('endDate', false, { type: 'date' }),
  ],
  demographics: [
    ...common,
    col('birthDate', false, { type: 'date' }),
    col('sex', false, { type: 'enum', vocabulary: 'sex' }),
    col('americanIndianOrAlaskaNative', false, { type: 'boolean' }),
    col('asian', false, { type: 'boolean' }),
    col('blackOrAfricanAmerican', false, { type: 'boolean' }),
    col('nativeHawaiianOrOtherPacificIslander', false, { type: 'boolean' }),
    col('white', false, { type: 'boolean' }),
    col('demographicRaceTwoOrMoreRaces', false, { type: 'boolean' }),
    col('hispanicOrLatinoEthnicity', false, { type: 'boolean' }),
    str('countryOfBirthCode'),
    str('stateOfBirthAbbreviation'),
    str('cityOfBirth'),
    str('publicSchoolResidenceStatus'),
  ],
  categories: [...common, str('title', true)],
  lineItems: [
    ...common,
    str('title', true),
    str('description'),
    col('assignDate', true, { type: 'date' }),
    col('dueDate', true, { type: 'date' }),
    ref('classSourcedId', 'classes', true),
    ref('categorySourcedId', 'categories', true),
    ref('gradingPeriodSourcedId', 'academicSessions', true),
    col('resultValueMin', true, { type: 'float' }),
    col('resultValueMax', true, { type: 'float' }),
  ],
  results: [
    ...common,
    ref('lineItemSourcedId', 'lineItems', true),
    ref('studentSourcedId', 'users', true),
    col('scoreStatus', true, { type: 'enum', vocabulary: 'scoreStatus' }),
    col('score', true, { type: 'float' }),
    col('scoreDate', true, { type: 'date' }),
    str('comment'),
  ],
  resources: [
    ...common,
    str('vendorResourceId', true),
    str('title'),
    col('roles', false, { type: 'list' }),
    col('importance', false, { type: 'enum', vocabulary: 'importance' }),
    str('vendorId'),
    str('applicationId'),
  ],
  classResources: [
    ...common,
    str('title'),
    ref('classSourcedId', 'classes', true),
    ref('resourceSourcedId', 'resources', true),
  ],
  courseResources: [
    ...common,
    str('title'),
    ref('courseSourcedId', 'courses', true),
    ref('resourceSourcedId', 'resources', true),
  ],
};

/** The header row of a data file, in spec order. */
export function headerOf(file: FileName): string[] {
  return fileSpecs[file].map((column) => column.name);
}

/** `users` → `users.csv`. */
export const csvFileName = (file: FileName): `${FileName}.csv` => `${file}.csv`;

/** Extension columns (`metadata.<name>`) may follow the spec columns. */
export const metadataColumnPrefix = 'metadata.';

/** How a file is present in a package, as `manifest.csv` declares it. */
export const fileModes = ['absent', 'bulk', 'delta'] as const;
export type FileMode = (typeof fileModes)[number];

export const manifestFileName = 'manifest.csv';
export const manifestHeader = ['propertyName', 'value'] as const;
