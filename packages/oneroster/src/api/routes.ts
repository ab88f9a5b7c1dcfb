/**
 * Every endpoint of OneRoster 1.1 under the base path, as data: the 41 rostering reads, the gradebook service
 * (reads, and PUT/DELETE on categories, line items and results), and the resources service. Read it against the
 * spec's endpoint tables top to bottom.
 *
 * A collection route names its view, the parents its path names (each must exist, else 404 unknownobject), and how
 * the path restricts the view: fields that must equal a path parameter, or a membership that needs other rows
 * (the students of a class are the users with a student enrollment in it).
 */
import type { Membership } from '../store/roster-store.ts';
import type { ViewName } from './views.ts';

type Params = Readonly<Record<string, string>>;

export interface ParentCheck {
  /** The path parameter holding the parent's sourcedId. */
  param: string;
  view: ViewName;
  /** The parent must reference the entity another parameter names (a class inside /schools/{id}/classes/...). */
  belongsTo?: { field: string; param: string };
}

interface RouteBase {
  /** Path segments after the base path; `:name` is a parameter. */
  segments: readonly string[];
  view: ViewName;
}

export interface CollectionRoute extends RouteBase {
  kind: 'collection';
  parents?: readonly ParentCheck[];
  /** Fields of the view's entity that must equal a path parameter: `{'course.sourcedId': 'id'}`. */
  equal?: Readonly<Record<string, string>>;
  membership?: (params: Params) => Membership;
}

export interface SingleRoute extends RouteBase {
  kind: 'single';
}

export interface WriteRoute extends RouteBase {
  kind: 'put' | 'delete';
  view: 'categories' | 'lineItems' | 'results';
}

export type Route = CollectionRoute | SingleRoute | WriteRoute;

const path = (text: string): string[] => text.split('/').filter((segment) => segment !== '');

const collection = (
  pattern: string,
  view: ViewName,
  options: Omit<CollectionRoute, 'kind' | 'segments' | 'view'> = {},
): CollectionRoute => ({ kind: 'collection', segments: path(pattern), view, ...options });

const single = (pattern: string, view: ViewName): SingleRoute => ({
  kind: 'single',
  segments: path(pattern),
  view,
});

const rosteringCollections = [
  'academicSessions',
  'classes',
  'courses',
  'demographics',
  'enrollments',
  'gradingPeriods',
  'orgs',
  'schools',
  'students',
  'teachers',
  'terms',
  'users',
] as const satisfies readonly ViewName[];

/** The 41 rostering reads. */
export const rosteringRoutes: readonly Route[] = [
  ...rosteringCollections.flatMap((view) => [collection(view, view), single(`${view}/:id`, view)]),
  collection('classes/:id/students', 'students', {
    parents: [{ param: 'id', view: 'classes' }],
    membership: (params) => ({ type: 'usersInClass', classSourcedId: params.id ?? '', role: 'student' }),
  }),
  collection('classes/:id/teachers', 'teachers', {
    parents: [{ param: 'id', view: 'classes' }],
    membership: (params) => ({ type: 'usersInClass', classSourcedId: params.id ?? '', role: 'teacher' }),
  }),
  collection('courses/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'courses' }],
    equal: { 'course.sourcedId': 'id' },
  }),
  collection('schools/:id/courses', 'courses', {
    parents: [{ param: 'id', view: 'schools' }],
    equal: { 'org.sourcedId': 'id' },
  }),
  collection('schools/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'schools' }],
    equal: { 'school.sourcedId': 'id' },
  }),
  collection('schools/:id/enrollments', 'enrollments', {
    parents: [{ param: 'id', view: 'schools' }],
    equal: { 'school.sourcedId': 'id' },
  }),
  collection('schools/:id/students', 'students', {
    parents: [{ param: 'id', view: 'schools' }],
    equal: { 'orgs.sourcedId': 'id' },
  }),
  collection('schools/:id/teachers', 'teachers', {
    parents: [{ param: 'id', view: 'schools' }],
    equal: { 'orgs.sourcedId': 'id' },
  }),
  collection('schools/:id/terms', 'terms', {
    parents: [{ param: 'id', view: 'schools' }],
    membership: (params) => ({ type: 'termsOfSchool', schoolSourcedId: params.id ?? '' }),
  }),
  collection('schools/:id/classes/:classId/enrollments', 'enrollments', {
    parents: [
      { param: 'id', view: 'schools' },
      { param: 'classId', view: 'classes', belongsTo: { field: 'school', param: 'id' } },
    ],
    equal: { 'school.sourcedId': 'id', 'class.sourcedId': 'classId' },
  }),
  collection('schools/:id/classes/:classId/students', 'students', {
    parents: [
      { param: 'id', view: 'schools' },
      { param: 'classId', view: 'classes', belongsTo: { field: 'school', param: 'id' } },
    ],
    membership: (params) => ({
      type: 'usersInClass',
      classSourcedId: params.classId ?? '',
      schoolSourcedId: params.id ?? '',
      role: 'student',
    }),
  }),
  collection('schools/:id/classes/:classId/teachers', 'teachers', {
    parents: [
      { param: 'id', view: 'schools' },
      { param: 'classId', view: 'classes', belongsTo: { field: 'school', param: 'id' } },
    ],
    membership: (params) => ({
      type: 'usersInClass',
      classSourcedId: params.classId ?? '',
      schoolSourcedId: params.id ?? '',
      role: 'teacher',
    }),
  }),
  collection('students/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'students' }],
    membership: (params) => ({ type: 'classesOfUser', userSourcedId: params.id ?? '' }),
  }),
  collection('teachers/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'teachers' }],
    membership: (params) => ({ type: 'classesOfUser', userSourcedId: params.id ?? '' }),
  }),
  collection('terms/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'terms' }],
    equal: { 'terms.sourcedId': 'id' },
  }),
  collection('terms/:id/gradingPeriods', 'gradingPeriods', {
    parents: [{ param: 'id', view: 'terms' }],
    equal: { 'parent.sourcedId': 'id' },
  }),
  collection('users/:id/classes', 'classes', {
    parents: [{ param: 'id', view: 'users' }],
    membership: (params) => ({ type: 'classesOfUser', userSourcedId: params.id ?? '' }),
  }),
];

const gradebookViews = ['categories', 'lineItems', 'results'] as const;

/** The gradebook service. */
export const gradebookRoutes: readonly Route[] = [
  ...gradebookViews.flatMap((view): Route[] => [
    collection(view, view),
    single(`${view}/:id`, view),
    { kind: 'put', segments: path(`${view}/:id`), view },
    { kind: 'delete', segments: path(`${view}/:id`), view },
  ]),
  collection('classes/:id/lineItems', 'lineItems', {
    parents: [{ param: 'id', view: 'classes' }],
    equal: { 'class.sourcedId': 'id' },
  }),
  collection('classes/:id/results', 'results', {
    parents: [{ param: 'id', view: 'classes' }],
    membership: (params) => ({ type: 'resultsOfClass', classSourcedId: params.id ?? '' }),
  }),
  collection('classes/:id/lineItems/:lineItemId/results', 'results', {
    parents: [
      { param: 'id', view: 'classes' },
      { param: 'lineItemId', view: 'lineItems', belongsTo: { field: 'class', param: 'id' } },
    ],
    equal: { 'lineItem.sourcedId': 'lineItemId' },
  }),
  collection('classes/:id/students/:studentId/results', 'results', {
    parents: [
      { param: 'id', view: 'classes' },
      { param: 'studentId', view: 'students' },
    ],
    equal: { 'student.sourcedId': 'studentId' },
    membership: (params) => ({ type: 'resultsOfClass', classSourcedId: params.id ?? '' }),
  }),
];

/** The resources service. */
export const resourceRoutes: readonly Route[] = [
  collection('resources', 'resources'),
  single('resources/:id', 'resources'),
  collection('classes/:id/resources', 'resources', {
    parents: [{ param: 'id', view: 'classes' }],
    membership: (params) => ({ type: 'resourcesOfClass', classSourcedId: params.id ?? '' }),
  }),
  collection('courses/:id/resources', 'resources', {
    parents: [{ param: 'id', view: 'courses' }],
    membership: (params) => ({ type: 'resourcesOfCourse', courseSourcedId: params.id ?? '' }),
  }),
];

export const routes: readonly Route[] = [...rosteringRoutes, ...gradebookRoutes, ...resourceRoutes];

const methodOf: Record<Route['kind'], string> = {
  collection: 'GET',
  single: 'GET',
  put: 'PUT',
  delete: 'DELETE',
};

export function routeMethod(route: Route): string {
  return methodOf[route.kind];
}

/** The routes whose segments match the path, with the parameters they capture. */
export function matchRoutes(segments: readonly string[]): { route: Route; params: Record<string, string> }[] {
  const matches: { route: Route; params: Record<string, string> }[] = [];
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let index = 0; index < segments.length; index++) {
      const pattern = route.segments[index] ?? '';
      const segment = segments[index] ?? '';
      if (pattern.startsWith(':')) params[pattern.slice(1)] = segment;
      else if (pattern !== segment) {
        matched = false;
        break;
      }
    }
    if (matched) matches.push({ route, params });
  }
  return matches;
}
