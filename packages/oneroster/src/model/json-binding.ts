/**
 * How each CSV column maps onto a field of the JSON binding: the field's name, and how its text becomes a JSON value.
 * Derived from `files.ts` (the column kinds) plus the two things the CSV table does not say: the JSON name of each
 * reference column (`termSourcedIds` → `terms`) and the GUIDRef `type` of what it references. Read it against the
 * spec top to bottom; `convert.ts` only walks it.
 */
import { type ColumnSpec, type FileName, fileNames, fileSpecs } from './files.ts';
import type { GuidRefType } from './vocabulary.ts';

/** How a cell's text becomes a JSON value and back. */
export type FieldCodec =
  /** The text as is (ids, status, strings, enumerations, dates, years). */
  | { type: 'text' }
  | { type: 'boolean' }
  | { type: 'float' }
  /** A comma-separated list → an array of strings. */
  | { type: 'list' }
  /** `{type:id}` items → `[{type, identifier}]`. */
  | { type: 'userIds' }
  /** A CSV date → a JSON datetime at midnight UTC (lineItem assignDate and dueDate). */
  | { type: 'dateAsDatetime' }
  /** A sourcedId → a GUIDRef; `many`: a comma-separated list of them → an array of GUIDRefs. */
  | { type: 'reference'; guidRefType: GuidRefType; many: boolean };

export interface FieldBinding {
  /** The CSV header (`termSourcedIds`). */
  column: string;
  /** The JSON field (`terms`). */
  field: string;
  /** Required by the spec: a blank optional cell is an absent field, a required one is kept (or refused). */
  required: boolean;
  codec: FieldCodec;
}

/** The JSON field name of every reference column, file by file. */
const referenceFieldNames: Readonly<Partial<Record<FileName, Readonly<Record<string, string>>>>> = {
  academicSessions: { parentSourcedId: 'parent' },
  orgs: { parentSourcedId: 'parent' },
  courses: { schoolYearSourcedId: 'schoolYear', orgSourcedId: 'org' },
  classes: { courseSourcedId: 'course', schoolSourcedId: 'school', termSourcedIds: 'terms' },
  users: { orgSourcedIds: 'orgs', agentSourcedIds: 'agents' },
  enrollments: { classSourcedId: 'class', schoolSourcedId: 'school', userSourcedId: 'user' },
  lineItems: {
    classSourcedId: 'class',
    categorySourcedId: 'category',
    gradingPeriodSourcedId: 'gradingPeriod',
  },
  results: { lineItemSourcedId: 'lineItem', studentSourcedId: 'student' },
  classResources: { classSourcedId: 'class', resourceSourcedId: 'resource' },
  courseResources: { courseSourcedId: 'course', resourceSourcedId: 'resource' },
};

/**
 * The GUIDRef `type` of a reference to a row of each file: a class's school is an `org`, its terms are
 * `academicSession`s, a result's student and a user's agents are `user`s.
 */
export const guidRefTypeOfFile: Readonly<Partial<Record<FileName, GuidRefType>>> = {
  orgs: 'org',
  academicSessions: 'academicSession',
  courses: 'course',
  classes: 'class',
  users: 'user',
  enrollments: 'enrollment',
  demographics: 'demographics',
  categories: 'category',
  lineItems: 'lineItem',
  results: 'result',
  resources: 'resource',
};

/** The REST collection a GUIDRef's `href` points into, by its `type`. */
export const collectionOfGuidRefType: Readonly<Record<GuidRefType, string>> = {
  academicSession: 'academicSessions',
  category: 'categories',
  class: 'classes',
  course: 'courses',
  demographics: 'demographics',
  enrollment: 'enrollments',
  gradingPeriod: 'gradingPeriods',
  lineItem: 'lineItems',
  org: 'orgs',
  resource: 'resources',
  result: 'results',
  student: 'students',
  teacher: 'teachers',
  term: 'terms',
  user: 'users',
};

/** Columns whose CSV type differs from their JSON type beyond what the column kind says. */
const codecOverrides: Readonly<Partial<Record<FileName, Readonly<Record<string, FieldCodec>>>>> = {
  lineItems: { assignDate: { type: 'dateAsDatetime' }, dueDate: { type: 'dateAsDatetime' } },
};

function bindColumn(file: FileName, column: ColumnSpec): FieldBinding {
  const { name, required, kind } = column;
  const override = codecOverrides[file]?.[name];
  if (override) return { column: name, field: name, required, codec: override };
  switch (kind.type) {
    case 'boolean':
      return { column: name, field: name, required, codec: { type: 'boolean' } };
    case 'float':
      return { column: name, field: name, required, codec: { type: 'float' } };
    case 'list':
    case 'grades':
      return { column: name, field: name, required, codec: { type: 'list' } };
    case 'userIds':
      return { column: name, field: name, required, codec: { type: 'userIds' } };
    case 'ref': {
      const field = referenceFieldNames[file]?.[name];
      const guidRefType = guidRefTypeOfFile[kind.target];
      if (field === undefined || guidRefType === undefined) {
        throw new Error(`json-binding: no JSON field or GUIDRef type for ${file}.${name}`);
      }
      return {
        column: name,
        field,
        required,
        codec: { type: 'reference', guidRefType, many: kind.many === true },
      };
    }
    default:
      return { column: name, field: name, required, codec: { type: 'text' } };
  }
}

/** The field bindings of every file, in spec column order. */
export const fieldBindings: Readonly<Record<FileName, readonly FieldBinding[]>> = bindAllFiles();

function bindAllFiles(): Record<FileName, readonly FieldBinding[]> {
  const bindings: Partial<Record<FileName, readonly FieldBinding[]>> = {};
  for (const file of fileNames) bindings[file] = fileSpecs[file].map((column) => bindColumn(file, column));
  return bindings as Record<FileName, readonly FieldBinding[]>;
}

/** The href of a GUIDRef: `{baseUrl}/{collection}/{sourcedId}`, the sourcedId percent-encoded. */
export function guidRefHref(baseUrl: string, type: GuidRefType, sourcedId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${collectionOfGuidRefType[type]}/${encodeURIComponent(sourcedId)}`;
}
