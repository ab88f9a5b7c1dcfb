import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvDataset, CsvRow } from '../csv/dataset.ts';
import { writePackage } from '../csv/write.ts';
import { type FileName, fileNames, fileSpecs, headerOf } from '../model/files.ts';
import { isDate, isYear, parseBoolean, parseFloatText } from '../model/formats.ts';
import { parseUserIds, splitList } from '../model/multivalue.ts';
import { vocabularies } from '../model/vocabulary.ts';
import { generateDataset, generateDistrict, writeGeneratedDistrict } from './district.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-generate-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const rowsOf = (dataset: CsvDataset, file: FileName): CsvRow[] => dataset.tables[file]?.rows ?? [];

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item) ?? '';
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** Every problem the model's column kinds can see in a bulk dataset, as `file line column: problem` strings. */
function problemsOf(dataset: CsvDataset): string[] {
  const problems: string[] = [];
  const ids = new Map(
    fileNames.map((file) => [file, new Set(rowsOf(dataset, file).map((row) => row.sourcedId))]),
  );
  for (const file of fileNames) {
    const rows = rowsOf(dataset, file);
    if (ids.get(file)?.size !== rows.length) problems.push(`${file}: duplicate sourcedIds`);
    rows.forEach((row, index) => {
      const at = (column: string, problem: string) =>
        problems.push(`${file} ${index + 2} ${column}: ${problem}`);
      if (Object.keys(row).join() !== headerOf(file).join()) at('*', 'keys differ from the header');
      for (const { name, required, kind } of fileSpecs[file]) {
        const cell = row[name] ?? '';
        if (kind.type === 'status' || kind.type === 'dateLastModified') {
          if (cell !== '') at(name, 'not blank in bulk');
          continue;
        }
        if (cell === '') {
          if (required) at(name, 'required');
          continue;
        }
        if (cell.trim() !== cell) at(name, 'surrounding whitespace');
        const ok = (() => {
          switch (kind.type) {
            case 'enum':
              return (vocabularies[kind.vocabulary] as readonly string[]).includes(cell);
            case 'date':
              return isDate(cell);
            case 'boolean':
              return parseBoolean(cell) !== undefined;
            case 'float':
              return parseFloatText(cell) !== undefined;
            case 'year':
              return isYear(cell);
            case 'grades':
              return splitList(cell).every((grade) =>
                (vocabularies.grade as readonly string[]).includes(grade),
              );
            case 'userIds':
              return parseUserIds(cell) !== undefined;
            case 'ref': {
              const targets = kind.many ? splitList(cell) : [cell];
              return targets.every((target) => ids.get(kind.target)?.has(target));
            }
            default:
              return true;
          }
        })();
        if (!ok) at(name, `bad ${kind.type} ${JSON.stringify(cell)}`);
      }
    });
  }
  return problems;
}

describe('generateDistrict', () => {
  const students = 3000;
  let dataset: CsvDataset;
  beforeAll(() => {
    dataset = generateDataset({ students, seed: 'ratios' });
  });

  it('fills all 13 files with rows whose values and references are valid bulk OneRoster 1.1', () => {
    for (const file of fileNames) expect(rowsOf(dataset, file).length, file).toBeGreaterThan(0);
    expect(problemsOf(dataset)).toEqual([]);
  });

  it('has the requested students, about one teacher per 15, and schools of a few hundred', () => {
    const users = rowsOf(dataset, 'users');
    const byRole = groupBy(users, (user) => user.role);
    expect(byRole.get('student')).toHaveLength(students);
    const teachers = byRole.get('teacher')?.length ?? 0;
    expect(teachers).toBeGreaterThanOrEqual((students / 15) * 0.95);
    expect(teachers).toBeLessThanOrEqual((students / 15) * 1.05);

    const orgs = rowsOf(dataset, 'orgs');
    const [district, ...schools] = orgs;
    expect(district).toMatchObject({ type: 'district', parentSourcedId: '' });
    expect(
      schools.every((school) => school.type === 'school' && school.parentSourcedId === district?.sourcedId),
    ).toBe(true);
    const studentsBySchool = groupBy(byRole.get('student') ?? [], (user) => user.orgSourcedIds);
    expect(studentsBySchool.size).toBe(schools.length);
    for (const [, members] of studentsBySchool) {
      expect(members.length).toBeGreaterThanOrEqual(200);
      expect(members.length).toBeLessThanOrEqual(700);
    }
    // Elementary, middle and high schools, each with the grades of its band.
    const names = schools.map((school) => school.name);
    for (const band of ['Elementary School', 'Middle School', 'High School']) {
      expect(names.some((name) => name?.includes(band))).toBe(true);
    }
  });

  it('enrolls every student in 6 to 8 classes of their own school and grade, each class with one primary teacher', () => {
    const users = new Map(rowsOf(dataset, 'users').map((user) => [user.sourcedId, user]));
    const classes = new Map(rowsOf(dataset, 'classes').map((row) => [row.sourcedId, row]));
    const enrollments = rowsOf(dataset, 'enrollments');
    const byStudent = groupBy(
      enrollments.filter((enrollment) => enrollment.role === 'student'),
      (enrollment) => enrollment.userSourcedId,
    );
    expect(byStudent.size).toBe(students);
    for (const [studentId, own] of byStudent) {
      expect(own.length).toBeGreaterThanOrEqual(6);
      expect(own.length).toBeLessThanOrEqual(8);
      const student = users.get(studentId);
      for (const enrollment of own) {
        const row = classes.get(enrollment.classSourcedId);
        expect(enrollment.schoolSourcedId).toBe(row?.schoolSourcedId);
        expect(student?.orgSourcedIds).toBe(row?.schoolSourcedId);
        expect(student?.grades).toBe(row?.grades);
      }
    }
    const byClass = groupBy(enrollments, (enrollment) => enrollment.classSourcedId);
    expect(byClass.size).toBe(classes.size);
    for (const [, members] of byClass) {
      const teachers = members.filter((member) => member.role === 'teacher');
      expect(teachers.filter((teacher) => teacher.primary === 'true')).toHaveLength(1);
      expect(users.get(teachers[0]?.userSourcedId ?? '')?.role).toBe('teacher');
      expect(members.some((member) => member.role === 'student')).toBe(true);
    }
    // About 1 in 16 classes is co-taught.
    const coTaught = [...byClass.values()].filter(
      (members) => members.filter((member) => member.role === 'teacher').length === 2,
    );
    expect(coTaught.length).toBeGreaterThan(0);
    expect(coTaught.length).toBeLessThan(classes.size * 0.15);
  });

  it('runs one school year with two semesters and four grading periods; classes meet in semesters', () => {
    const sessions = rowsOf(dataset, 'academicSessions');
    expect(sessions.map((session) => session.type)).toEqual([
      'schoolYear',
      'semester',
      'semester',
      'gradingPeriod',
      'gradingPeriod',
      'gradingPeriod',
      'gradingPeriod',
    ]);
    const types = new Map(sessions.map((session) => [session.sourcedId, session.type]));
    const terms = rowsOf(dataset, 'classes').map((row) => splitList(row.termSourcedIds ?? ''));
    expect(terms.every((ids) => ids.length > 0 && ids.every((id) => types.get(id) === 'semester'))).toBe(
      true,
    );
    expect(terms.some((ids) => ids.length === 1)).toBe(true);
    expect(terms.some((ids) => ids.length === 2)).toBe(true);
    expect(
      rowsOf(dataset, 'courses').every(
        (course) => types.get(course.schoolYearSourcedId ?? '') === 'schoolYear',
      ),
    ).toBe(true);
  });

  it('links students and their parents or guardians both ways, and gives every student demographics', () => {
    const users = new Map(rowsOf(dataset, 'users').map((user) => [user.sourcedId, user]));
    const studentRows = [...users.values()].filter((user) => user.role === 'student');
    for (const student of studentRows) {
      const agents = splitList(student.agentSourcedIds ?? '');
      expect(agents.length).toBeGreaterThanOrEqual(1);
      expect(agents.length).toBeLessThanOrEqual(2);
      for (const agentId of agents) {
        const agent = users.get(agentId);
        expect(['parent', 'guardian', 'relative']).toContain(agent?.role);
        expect(splitList(agent?.agentSourcedIds ?? '')).toEqual([student.sourcedId]);
      }
    }
    const demographics = rowsOf(dataset, 'demographics');
    expect(demographics.map((row) => row.sourcedId)).toEqual(studentRows.map((student) => student.sourcedId));
    const usernames = [...users.values()].map((user) => user.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(studentRows.every((student) => student.userIds?.startsWith('{LDAP:'))).toBe(true);
  });

  it('grades some classes: each result belongs to a student enrolled in its line item class', () => {
    const lineItems = new Map(rowsOf(dataset, 'lineItems').map((row) => [row.sourcedId, row]));
    const classCount = rowsOf(dataset, 'classes').length;
    const gradedClasses = new Set([...lineItems.values()].map((row) => row.classSourcedId));
    expect(gradedClasses.size).toBeGreaterThan(0);
    expect(gradedClasses.size).toBeLessThan(classCount / 10);
    const enrolled = new Set(
      rowsOf(dataset, 'enrollments').map((row) => `${row.classSourcedId} ${row.userSourcedId}`),
    );
    const results = rowsOf(dataset, 'results');
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      const lineItem = lineItems.get(result.lineItemSourcedId ?? '');
      expect(enrolled.has(`${lineItem?.classSourcedId} ${result.studentSourcedId}`)).toBe(true);
      expect(Number(result.score)).toBeLessThanOrEqual(Number(lineItem?.resultValueMax));
    }
  });

  it('is deterministic per seed and different across seeds', () => {
    const again = generateDataset({ students, seed: 'ratios' });
    expect(again).toEqual(dataset);
    const other = generateDataset({ students, seed: 'other' });
    expect(rowsOf(other, 'users').map((user) => user.givenName)).not.toEqual(
      rowsOf(dataset, 'users').map((user) => user.givenName),
    );
  });

  it('works down to a single student', () => {
    const tiny = generateDataset({ students: 1 });
    expect(problemsOf(tiny)).toEqual([]);
    const enrollments = rowsOf(tiny, 'enrollments').filter((row) => row.role === 'student');
    expect(enrollments.length).toBeGreaterThanOrEqual(6);
    expect(enrollments.length).toBeLessThanOrEqual(8);
  });

  it('rejects bad options naming each one', () => {
    expect(() => generateDistrict({ students: 0, emailDomain: 'not a domain' })).toThrow(
      expect.objectContaining({
        code: 'ONEROSTER_INVALID_OPTIONS',
        message: expect.stringMatching(/students: .*; emailDomain: must be a domain name/),
      }),
    );
  });

  it('knows its totals before producing rows', () => {
    const district = generateDistrict({ students, seed: 'ratios' });
    expect(district.totals).toMatchObject({
      students,
      teachers: rowsOf(dataset, 'users').filter((user) => user.role === 'teacher').length,
      classes: rowsOf(dataset, 'classes').length,
      courses: rowsOf(dataset, 'courses').length,
      schools: rowsOf(dataset, 'orgs').length - 1,
    });
  });
});

describe('writeGeneratedDistrict', () => {
  const options = { students: 800, seed: 42 };

  it('writes the same zip bytes for the same seed and different bytes for another seed', async () => {
    const first = await writeGeneratedDistrict(options, join(root, 'first.zip'));
    await writeGeneratedDistrict(options, join(root, 'second.zip'));
    await writeGeneratedDistrict({ ...options, seed: 43 }, join(root, 'other.zip'));
    const [a, b, c] = await Promise.all(
      ['first', 'second', 'other'].map((name) => readFile(join(root, `${name}.zip`))),
    );
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
    expect(first.users).toBeGreaterThan(options.students);
  });

  it('streams exactly what generateDataset holds, and returns the row counts', async () => {
    const counts = await writeGeneratedDistrict(options, join(root, 'streamed'));
    const dataset = generateDataset(options);
    await writePackage(dataset, join(root, 'held'));
    expect(counts).toEqual(Object.fromEntries(fileNames.map((file) => [file, rowsOf(dataset, file).length])));
    const files = (await readdir(join(root, 'streamed'))).sort();
    expect(files).toEqual(['manifest.csv', ...fileNames.map((file) => `${file}.csv`)].sort());
    for (const file of files) {
      const streamed = await readFile(join(root, 'streamed', file));
      expect(streamed.equals(await readFile(join(root, 'held', file))), file).toBe(true);
    }
    const manifest = await readFile(join(root, 'streamed', 'manifest.csv'), 'utf8');
    expect(manifest).toContain('file.enrollments,bulk\r\n');
    expect(manifest).toContain('source.systemName,Passport synthetic district\r\n');
  });
});
