/**
 * The REST collections of OneRoster 1.1 and the entities behind them. Several collections are views of one entity
 * file: `/schools` is orgs of type school, `/students` users whose role is student, `/terms` academic sessions of
 * type term. A view answers under its entity's key (`/students` → `{"users": [...]}`, `/students/{id}` →
 * `{"user": {...}}`), as the JSON binding requires.
 */
import type { Permission } from '../auth/scopes.ts';
import type { ListableFile } from '../store/roster-store.ts';

export interface ViewSpec {
  file: ListableFile;
  /** The collection key of the response (`users`). */
  plural: string;
  /** The single-object key of the response (`user`). */
  singular: string;
  /** The restriction that makes the view: a field and the value it must have. */
  where?: { path: string; value: string };
  permission: Permission;
}

const rostering = (
  file: ListableFile,
  plural: string,
  singular: string,
  where?: ViewSpec['where'],
): ViewSpec => ({
  file,
  plural,
  singular,
  permission: 'roster-core',
  ...(where === undefined ? {} : { where }),
});

export const views = {
  academicSessions: rostering('academicSessions', 'academicSessions', 'academicSession'),
  terms: rostering('academicSessions', 'academicSessions', 'academicSession', {
    path: 'type',
    value: 'term',
  }),
  gradingPeriods: rostering('academicSessions', 'academicSessions', 'academicSession', {
    path: 'type',
    value: 'gradingPeriod',
  }),
  orgs: rostering('orgs', 'orgs', 'org'),
  schools: rostering('orgs', 'orgs', 'org', { path: 'type', value: 'school' }),
  users: rostering('users', 'users', 'user'),
  students: rostering('users', 'users', 'user', { path: 'role', value: 'student' }),
  teachers: rostering('users', 'users', 'user', { path: 'role', value: 'teacher' }),
  classes: rostering('classes', 'classes', 'class'),
  courses: rostering('courses', 'courses', 'course'),
  enrollments: rostering('enrollments', 'enrollments', 'enrollment'),
  demographics: {
    file: 'demographics',
    plural: 'demographics',
    singular: 'demographics',
    permission: 'roster-demographics',
  },
  categories: {
    file: 'categories',
    plural: 'categories',
    singular: 'category',
    permission: 'gradebook-read',
  },
  lineItems: { file: 'lineItems', plural: 'lineItems', singular: 'lineItem', permission: 'gradebook-read' },
  results: { file: 'results', plural: 'results', singular: 'result', permission: 'gradebook-read' },
  resources: { file: 'resources', plural: 'resources', singular: 'resource', permission: 'resources' },
} as const satisfies Record<string, ViewSpec>;

export type ViewName = keyof typeof views;
