import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fileNames } from './files.ts';
import {
  academicSessionSchema,
  categorySchema,
  classResourceSchema,
  classSchema,
  courseResourceSchema,
  courseSchema,
  demographicsSchema,
  enrollmentSchema,
  entitySchemas,
  isCedsGrade,
  lineItemSchema,
  orgSchema,
  resourceSchema,
  resultSchema,
  userSchema,
} from './schemas.ts';

const base = 'https://sis.example/ims/oneroster/v1p1';
const ref = (collection: string, type: string, sourcedId: string) => ({
  href: `${base}/${collection}/${sourcedId}`,
  sourcedId,
  type,
});
const stamp = { status: 'active', dateLastModified: '2026-01-02T03:04:05.000Z' };

const validEntities = {
  org: [
    orgSchema,
    {
      sourcedId: 'sch-1',
      ...stamp,
      metadata: { ncesId: '0123' },
      name: 'Lincoln High',
      type: 'school',
      identifier: 'LHS',
      parent: ref('orgs', 'org', 'district-1'),
      children: [ref('orgs', 'org', 'dept-1')],
    },
  ],
  academicSession: [
    academicSessionSchema,
    {
      sourcedId: 'term-1',
      ...stamp,
      title: 'Fall 2026',
      type: 'term',
      startDate: '2026-08-20',
      endDate: '2026-12-18',
      parent: ref('academicSessions', 'academicSession', 'year-2026'),
      schoolYear: '2027',
    },
  ],
  course: [
    courseSchema,
    {
      sourcedId: 'course-1',
      ...stamp,
      title: 'Algebra I',
      schoolYear: ref('academicSessions', 'academicSession', 'year-2026'),
      courseCode: 'MATH-101',
      grades: ['09', '10'],
      subjects: ['Mathematics'],
      org: ref('orgs', 'org', 'sch-1'),
      subjectCodes: ['02052'],
      resources: [ref('resources', 'resource', 'res-1')],
    },
  ],
  class: [
    classSchema,
    {
      sourcedId: 'class-1',
      ...stamp,
      title: 'Algebra I - Period 2',
      classCode: 'ALG1-2',
      classType: 'scheduled',
      location: 'Room 204',
      grades: ['09'],
      subjects: ['Mathematics'],
      course: ref('courses', 'course', 'course-1'),
      school: ref('orgs', 'org', 'sch-1'),
      terms: [ref('academicSessions', 'academicSession', 'term-1')],
      periods: ['2'],
    },
  ],
  user: [
    userSchema,
    {
      sourcedId: 'user-1',
      ...stamp,
      username: 'jdoe',
      userIds: [{ type: 'LDAP', identifier: '12' }],
      enabledUser: true,
      givenName: 'Jane',
      familyName: 'Doe',
      role: 'student',
      email: 'jdoe@example.org',
      agents: [ref('users', 'user', 'parent-1')],
      orgs: [ref('orgs', 'org', 'sch-1')],
      grades: ['09'],
    },
  ],
  enrollment: [
    enrollmentSchema,
    {
      sourcedId: 'enr-1',
      ...stamp,
      user: ref('users', 'user', 'user-1'),
      class: ref('classes', 'class', 'class-1'),
      school: ref('orgs', 'org', 'sch-1'),
      role: 'student',
      primary: false,
      beginDate: '2026-08-20',
    },
  ],
  demographics: [
    demographicsSchema,
    { sourcedId: 'user-1', ...stamp, birthDate: '2011-04-01', sex: 'female', asian: true, white: false },
  ],
  category: [categorySchema, { sourcedId: 'cat-1', ...stamp, title: 'Homework' }],
  lineItem: [
    lineItemSchema,
    {
      sourcedId: 'li-1',
      ...stamp,
      title: 'Quiz 1',
      assignDate: '2026-09-01T00:00:00.000Z',
      dueDate: '2026-09-08T23:59:00.000Z',
      class: ref('classes', 'class', 'class-1'),
      category: ref('categories', 'category', 'cat-1'),
      gradingPeriod: ref('academicSessions', 'academicSession', 'gp-1'),
      resultValueMin: 0,
      resultValueMax: 10,
    },
  ],
  result: [
    resultSchema,
    {
      sourcedId: 'res-1',
      ...stamp,
      lineItem: ref('lineItems', 'lineItem', 'li-1'),
      student: ref('users', 'user', 'user-1'),
      scoreStatus: 'fully graded',
      score: 8.5,
      scoreDate: '2026-09-09',
      comment: 'Good work, keep going',
    },
  ],
  resource: [
    resourceSchema,
    {
      sourcedId: 'res-1',
      ...stamp,
      title: 'Algebra e-book',
      roles: ['student', 'teacher'],
      importance: 'primary',
      vendorResourceId: 'vendor-42',
    },
  ],
  classResource: [
    classResourceSchema,
    {
      sourcedId: 'cr-1',
      class: ref('classes', 'class', 'class-1'),
      resource: ref('resources', 'resource', 'res-1'),
    },
  ],
  courseResource: [
    courseResourceSchema,
    {
      sourcedId: 'kr-1',
      title: 'Course book',
      course: ref('courses', 'course', 'course-1'),
      resource: ref('resources', 'resource', 'res-1'),
    },
  ],
} satisfies Record<string, [z.ZodType, unknown]>;

/** The first issue of a failed parse, as `{code, path}`. */
function firstIssue(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  const issue = result.error?.issues[0];
  return { code: issue?.code, path: issue?.path };
}

describe('entity schemas', () => {
  it.each(Object.entries(validEntities))('accepts a valid %s', (_name, [schema, entity]) => {
    expect(schema.parse(entity)).toEqual(entity);
  });

  it('has a schema for every CSV file', () => {
    expect(Object.keys(entitySchemas).sort()).toEqual([...fileNames].sort());
  });

  it('accepts an entity of a bulk file, which has no status and no dateLastModified', () => {
    expect(categorySchema.parse({ sourcedId: 'cat-1', title: 'Homework' })).toEqual({
      sourcedId: 'cat-1',
      title: 'Homework',
    });
  });

  it('refuses a role outside the vocabulary, at its path', () => {
    const [, user] = validEntities.user;
    expect(firstIssue(userSchema, { ...user, role: 'principal' })).toEqual({
      code: 'invalid_value',
      path: ['role'],
    });
  });

  it('refuses an enrollment role a user may have but an enrollment may not', () => {
    const [, enrollment] = validEntities.enrollment;
    expect(firstIssue(enrollmentSchema, { ...enrollment, role: 'guardian' })).toEqual({
      code: 'invalid_value',
      path: ['role'],
    });
  });

  it('refuses a missing required field, at its path', () => {
    const { orgs: _orgs, ...user } = validEntities.user[1];
    expect(firstIssue(userSchema, user)).toEqual({ code: 'invalid_type', path: ['orgs'] });
  });

  it('refuses a class without terms', () => {
    const [, entity] = validEntities.class;
    expect(firstIssue(classSchema, { ...entity, terms: [] })).toEqual({ code: 'too_small', path: ['terms'] });
  });

  it('refuses a GUIDRef without an href, at the nested path', () => {
    const [, entity] = validEntities.class;
    const { href: _href, ...school } = entity.school;
    expect(firstIssue(classSchema, { ...entity, school })).toEqual({
      code: 'invalid_type',
      path: ['school', 'href'],
    });
  });

  it('refuses a GUIDRef type outside the vocabulary', () => {
    const [, entity] = validEntities.result;
    expect(firstIssue(resultSchema, { ...entity, student: { ...entity.student, type: 'pupil' } })).toEqual({
      code: 'invalid_value',
      path: ['student', 'type'],
    });
  });

  it('refuses a status outside the vocabulary', () => {
    const [, entity] = validEntities.org;
    expect(firstIssue(orgSchema, { ...entity, status: 'inactive' })).toEqual({
      code: 'invalid_value',
      path: ['status'],
    });
  });

  it('refuses a dateLastModified that is not a UTC datetime', () => {
    const [, entity] = validEntities.category;
    for (const dateLastModified of ['2026-01-02', '2026-01-02T03:04:05+01:00']) {
      expect(firstIssue(categorySchema, { ...entity, dateLastModified })).toEqual({
        code: 'custom',
        path: ['dateLastModified'],
      });
    }
  });

  it('refuses a date that does not exist and a lineItem assignDate without a time', () => {
    const [, session] = validEntities.academicSession;
    expect(firstIssue(academicSessionSchema, { ...session, endDate: '2026-02-30' })).toEqual({
      code: 'custom',
      path: ['endDate'],
    });
    const [, lineItem] = validEntities.lineItem;
    expect(firstIssue(lineItemSchema, { ...lineItem, assignDate: '2026-09-01' })).toEqual({
      code: 'custom',
      path: ['assignDate'],
    });
  });

  it('refuses a score that is not a number', () => {
    const [, entity] = validEntities.result;
    expect(firstIssue(resultSchema, { ...entity, score: '8.5' })).toEqual({
      code: 'invalid_type',
      path: ['score'],
    });
  });

  it('refuses a schoolYear that is not a four-digit year', () => {
    const [, entity] = validEntities.academicSession;
    expect(firstIssue(academicSessionSchema, { ...entity, schoolYear: '2026-27' })).toEqual({
      code: 'custom',
      path: ['schoolYear'],
    });
  });

  it('reads the boolean spellings servers use, and gives JSON booleans', () => {
    const [, user] = validEntities.user;
    expect(userSchema.parse({ ...user, enabledUser: 'false' }).enabledUser).toBe(false);
    expect(enrollmentSchema.parse({ ...validEntities.enrollment[1], primary: 'true' }).primary).toBe(true);
    expect(firstIssue(userSchema, { ...user, enabledUser: 'TRUE' })).toEqual({
      code: 'invalid_union',
      path: ['enabledUser'],
    });
  });

  it('accepts CEDS grades and other grades as extensions', () => {
    const [, user] = validEntities.user;
    expect(userSchema.parse({ ...user, grades: ['KG', 'Grade 9'] }).grades).toEqual(['KG', 'Grade 9']);
    expect(isCedsGrade('KG')).toBe(true);
    expect(isCedsGrade('09')).toBe(true);
    expect(isCedsGrade('9')).toBe(false);
    expect(isCedsGrade('Grade 9')).toBe(false);
    expect(firstIssue(userSchema, { ...user, grades: [''] })).toEqual({
      code: 'too_small',
      path: ['grades', 0],
    });
  });

  it('refuses resource roles outside the role vocabulary', () => {
    const [, entity] = validEntities.resource;
    expect(firstIssue(resourceSchema, { ...entity, roles: ['learner'] })).toEqual({
      code: 'invalid_value',
      path: ['roles', 0],
    });
  });

  it('drops fields the binding does not define (extensions belong in metadata)', () => {
    const [, entity] = validEntities.category;
    expect(categorySchema.parse({ ...entity, color: 'red' })).toEqual(entity);
  });
});
