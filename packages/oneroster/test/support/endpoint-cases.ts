/**
 * Every collection and single-object read of the fixture district, with the sourcedIds each must answer, worked
 * out from the CSV rows independently of the server. The handler tests and the client tests both check them.
 */
import type { CsvDataset } from '../../src/csv/dataset.ts';
import { rowsOf } from './fixture.ts';

export interface CollectionCase {
  path: string;
  /** The wrapper key of the response. */
  key: string;
  ids: string[];
}

export function collectionCases(a: CsvDataset): CollectionCase[] {
  const users = rowsOf(a, 'users');
  const enrollments = rowsOf(a, 'enrollments');
  const classes = rowsOf(a, 'classes');
  const sessions = rowsOf(a, 'academicSessions');
  const lineItems = rowsOf(a, 'lineItems');
  const results = rowsOf(a, 'results');
  const enrolled = (classId: string, role: string) =>
    enrollments
      .filter((row) => row.classSourcedId === classId && row.role === role)
      .map((row) => row.userSourcedId);
  const classesOf = (userId: string) =>
    enrollments.filter((row) => row.userSourcedId === userId).map((row) => row.classSourcedId);
  const all = (file: Parameters<typeof rowsOf>[1]) => rowsOf(a, file).map((row) => row.sourcedId);
  const resultsOfClass = (classId: string) => {
    const items = new Set(
      lineItems.filter((row) => row.classSourcedId === classId).map((row) => row.sourcedId),
    );
    return results.filter((row) => items.has(row.lineItemSourcedId ?? ''));
  };
  const cases: [string, string, (string | undefined)[]][] = [
    ['/academicSessions', 'academicSessions', all('academicSessions')],
    ['/classes', 'classes', all('classes')],
    ['/courses', 'courses', all('courses')],
    ['/demographics', 'demographics', all('demographics')],
    ['/enrollments', 'enrollments', all('enrollments')],
    [
      '/gradingPeriods',
      'academicSessions',
      sessions.filter((row) => row.type === 'gradingPeriod').map((row) => row.sourcedId),
    ],
    ['/orgs', 'orgs', all('orgs')],
    [
      '/schools',
      'orgs',
      rowsOf(a, 'orgs')
        .filter((row) => row.type === 'school')
        .map((row) => row.sourcedId),
    ],
    ['/students', 'users', users.filter((row) => row.role === 'student').map((row) => row.sourcedId)],
    ['/teachers', 'users', users.filter((row) => row.role === 'teacher').map((row) => row.sourcedId)],
    ['/terms', 'academicSessions', ['sem-2026-1']],
    ['/users', 'users', all('users')],
    ['/classes/class-2/students', 'users', enrolled('class-2', 'student')],
    ['/classes/class-2/teachers', 'users', enrolled('class-2', 'teacher')],
    [
      '/courses/course-2/classes',
      'classes',
      classes.filter((row) => row.courseSourcedId === 'course-2').map((row) => row.sourcedId),
    ],
    [
      '/schools/school-1/courses',
      'courses',
      rowsOf(a, 'courses')
        .filter((row) => row.orgSourcedId === 'school-1')
        .map((row) => row.sourcedId),
    ],
    [
      '/schools/school-1/classes',
      'classes',
      classes.filter((row) => row.schoolSourcedId === 'school-1').map((row) => row.sourcedId),
    ],
    [
      '/schools/school-1/enrollments',
      'enrollments',
      enrollments.filter((row) => row.schoolSourcedId === 'school-1').map((row) => row.sourcedId),
    ],
    [
      '/schools/school-2/students',
      'users',
      users
        .filter((row) => row.role === 'student' && row.orgSourcedIds?.split(',').includes('school-2'))
        .map((row) => row.sourcedId),
    ],
    [
      '/schools/school-2/teachers',
      'users',
      users
        .filter((row) => row.role === 'teacher' && row.orgSourcedIds?.split(',').includes('school-2'))
        .map((row) => row.sourcedId),
    ],
    ['/schools/school-1/terms', 'academicSessions', ['sem-2026-1']],
    [
      '/schools/school-1/classes/class-2/enrollments',
      'enrollments',
      enrollments.filter((row) => row.classSourcedId === 'class-2').map((row) => row.sourcedId),
    ],
    ['/schools/school-1/classes/class-2/students', 'users', enrolled('class-2', 'student')],
    ['/schools/school-1/classes/class-2/teachers', 'users', enrolled('class-2', 'teacher')],
    ['/students/student-1/classes', 'classes', classesOf('student-1')],
    ['/teachers/teacher-1/classes', 'classes', classesOf('teacher-1')],
    [
      '/terms/sem-2026-1/classes',
      'classes',
      classes
        .filter((row) => row.termSourcedIds?.split(',').includes('sem-2026-1'))
        .map((row) => row.sourcedId),
    ],
    [
      '/terms/sem-2026-1/gradingPeriods',
      'academicSessions',
      sessions
        .filter((row) => row.parentSourcedId === 'sem-2026-1' && row.type === 'gradingPeriod')
        .map((row) => row.sourcedId),
    ],
    ['/users/student-1/classes', 'classes', classesOf('student-1')],
    ['/categories', 'categories', all('categories')],
    ['/lineItems', 'lineItems', all('lineItems')],
    ['/results', 'results', all('results')],
    [
      '/classes/class-2/lineItems',
      'lineItems',
      lineItems.filter((row) => row.classSourcedId === 'class-2').map((row) => row.sourcedId),
    ],
    ['/classes/class-2/results', 'results', resultsOfClass('class-2').map((row) => row.sourcedId)],
    [
      '/classes/class-2/lineItems/lineitem-2-1/results',
      'results',
      results.filter((row) => row.lineItemSourcedId === 'lineitem-2-1').map((row) => row.sourcedId),
    ],
    [
      '/classes/class-2/students/student-1/results',
      'results',
      resultsOfClass('class-2')
        .filter((row) => row.studentSourcedId === 'student-1')
        .map((row) => row.sourcedId),
    ],
    ['/resources', 'resources', all('resources')],
    [
      '/classes/class-11/resources',
      'resources',
      rowsOf(a, 'classResources')
        .filter((row) => row.classSourcedId === 'class-11')
        .map((row) => row.resourceSourcedId ?? ''),
    ],
    [
      '/courses/course-2/resources',
      'resources',
      rowsOf(a, 'courseResources')
        .filter((row) => row.courseSourcedId === 'course-2')
        .map((row) => row.resourceSourcedId ?? ''),
    ],
  ];
  return cases.map(([path, key, ids]) => ({ path, key, ids: [...new Set(ids.map((id) => id ?? ''))] }));
}

/** Single-object reads: the path and the singular key. */
export const singleCases: readonly (readonly [string, string])[] = [
  ['/academicSessions/sy-2026', 'academicSession'],
  ['/classes/class-2', 'class'],
  ['/courses/course-2', 'course'],
  ['/demographics/student-1', 'demographics'],
  ['/enrollments/enrollment-1', 'enrollment'],
  ['/gradingPeriods/gp-2026-1', 'academicSession'],
  ['/orgs/district-1', 'org'],
  ['/schools/school-1', 'org'],
  ['/students/student-1', 'user'],
  ['/teachers/teacher-1', 'user'],
  ['/terms/sem-2026-1', 'academicSession'],
  ['/users/admin-0', 'user'],
  ['/categories/category-1', 'category'],
  ['/lineItems/lineitem-2-1', 'lineItem'],
  ['/results/result-1', 'result'],
  ['/resources/resource-1', 'resource'],
];
