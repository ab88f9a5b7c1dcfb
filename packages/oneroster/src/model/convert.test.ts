import { PassportError } from '@passport/core';
import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../csv/dataset.ts';
import { ConversionError, csvRowToEntity, entityToCsvRow } from './convert.ts';
import { type FileName, headerOf } from './files.ts';
import { type EntityByFile, entitySchemas } from './schemas.ts';
import type { GuidRefType } from './vocabulary.ts';

const baseUrl = 'https://sis.example/ims/oneroster/v1p1';
const options = { baseUrl };

/** A row of `file` with every spec column: the given cells, blank elsewhere. */
function rowOf(file: FileName, cells: CsvRow): CsvRow {
  const row: CsvRow = {};
  for (const column of headerOf(file)) row[column] = cells[column] ?? '';
  for (const [column, cell] of Object.entries(cells)) row[column] ??= cell;
  return row;
}

function ref(collection: string, type: GuidRefType, sourcedId: string) {
  return { href: `${baseUrl}/${collection}/${sourcedId}`, sourcedId, type };
}

const delta = { status: 'active', dateLastModified: '2026-01-02T03:04:05.000Z' } as const;

/** Converts both ways and checks each direction gives the other, and that the entity is valid. */
function expectBothWays<File extends FileName>(file: File, row: CsvRow, entity: EntityByFile[File]) {
  expect(csvRowToEntity(file, row, options)).toEqual(entity);
  expect(entityToCsvRow(file, entity)).toEqual(row);
  expect(entitySchemas[file].parse(entity)).toEqual(entity);
}

describe('CSV ⇄ JSON, one example per file', () => {
  it('orgs: parent is an org GUIDRef', () => {
    expectBothWays(
      'orgs',
      rowOf('orgs', {
        sourcedId: 'sch-1',
        ...delta,
        name: 'Lincoln High',
        type: 'school',
        parentSourcedId: 'dist-1',
      }),
      {
        sourcedId: 'sch-1',
        ...delta,
        name: 'Lincoln High',
        type: 'school',
        parent: ref('orgs', 'org', 'dist-1'),
      },
    );
  });

  it('academicSessions: dates and schoolYear stay text, parent is an academicSession', () => {
    expectBothWays(
      'academicSessions',
      rowOf('academicSessions', {
        sourcedId: 'term-1',
        ...delta,
        title: 'Fall 2026',
        type: 'term',
        startDate: '2026-08-20',
        endDate: '2026-12-18',
        parentSourcedId: 'year-2027',
        schoolYear: '2027',
      }),
      {
        sourcedId: 'term-1',
        ...delta,
        title: 'Fall 2026',
        type: 'term',
        startDate: '2026-08-20',
        endDate: '2026-12-18',
        parent: ref('academicSessions', 'academicSession', 'year-2027'),
        schoolYear: '2027',
      },
    );
  });

  it('courses: schoolYear is an academicSession, org an org, lists become arrays', () => {
    expectBothWays(
      'courses',
      rowOf('courses', {
        sourcedId: 'course-1',
        ...delta,
        schoolYearSourcedId: 'year-2027',
        title: 'Algebra I',
        courseCode: 'MATH-101',
        grades: '09,10',
        orgSourcedId: 'sch-1',
        subjects: 'Mathematics,Pre-Algebra',
        subjectCodes: '02052',
      }),
      {
        sourcedId: 'course-1',
        ...delta,
        schoolYear: ref('academicSessions', 'academicSession', 'year-2027'),
        title: 'Algebra I',
        courseCode: 'MATH-101',
        grades: ['09', '10'],
        org: ref('orgs', 'org', 'sch-1'),
        subjects: ['Mathematics', 'Pre-Algebra'],
        subjectCodes: ['02052'],
      },
    );
  });

  it('classes: course, school (an org) and terms (academicSessions)', () => {
    expectBothWays(
      'classes',
      rowOf('classes', {
        sourcedId: 'class-1',
        ...delta,
        title: 'Algebra I, period 2',
        grades: '09',
        courseSourcedId: 'course-1',
        classCode: 'ALG1-2',
        classType: 'scheduled',
        location: 'Room 204',
        schoolSourcedId: 'sch-1',
        termSourcedIds: 'term-1,term-2',
        subjects: 'Mathematics',
        periods: '2,3',
      }),
      {
        sourcedId: 'class-1',
        ...delta,
        title: 'Algebra I, period 2',
        grades: ['09'],
        course: ref('courses', 'course', 'course-1'),
        classCode: 'ALG1-2',
        classType: 'scheduled',
        location: 'Room 204',
        school: ref('orgs', 'org', 'sch-1'),
        terms: [
          ref('academicSessions', 'academicSession', 'term-1'),
          ref('academicSessions', 'academicSession', 'term-2'),
        ],
        subjects: ['Mathematics'],
        periods: ['2', '3'],
      },
    );
  });

  it('users: userIds objects, a boolean enabledUser, orgs and agents', () => {
    expectBothWays(
      'users',
      rowOf('users', {
        sourcedId: 'user-1',
        ...delta,
        enabledUser: 'true',
        orgSourcedIds: 'sch-1,sch-2',
        role: 'student',
        username: 'jdoe',
        userIds: '{LDAP:12},{SIS:S-0042}',
        givenName: 'Jane',
        familyName: 'Doe',
        email: 'jdoe@example.org',
        agentSourcedIds: 'parent-1',
        grades: 'KG',
      }),
      {
        sourcedId: 'user-1',
        ...delta,
        enabledUser: true,
        orgs: [ref('orgs', 'org', 'sch-1'), ref('orgs', 'org', 'sch-2')],
        role: 'student',
        username: 'jdoe',
        userIds: [
          { type: 'LDAP', identifier: '12' },
          { type: 'SIS', identifier: 'S-0042' },
        ],
        givenName: 'Jane',
        familyName: 'Doe',
        email: 'jdoe@example.org',
        agents: [ref('users', 'user', 'parent-1')],
        grades: ['KG'],
      },
    );
  });

  it('enrollments: user, class and school GUIDRefs, primary a boolean', () => {
    expectBothWays(
      'enrollments',
      rowOf('enrollments', {
        sourcedId: 'enr-1',
        ...delta,
        classSourcedId: 'class-1',
        schoolSourcedId: 'sch-1',
        userSourcedId: 'teacher-1',
        role: 'teacher',
        primary: 'false',
        beginDate: '2026-08-20',
        endDate: '2026-12-18',
      }),
      {
        sourcedId: 'enr-1',
        ...delta,
        class: ref('classes', 'class', 'class-1'),
        school: ref('orgs', 'org', 'sch-1'),
        user: ref('users', 'user', 'teacher-1'),
        role: 'teacher',
        primary: false,
        beginDate: '2026-08-20',
        endDate: '2026-12-18',
      },
    );
  });

  it("demographics: the user's sourcedId, booleans, blank cells absent", () => {
    expectBothWays(
      'demographics',
      rowOf('demographics', {
        sourcedId: 'user-1',
        ...delta,
        birthDate: '2011-04-01',
        sex: 'female',
        asian: 'true',
        white: 'false',
        countryOfBirthCode: 'US',
        stateOfBirthAbbreviation: 'NY',
        cityOfBirth: 'Albany',
      }),
      {
        sourcedId: 'user-1',
        ...delta,
        birthDate: '2011-04-01',
        sex: 'female',
        asian: true,
        white: false,
        countryOfBirthCode: 'US',
        stateOfBirthAbbreviation: 'NY',
        cityOfBirth: 'Albany',
      },
    );
  });

  it('categories', () => {
    expectBothWays('categories', rowOf('categories', { sourcedId: 'cat-1', ...delta, title: 'Homework' }), {
      sourcedId: 'cat-1',
      ...delta,
      title: 'Homework',
    });
  });

  it('lineItems: dates become midnight UTC datetimes, gradingPeriod an academicSession, floats numbers', () => {
    expectBothWays(
      'lineItems',
      rowOf('lineItems', {
        sourcedId: 'li-1',
        ...delta,
        title: 'Quiz 1',
        description: 'Chapters 1, 2 and 3',
        assignDate: '2026-09-01',
        dueDate: '2026-09-08',
        classSourcedId: 'class-1',
        categorySourcedId: 'cat-1',
        gradingPeriodSourcedId: 'gp-1',
        resultValueMin: '0',
        resultValueMax: '12.5',
      }),
      {
        sourcedId: 'li-1',
        ...delta,
        title: 'Quiz 1',
        description: 'Chapters 1, 2 and 3',
        assignDate: '2026-09-01T00:00:00.000Z',
        dueDate: '2026-09-08T00:00:00.000Z',
        class: ref('classes', 'class', 'class-1'),
        category: ref('categories', 'category', 'cat-1'),
        gradingPeriod: ref('academicSessions', 'academicSession', 'gp-1'),
        resultValueMin: 0,
        resultValueMax: 12.5,
      },
    );
  });

  it('results: lineItem and student (a user), score a number', () => {
    expectBothWays(
      'results',
      rowOf('results', {
        sourcedId: 'result-1',
        ...delta,
        lineItemSourcedId: 'li-1',
        studentSourcedId: 'user-1',
        scoreStatus: 'partially graded',
        score: '-0.25',
        scoreDate: '2026-09-09',
        comment: 'Late, see me',
      }),
      {
        sourcedId: 'result-1',
        ...delta,
        lineItem: ref('lineItems', 'lineItem', 'li-1'),
        student: ref('users', 'user', 'user-1'),
        scoreStatus: 'partially graded',
        score: -0.25,
        scoreDate: '2026-09-09',
        comment: 'Late, see me',
      },
    );
  });

  it('resources: roles become an array', () => {
    expectBothWays(
      'resources',
      rowOf('resources', {
        sourcedId: 'res-1',
        ...delta,
        vendorResourceId: 'vendor-42',
        title: 'Algebra e-book',
        roles: 'student,teacher',
        importance: 'primary',
        vendorId: 'acme',
        applicationId: 'reader',
      }),
      {
        sourcedId: 'res-1',
        ...delta,
        vendorResourceId: 'vendor-42',
        title: 'Algebra e-book',
        roles: ['student', 'teacher'],
        importance: 'primary',
        vendorId: 'acme',
        applicationId: 'reader',
      },
    );
  });

  it('classResources: a link with its own sourcedId, class and resource GUIDRefs', () => {
    expectBothWays(
      'classResources',
      rowOf('classResources', {
        sourcedId: 'cr-1',
        ...delta,
        title: 'Class book',
        classSourcedId: 'class-1',
        resourceSourcedId: 'res-1',
      }),
      {
        sourcedId: 'cr-1',
        ...delta,
        title: 'Class book',
        class: ref('classes', 'class', 'class-1'),
        resource: ref('resources', 'resource', 'res-1'),
      },
    );
  });

  it('courseResources: a link with course and resource GUIDRefs', () => {
    expectBothWays(
      'courseResources',
      rowOf('courseResources', {
        sourcedId: 'kr-1',
        ...delta,
        courseSourcedId: 'course-1',
        resourceSourcedId: 'res-1',
      }),
      {
        sourcedId: 'kr-1',
        ...delta,
        course: ref('courses', 'course', 'course-1'),
        resource: ref('resources', 'resource', 'res-1'),
      },
    );
  });
});

describe('CSV ⇄ JSON representation rules', () => {
  it('a bulk row has no status and no dateLastModified in JSON, and gets its blank cells back', () => {
    const row = rowOf('categories', { sourcedId: 'cat-1', title: 'Homework' });
    const entity = csvRowToEntity('categories', row, options);
    expect(entity).toEqual({ sourcedId: 'cat-1', title: 'Homework' });
    expect('status' in entity).toBe(false);
    expect(entityToCsvRow('categories', entity)).toEqual({
      sourcedId: 'cat-1',
      status: '',
      dateLastModified: '',
      title: 'Homework',
    });
  });

  it('metadata.* columns become the metadata object, blank cells included, and come back in order', () => {
    const row = rowOf('orgs', {
      sourcedId: 'sch-1',
      ...delta,
      name: 'Lincoln High',
      type: 'school',
      'metadata.ncesId': '0123',
      'metadata.region': '',
    });
    const entity = csvRowToEntity('orgs', row, options);
    expect(entity.metadata).toEqual({ ncesId: '0123', region: '' });
    expect(Object.keys(entity).slice(0, 4)).toEqual(['sourcedId', 'status', 'dateLastModified', 'metadata']);
    const back = entityToCsvRow('orgs', entity);
    expect(back).toEqual(row);
    expect(Object.keys(back)).toEqual([...headerOf('orgs'), 'metadata.ncesId', 'metadata.region']);
  });

  it('writes non-text metadata values as their JSON text', () => {
    const row = entityToCsvRow('categories', {
      sourcedId: 'cat-1',
      title: 'Homework',
      metadata: { weight: 0.2, tags: ['a', 'b'], visible: true },
    });
    expect(row['metadata.weight']).toBe('0.2');
    expect(row['metadata.tags']).toBe('["a","b"]');
    expect(row['metadata.visible']).toBe('true');
  });

  it('writes a lineItem due at a time other than midnight with its time, and reads it back', () => {
    const entity = csvRowToEntity(
      'lineItems',
      rowOf('lineItems', {
        sourcedId: 'li-1',
        title: 'Quiz',
        assignDate: '2026-09-01',
        dueDate: '2026-09-08',
        classSourcedId: 'class-1',
        categorySourcedId: 'cat-1',
        gradingPeriodSourcedId: 'gp-1',
        resultValueMin: '0',
        resultValueMax: '10',
      }),
      options,
    );
    const dueLate = { ...entity, dueDate: '2026-09-08T23:59:00.000Z' };
    const row = entityToCsvRow('lineItems', dueLate);
    expect(row.dueDate).toBe('2026-09-08T23:59:00.000Z');
    expect(row.assignDate).toBe('2026-09-01');
    expect(csvRowToEntity('lineItems', row, options)).toEqual(dueLate);
  });

  it('percent-encodes sourcedIds in hrefs and ignores a trailing slash on the base URL', () => {
    const row = rowOf('classResources', {
      sourcedId: 'cr 1',
      classSourcedId: 'class/1',
      resourceSourcedId: 'r#1',
    });
    const entity = csvRowToEntity('classResources', row, { baseUrl: `${baseUrl}/` });
    expect(entity.class).toEqual({
      href: `${baseUrl}/classes/class%2F1`,
      sourcedId: 'class/1',
      type: 'class',
    });
    expect(entity.resource.href).toBe(`${baseUrl}/resources/r%231`);
  });

  it('does not write derived fields that no CSV column holds', () => {
    const row = entityToCsvRow('orgs', {
      sourcedId: 'dist-1',
      name: 'District',
      type: 'district',
      children: [ref('orgs', 'org', 'sch-1')],
    });
    expect(row).toEqual(rowOf('orgs', { sourcedId: 'dist-1', name: 'District', type: 'district' }));
  });
});

describe('conversion errors', () => {
  function thrown(action: () => unknown): unknown {
    try {
      action();
    } catch (error) {
      return error;
    }
    throw new Error('expected the conversion to throw');
  }

  it.each([
    ['a boolean that is not normalized', 'users', { enabledUser: 'TRUE' }],
    ['a userIds item without braces', 'users', { enabledUser: 'true', userIds: 'LDAP:12' }],
    ['a blank required reference', 'users', { enabledUser: 'true', orgSourcedIds: '' }],
    [
      'a score that is not a decimal',
      'results',
      { lineItemSourcedId: 'li', studentSourcedId: 's', score: 'ten' },
    ],
  ] as const)('refuses %s with ONEROSTER_CSV_CELL_NOT_CONVERTIBLE', (_name, file, cells) => {
    const base = { sourcedId: 'x', orgSourcedIds: 'sch-1', score: '1' };
    const error = thrown(() => csvRowToEntity(file, rowOf(file, { ...base, ...cells }), options));
    expect(error).toBeInstanceOf(ConversionError);
    expect(PassportError.is(error) && error.code).toBe('ONEROSTER_CSV_CELL_NOT_CONVERTIBLE');
  });

  it('refuses a list item holding a comma with ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV', () => {
    const entity = csvRowToEntity(
      'courses',
      rowOf('courses', { sourcedId: 'c', title: 'T', orgSourcedId: 'o' }),
      options,
    );
    const error = thrown(() => entityToCsvRow('courses', { ...entity, subjects: ['Reading, Writing'] }));
    expect(PassportError.is(error) && error.code).toBe('ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV');
    expect(PassportError.is(error) && error.status).toBe(400);
  });

  it('refuses a userIds identifier holding a comma with ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV', () => {
    const entity = csvRowToEntity(
      'users',
      rowOf('users', { sourcedId: 'u', enabledUser: 'true', orgSourcedIds: 'o', role: 'student' }),
      options,
    );
    const error = thrown(() =>
      entityToCsvRow('users', { ...entity, userIds: [{ type: 'LDAP', identifier: '1,2' }] }),
    );
    expect(PassportError.is(error) && error.code).toBe('ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV');
  });
});
