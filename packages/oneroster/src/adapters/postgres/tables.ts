/**
 * The roster tables: one per entity file, every tenant's rows in it keyed by `(tenant_id, sourced_id)`. Each row
 * keeps the entity as the JSON binding spells it (`data`, JSONB), which answers any filter, plus typed key columns
 * for what queries join and filter on most (status, dateLastModified, the org/session type, user and enrollment
 * roles, and the references the relationship endpoints follow), each with its index.
 *
 * The key columns are always derived from `data` by the expressions here, in SQL, on every write, so they cannot
 * disagree with it; a first load into an empty tenant computes the same values in JavaScript (`read`), which a test
 * checks against the SQL.
 */
import type { FileName } from '../../model/files.ts';

export interface KeyColumn {
  name: string;
  type: 'text' | 'text[]';
  /** SQL computing the column from the entity's JSONB (`data` is the JSONB expression). */
  from: (data: string) => string;
  /** The query path it answers (`class.sourcedId`), so filters use the column instead of the JSONB. */
  path: string;
  /** The same value computed from the entity in JavaScript (a first load sends it by COPY); null is SQL NULL. */
  read: (entity: Readonly<Record<string, unknown>>) => string | (string | null)[] | null;
}

/** `->>` in JavaScript: a JSON value as text, null when absent or JSON null. */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `value->>'sourcedId'` in JavaScript: only an object has members. */
function sourcedIdOf(value: unknown): string | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? jsonText((value as Record<string, unknown>).sourcedId)
    : null;
}

export interface TableSpec {
  file: FileName;
  table: string;
  keys: readonly KeyColumn[];
  /** Indexes beyond the primary key and (date_last_modified): column lists. */
  indexes: readonly (readonly string[])[];
  /** GIN indexes on array columns. */
  arrayIndexes?: readonly string[];
}

const text = (name: string, property: string, path = property): KeyColumn => ({
  name,
  type: 'text',
  from: (data) => `(${data}->>'${property}')`,
  path,
  read: (entity) => jsonText(entity[property]),
});

const reference = (name: string, property: string): KeyColumn => ({
  name,
  type: 'text',
  from: (data) => `(${data}->'${property}'->>'sourcedId')`,
  path: `${property}.sourcedId`,
  read: (entity) => sourcedIdOf(entity[property]),
});

const references = (name: string, property: string): KeyColumn => ({
  name,
  type: 'text[]',
  from: (data) =>
    `array(select reference->>'sourcedId' from jsonb_array_elements(coalesce(${data}->'${property}', '[]'::jsonb)) as reference)`,
  path: `${property}.sourcedId`,
  read: (entity) => {
    const list = entity[property];
    return Array.isArray(list) ? list.map(sourcedIdOf) : [];
  },
});

export const tableSpecs: Readonly<Record<FileName, TableSpec>> = {
  orgs: {
    file: 'orgs',
    table: 'oneroster_orgs',
    keys: [text('type', 'type'), reference('parent_sourced_id', 'parent')],
    indexes: [['type'], ['parent_sourced_id']],
  },
  academicSessions: {
    file: 'academicSessions',
    table: 'oneroster_academic_sessions',
    keys: [text('type', 'type'), reference('parent_sourced_id', 'parent')],
    indexes: [['type'], ['parent_sourced_id']],
  },
  courses: {
    file: 'courses',
    table: 'oneroster_courses',
    keys: [reference('org_sourced_id', 'org'), reference('school_year_sourced_id', 'schoolYear')],
    indexes: [['org_sourced_id']],
  },
  classes: {
    file: 'classes',
    table: 'oneroster_classes',
    keys: [
      reference('course_sourced_id', 'course'),
      reference('school_sourced_id', 'school'),
      references('term_sourced_ids', 'terms'),
    ],
    indexes: [['course_sourced_id'], ['school_sourced_id']],
    arrayIndexes: ['term_sourced_ids'],
  },
  users: {
    file: 'users',
    table: 'oneroster_users',
    keys: [text('role', 'role'), references('org_sourced_ids', 'orgs')],
    indexes: [['role', 'sourced_id']],
    arrayIndexes: ['org_sourced_ids'],
  },
  enrollments: {
    file: 'enrollments',
    table: 'oneroster_enrollments',
    keys: [
      reference('class_sourced_id', 'class'),
      reference('school_sourced_id', 'school'),
      reference('user_sourced_id', 'user'),
      text('role', 'role'),
    ],
    indexes: [['class_sourced_id', 'role'], ['user_sourced_id'], ['school_sourced_id']],
  },
  demographics: { file: 'demographics', table: 'oneroster_demographics', keys: [], indexes: [] },
  categories: { file: 'categories', table: 'oneroster_categories', keys: [], indexes: [] },
  lineItems: {
    file: 'lineItems',
    table: 'oneroster_line_items',
    keys: [reference('class_sourced_id', 'class')],
    indexes: [['class_sourced_id']],
  },
  results: {
    file: 'results',
    table: 'oneroster_results',
    keys: [reference('line_item_sourced_id', 'lineItem'), reference('student_sourced_id', 'student')],
    indexes: [['line_item_sourced_id'], ['student_sourced_id']],
  },
  resources: { file: 'resources', table: 'oneroster_resources', keys: [], indexes: [] },
  classResources: {
    file: 'classResources',
    table: 'oneroster_class_resources',
    keys: [reference('class_sourced_id', 'class'), reference('resource_sourced_id', 'resource')],
    indexes: [['class_sourced_id']],
  },
  courseResources: {
    file: 'courseResources',
    table: 'oneroster_course_resources',
    keys: [reference('course_sourced_id', 'course'), reference('resource_sourced_id', 'resource')],
    indexes: [['course_sourced_id']],
  },
};

/** The staging table imports load rows into before one transaction applies them. */
export const stagingTable = 'oneroster_import_rows';

/** The per-tenant, per-file write counters that list totals are remembered under (see list-cache.ts). */
export const versionsTable = 'oneroster_versions';
