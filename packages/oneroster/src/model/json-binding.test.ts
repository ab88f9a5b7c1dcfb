import { describe, expect, it } from 'vitest';
import { fileNames, fileSpecs } from './files.ts';
import { fieldBindings, guidRefHref } from './json-binding.ts';

describe('the JSON binding of each CSV column', () => {
  it('gives every reference column its JSON field and GUIDRef type', () => {
    const references = fileNames.flatMap((file) =>
      fieldBindings[file].flatMap((binding) =>
        binding.codec.type === 'reference'
          ? [
              `${file}.${binding.column} → ${binding.field}: ${binding.codec.guidRefType}${binding.codec.many ? '[]' : ''}`,
            ]
          : [],
      ),
    );
    expect(references).toEqual([
      'orgs.parentSourcedId → parent: org',
      'academicSessions.parentSourcedId → parent: academicSession',
      'courses.schoolYearSourcedId → schoolYear: academicSession',
      'courses.orgSourcedId → org: org',
      'classes.courseSourcedId → course: course',
      'classes.schoolSourcedId → school: org',
      'classes.termSourcedIds → terms: academicSession[]',
      'users.orgSourcedIds → orgs: org[]',
      'users.agentSourcedIds → agents: user[]',
      'enrollments.classSourcedId → class: class',
      'enrollments.schoolSourcedId → school: org',
      'enrollments.userSourcedId → user: user',
      'lineItems.classSourcedId → class: class',
      'lineItems.categorySourcedId → category: category',
      'lineItems.gradingPeriodSourcedId → gradingPeriod: academicSession',
      'results.lineItemSourcedId → lineItem: lineItem',
      'results.studentSourcedId → student: user',
      'classResources.classSourcedId → class: class',
      'classResources.resourceSourcedId → resource: resource',
      'courseResources.courseSourcedId → course: course',
      'courseResources.resourceSourcedId → resource: resource',
    ]);
  });

  it('binds every column of every file, in spec order', () => {
    for (const file of fileNames) {
      expect(fieldBindings[file].map((binding) => binding.column)).toEqual(
        fileSpecs[file].map((column) => column.name),
      );
    }
  });

  it('carries lineItem assignDate and dueDate as datetimes and nothing else', () => {
    const datetimes = fileNames.flatMap((file) =>
      fieldBindings[file]
        .filter((binding) => binding.codec.type === 'dateAsDatetime')
        .map((b) => `${file}.${b.column}`),
    );
    expect(datetimes).toEqual(['lineItems.assignDate', 'lineItems.dueDate']);
  });

  it('builds hrefs into the REST collection of the GUIDRef type', () => {
    expect(guidRefHref('https://sis.example/ims/oneroster/v1p1', 'academicSession', 't 1')).toBe(
      'https://sis.example/ims/oneroster/v1p1/academicSessions/t%201',
    );
    expect(guidRefHref('https://sis.example/v1p1//', 'category', 'c')).toBe(
      'https://sis.example/v1p1/categories/c',
    );
  });
});
