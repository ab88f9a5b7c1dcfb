import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { type ValidationProgress, validatePackage } from '../src/csv/validate.ts';
import { OneRosterError } from '../src/errors.ts';
import type { FileName } from '../src/model/files.ts';
import {
  cleanPackage,
  cleanRows,
  manifest,
  type PackageFiles,
  removePackages,
  row,
  table,
  writePackageDir,
  writePackageZip,
} from './fixtures/packages.ts';

afterAll(removePackages);

const stamp = '2026-01-02T03:04:05Z';
const codesOf = (findings: Array<{ code: string }>) => findings.map((finding) => finding.code);

describe('validatePackage on a clean package', () => {
  it('finds nothing in a directory and counts the rows of every file', async () => {
    const report = await validatePackage(await writePackageDir(cleanPackage()));
    expect(report).toMatchObject({
      valid: true,
      errors: [],
      warnings: [],
      totals: { errors: 0, warnings: 0 },
      truncated: false,
    });
    expect(report.counts).toEqual({
      orgs: 2,
      academicSessions: 2,
      courses: 1,
      classes: 1,
      users: 3,
      enrollments: 2,
      demographics: 1,
      categories: 1,
      lineItems: 1,
      results: 1,
      resources: 1,
      classResources: 1,
      courseResources: 1,
    });
    expect(report.manifest?.properties).toEqual({
      'source.systemName': 'Test SIS',
      'source.systemCode': 'test-sis',
    });
  });

  it('finds nothing in the same package as a zip', async () => {
    const report = await validatePackage(await writePackageZip(cleanPackage()));
    expect(report.valid).toBe(true);
    expect([...report.errors, ...report.warnings]).toEqual([]);
    expect(report.counts.users).toBe(3);
  });
});

describe('line numbers', () => {
  it('reports at editor lines in a file with a BOM, CRLF line ends and a quoted field spanning lines', async () => {
    const rows = cleanRows().users;
    const users = [
      row('users', { ...rows[0], middleName: 'Ann\r\nMarie, "AM"' }),
      row('users', { ...rows[1], enabledUser: 'maybe' }),
      row('users', rows[2] ?? {}),
    ];
    const header =
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password';
    const text = `\ufeff${[header, ...users].join('\r\n')}\r\n`;
    const report = await validatePackage(await writePackageDir({ ...cleanPackage(), 'users.csv': text }));
    // Line 1 header, lines 2-3 the teacher (its middle name spans two lines), line 4 the student.
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'ONEROSTER_CSV_BOOLEAN_INVALID',
        file: 'users.csv',
        line: 4,
        column: 'enabledUser',
      }),
    ]);
    expect(report.warnings).toEqual([]);
  });
});

describe('the findings cap', () => {
  it('keeps maxFindings errors and maxFindings warnings, and counts them all', async () => {
    const rows = cleanRows();
    const enrollments = Array.from({ length: 5 }, (_, index) => ({
      ...rows.enrollments[1],
      sourcedId: `e-bad-${index}`,
      userSourcedId: `u-missing-${index}`,
      role: 'Student',
    }));
    const files = { ...cleanPackage(), 'enrollments.csv': table('enrollments', enrollments) };
    const report = await validatePackage(await writePackageDir(files), { maxFindings: 2 });
    expect(report.totals).toEqual({ errors: 5, warnings: 5 });
    expect(report.errors.map((finding) => finding.line)).toEqual([2, 3]);
    expect(codesOf(report.errors)).toEqual([
      'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
      'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
    ]);
    expect(codesOf(report.warnings)).toEqual([
      'ONEROSTER_CSV_CASE_NORMALIZED',
      'ONEROSTER_CSV_CASE_NORMALIZED',
    ]);
    expect(report.truncated).toBe(true);
    expect(report.valid).toBe(false);
  });

  it('defaults to 1000 kept findings', async () => {
    const rows = cleanRows();
    const categories = [
      ...rows.categories,
      ...Array.from({ length: 1100 }, (_, index) => ({ sourcedId: `k${index}`, title: '' })),
    ];
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'categories.csv': table('categories', categories) }),
    );
    expect(report.errors).toHaveLength(1000);
    expect(report.totals.errors).toBe(1100);
    expect(report.truncated).toBe(true);
  });
});

describe('duplicate sourcedIds', () => {
  it('reports every repeat with the line of the first occurrence, confirmed by a second pass', async () => {
    const text = 'sourcedId,status,dateLastModified,title\nk1,,,A\nk2,,,B\nk1,,,C\nk3,,,D\nk1,,,E\nk2,,,F\n';
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'categories.csv': text }),
    );
    const duplicates = report.errors.filter(
      (finding) => finding.code === 'ONEROSTER_CSV_SOURCED_ID_DUPLICATE',
    );
    expect(duplicates.map(({ line, value }) => [line, value])).toEqual([
      [4, 'k1'],
      [6, 'k1'],
      [7, 'k2'],
    ]);
    expect(duplicates[0]?.message).toContain('line 2');
    expect(duplicates[2]?.message).toContain('line 3');
  });

  it('confirms repeats in a file nothing references (enrollments) from its sorted hash log', async () => {
    const rows = cleanRows();
    const enrollments = [
      ...rows.enrollments,
      { ...rows.enrollments[1], sourcedId: 'e1' },
      { ...rows.enrollments[1], sourcedId: 'e3' },
    ];
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'enrollments.csv': table('enrollments', enrollments) }),
    );
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'ONEROSTER_CSV_SOURCED_ID_DUPLICATE',
        file: 'enrollments.csv',
        line: 4,
        column: 'sourcedId',
        value: 'e1',
      }),
    ]);
    expect(report.errors[0]?.message).toContain('line 2');
  });
});

describe('references', () => {
  it('resolves a parent that comes later in the same file, and reports one that never comes', async () => {
    const rows = cleanRows();
    const orgs = [
      { sourcedId: 's2', name: 'South High', type: 'school', parentSourcedId: 'd1' },
      { sourcedId: 's3', name: 'East High', type: 'school', parentSourcedId: 'd-nowhere' },
      ...rows.orgs,
    ];
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'orgs.csv': table('orgs', orgs) }),
    );
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
        file: 'orgs.csv',
        line: 3,
        column: 'parentSourcedId',
        value: 'd-nowhere',
      }),
    ]);
  });

  it('checks each item of a multi-valued reference', async () => {
    const rows = cleanRows();
    rows.users[1] = {
      ...rows.users[1],
      orgSourcedIds: 's1,s-gone,d1',
      agentSourcedIds: 'u-guardian,u-ghost',
    };
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'users.csv': table('users', rows.users) }),
    );
    expect(report.errors.map(({ line, column, value }) => [line, column, value])).toEqual([
      [3, 'orgSourcedIds', 's-gone'],
      [3, 'agentSourcedIds', 'u-ghost'],
    ]);
  });

  it('does not cascade: rows referencing a row with the wrong field count are not reported', async () => {
    const text = `${table('categories', []).trimEnd()}\ncat1,,,Homework,extra\n`;
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'categories.csv': text }),
    );
    expect(codesOf(report.errors)).toEqual(['ONEROSTER_CSV_ROW_FIELD_COUNT']);
  });

  it('does not check references into a file that was cut short', async () => {
    const text = `${table('categories', []).trimEnd()}\n"cat1,,,Homework\n`;
    const report = await validatePackage(
      await writePackageDir({ ...cleanPackage(), 'categories.csv': text }),
    );
    expect(codesOf(report.errors)).toEqual(['ONEROSTER_CSV_MALFORMED']);
  });
});

describe('bulk and delta', () => {
  /** A delta package: users and enrollments changed; orgs and classes absent (imported before). */
  function deltaPackage(userSourcedId: string): PackageFiles {
    return {
      'manifest.csv': manifest({ users: 'delta', enrollments: 'delta' }),
      'users.csv': table('users', [
        {
          ...cleanRows().users[1],
          status: 'active',
          dateLastModified: stamp,
          agentSourcedIds: '',
          orgSourcedIds: 's1',
        },
        { sourcedId: 'u-left', status: 'tobedeleted', dateLastModified: stamp },
      ]),
      'enrollments.csv': table('enrollments', [
        {
          sourcedId: 'e7',
          status: 'active',
          dateLastModified: stamp,
          classSourcedId: 'cl1',
          schoolSourcedId: 's1',
          userSourcedId,
          role: 'student',
        },
      ]),
    };
  }

  it('without knownIds, a reference outside a delta package is a warning per reference', async () => {
    const report = await validatePackage(await writePackageDir(deltaPackage('u-student')));
    expect(report.valid).toBe(true);
    expect(report.warnings.map(({ file, line, column }) => [file, line, column])).toEqual([
      ['users.csv', 2, 'orgSourcedIds'],
      ['enrollments.csv', 2, 'classSourcedId'],
      ['enrollments.csv', 2, 'schoolSourcedId'],
    ]);
    expect(new Set(codesOf(report.warnings))).toEqual(new Set(['ONEROSTER_CSV_REFERENCE_UNVERIFIED']));
  });

  it('with knownIds, a reference known from earlier data is fine and an unknown one is an error', async () => {
    const asked: string[] = [];
    const knownIds = (file: FileName, id: string) => {
      asked.push(`${file}:${id}`);
      return id !== 'cl1';
    };
    const report = await validatePackage(await writePackageDir(deltaPackage('u-student')), { knownIds });
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
        file: 'enrollments.csv',
        line: 2,
        column: 'classSourcedId',
        value: 'cl1',
      }),
    ]);
    expect(report.warnings).toEqual([]);
    // Ids present in the package are not asked about (u-student is in the delta users file).
    expect(asked.sort()).toEqual(['classes:cl1', 'orgs:s1', 'orgs:s1']);
  });

  it('a delta reference to a user missing from the delta file is asked of knownIds', async () => {
    const report = await validatePackage(await writePackageDir(deltaPackage('u-old')), {
      knownIds: (file, id) => file !== 'users' || id === 'u-old',
    });
    expect(report.valid).toBe(true);
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it('a bulk target is complete: knownIds cannot vouch for an id missing from it', async () => {
    const rows = cleanRows();
    rows.enrollments[1] = { ...rows.enrollments[1], userSourcedId: 'u-old' };
    const files = { ...cleanPackage(), 'enrollments.csv': table('enrollments', rows.enrollments) };
    const report = await validatePackage(await writePackageDir(files), { knownIds: () => true });
    expect(codesOf(report.errors)).toEqual(['ONEROSTER_CSV_REFERENCE_UNRESOLVED']);
  });

  it('a tobedeleted row needs only sourcedId, status and dateLastModified', async () => {
    const report = await validatePackage(await writePackageDir(deltaPackage('u-student')), {
      knownIds: () => true,
    });
    expect(report.counts.users).toBe(2);
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it('a delta file needs the status and dateLastModified columns', async () => {
    const files = deltaPackage('u-student');
    files['enrollments.csv'] =
      'sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\ne7,cl1,s1,u-student,student,,,\n';
    const report = await validatePackage(await writePackageDir(files), { knownIds: () => true });
    expect(report.errors.map(({ code, line, column }) => [code, line, column])).toEqual([
      ['ONEROSTER_CSV_HEADER_COLUMN_MISSING', 1, 'status'],
      ['ONEROSTER_CSV_HEADER_COLUMN_MISSING', 1, 'dateLastModified'],
    ]);
  });
});

describe('manifest', () => {
  it('reads only the files declared bulk or delta, and reports their mode', async () => {
    const files = cleanPackage();
    files['manifest.csv'] = manifest({ orgs: 'bulk', categories: 'Bulk' });
    const report = await validatePackage(await writePackageDir(files));
    expect(Object.keys(report.counts).sort()).toEqual(['categories', 'orgs']);
    expect(report.manifest?.files.categories).toBe('bulk');
    expect(report.manifest?.files.users).toBe('absent');
    expect(
      report.warnings.filter((finding) => finding.code === 'ONEROSTER_CSV_FILE_NOT_DECLARED'),
    ).toHaveLength(11);
    expect(report.warnings.find((finding) => finding.code === 'ONEROSTER_CSV_CASE_NORMALIZED')).toMatchObject(
      {
        file: 'manifest.csv',
        line: 11,
        column: 'value',
        value: 'Bulk',
      },
    );
  });
});

describe('progress and options', () => {
  it('reports progress per file with rows, bytes and the file size', async () => {
    const updates: ValidationProgress[] = [];
    await validatePackage(await writePackageZip(cleanPackage()), {
      onProgress: (update) => updates.push(update),
    });
    const users = updates.filter((update) => update.file === 'users.csv');
    const last = users.at(-1);
    expect(last?.rows).toBe(3);
    expect(last?.bytes).toBe(last?.totalBytes);
    expect(last?.bytes).toBe(Buffer.byteLength(cleanPackage()['users.csv'] ?? ''));
    expect(updates.map((update) => update.file)).toContain('enrollments.csv');
  });

  it('refuses an invalid option naming it, with ONEROSTER_INVALID_OPTIONS', async () => {
    const path = await writePackageDir(cleanPackage());
    const error = await validatePackage(path, { maxFindings: -1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneRosterError);
    expect((error as OneRosterError).code).toBe('ONEROSTER_INVALID_OPTIONS');
    expect((error as OneRosterError).message).toContain('maxFindings');
    const unknown = await validatePackage(path, { knownIDs: () => true } as never).catch(
      (caught: unknown) => caught,
    );
    expect((unknown as OneRosterError).code).toBe('ONEROSTER_INVALID_OPTIONS');
  });

  it('throws ONEROSTER_PACKAGE_UNREADABLE when a zip entry is corrupt', async () => {
    const teacher = cleanRows().users[0];
    const users = Array.from({ length: 2000 }, (_, index) => ({
      ...teacher,
      sourcedId: `u${index}`,
      username: `user-${index}`,
    }));
    const path = await writePackageZip({ ...cleanPackage(), 'users.csv': table('users', users) });
    const bytes = await readFile(path);
    const entry = bytes.indexOf('users.csv');
    bytes.fill(0xff, entry + 200, entry + 400);
    await writeFile(path, bytes);
    const error = await validatePackage(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneRosterError);
    expect((error as OneRosterError).code).toBe('ONEROSTER_PACKAGE_UNREADABLE');
    expect((error as OneRosterError).message).toContain('users.csv');
  });

  it('throws ONEROSTER_PACKAGE_NOT_FOUND rather than reporting', async () => {
    const error = await validatePackage('/nonexistent/roster.zip').catch((caught: unknown) => caught);
    expect((error as OneRosterError).code).toBe('ONEROSTER_PACKAGE_NOT_FOUND');
  });
});
