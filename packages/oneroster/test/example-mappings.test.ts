/** The example mappings shipped in `mappings/`, exported from a generated district, checked row by row. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvDataset, CsvRow } from '../src/csv/dataset.ts';
import { generateDataset } from '../src/generate/district.ts';
import { exportCustom } from '../src/mapping/export.ts';
import { loadMapping } from '../src/mapping/parse-mapping.ts';
import { splitList } from '../src/model/multivalue.ts';

const mappings = fileURLToPath(new URL('../mappings/', import.meta.url));
let root: string;
let dataset: CsvDataset;
let users: Map<string, CsvRow>;
let orgs: Map<string, CsvRow>;
let enrollments: CsvRow[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-mappings-'));
  dataset = generateDataset({ students: 1200, seed: 'mappings' });
  users = new Map((dataset.tables.users?.rows ?? []).map((row) => [row.sourcedId ?? '', row]));
  orgs = new Map((dataset.tables.orgs?.rows ?? []).map((row) => [row.sourcedId ?? '', row]));
  enrollments = dataset.tables.enrollments?.rows ?? [];
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function exportExample(name: string): Promise<{ dir: string; files: Record<string, number> }> {
  const dir = join(root, name);
  const { files } = await exportCustom(dataset, await loadMapping(join(mappings, `${name}.json`)), dir);
  return { dir, files };
}

async function readCsv(
  path: string,
): Promise<{ text: string; header: string[]; rows: Record<string, string>[] }> {
  const text = await readFile(path, 'utf8');
  const records = parse(text) as string[][];
  const [header = [], ...body] = records;
  return {
    text,
    header,
    rows: body.map((record) => Object.fromEntries(header.map((name, index) => [name, record[index] ?? '']))),
  };
}

const roleCount = (role: string) => [...users.values()].filter((user) => user.role === role).length;
let teachersByClass: Map<string, CsvRow[]> | undefined;
function teachersOf(classId: string): CsvRow[] {
  if (teachersByClass === undefined) {
    teachersByClass = new Map();
    for (const row of enrollments.filter((enrollment) => enrollment.role === 'teacher')) {
      const key = row.classSourcedId ?? '';
      teachersByClass.set(key, [...(teachersByClass.get(key) ?? []), row]);
    }
  }
  return teachersByClass.get(classId) ?? [];
}

it('ships only mappings that load', async () => {
  const names = (await readdir(mappings)).filter((name) => name.endsWith('.json'));
  expect(names.sort()).toEqual(['classroom-roster.json', 'clever-like.json', 'simple-users.json']);
  for (const name of names) await expect(loadMapping(join(mappings, name))).resolves.toBeDefined();
});

describe('clever-like.json', () => {
  let dir: string;
  let files: Record<string, number>;
  beforeAll(async () => {
    ({ dir, files } = await exportExample('clever-like'));
  });

  it('writes schools, students, teachers, sections and enrollments with their counts', () => {
    expect(files).toEqual({
      'schools.csv': orgs.size - 1,
      'students.csv': 1200,
      'teachers.csv': roleCount('teacher'),
      'sections.csv': dataset.tables.classes?.rows.length,
      'enrollments.csv': enrollments.filter((row) => row.role === 'student').length,
    });
  });

  it('describes each student from users, demographics and the first guardian', async () => {
    const { text, header, rows } = await readCsv(join(dir, 'students.csv'));
    expect(text.includes('\r\n')).toBe(true);
    expect(header).toEqual([
      'School_id',
      'Student_id',
      'Student_number',
      'Last_name',
      'Middle_name',
      'First_name',
      'Grade',
      'Gender',
      'DOB',
      'Race',
      'Hispanic_Latino',
      'Student_email',
      'Username',
      'Sis_login',
      'Contact_name',
      'Contact_relationship',
      'Contact_email',
      'Contact_phone',
    ]);
    const demographics = new Map(
      (dataset.tables.demographics?.rows ?? []).map((row) => [row.sourcedId, row]),
    );
    for (const row of rows) {
      const user = users.get(row.Student_id ?? '');
      const demographic = demographics.get(row.Student_id ?? '');
      const guardian = users.get(splitList(user?.agentSourcedIds ?? '')[0] ?? '');
      const [year, month, day] = (demographic?.birthDate ?? '').split('-');
      const grade = user?.grades === 'KG' ? 'Kindergarten' : String(Number(user?.grades));
      expect(row).toEqual({
        School_id: user?.orgSourcedIds,
        Student_id: user?.sourcedId,
        Student_number: user?.identifier,
        Last_name: user?.familyName,
        Middle_name: user?.middleName,
        First_name: user?.givenName,
        Grade: grade,
        Gender: demographic?.sex === 'male' ? 'M' : 'F',
        DOB: `${month}/${day}/${year}`,
        Race: expect.stringMatching(/^[MIABPW]$/),
        Hispanic_Latino: demographic?.hispanicOrLatinoEthnicity === 'true' ? 'Y' : 'N',
        Student_email: user?.email,
        Username: user?.username,
        Sis_login: user?.username,
        Contact_name: `${guardian?.givenName} ${guardian?.familyName}`,
        Contact_relationship: { parent: 'Parent', guardian: 'Guardian', relative: 'Relative' }[
          guardian?.role ?? ''
        ],
        Contact_email: guardian?.email,
        Contact_phone: guardian?.phone,
      });
      if (demographic?.demographicRaceTwoOrMoreRaces === 'true') expect(row.Race).toBe('M');
      else if (demographic?.white === 'true') expect(row.Race).toBe('W');
    }
  });

  it('gives each section its primary teacher, a co-teacher where there is one, course and term dates', async () => {
    const { rows } = await readCsv(join(dir, 'sections.csv'));
    const courses = new Map((dataset.tables.courses?.rows ?? []).map((row) => [row.sourcedId, row]));
    const classes = new Map((dataset.tables.classes?.rows ?? []).map((row) => [row.sourcedId, row]));
    let coTaught = 0;
    for (const row of rows) {
      const teachers = teachersOf(row.Section_id ?? '');
      expect(row.Teacher_id).toBe(teachers.find((teacher) => teacher.primary === 'true')?.userSourcedId);
      expect(row.Teacher_2_id).toBe(
        teachers.find((teacher) => teacher.primary === 'false')?.userSourcedId ?? '',
      );
      if (row.Teacher_2_id !== '') coTaught++;
      const section = classes.get(row.Section_id);
      expect(row.Course_name).toBe(courses.get(section?.courseSourcedId)?.title);
      expect(row.Term_name).toMatch(/^(Fall \d{4}|Spring \d{4}|Fall \d{4} \+ Spring \d{4})$/);
      expect(row.Term_start).toMatch(/^(08\/18|01\/05)\/\d{4}$/);
      expect(row.Term_end).toMatch(/^(12\/19|06\/12)\/\d{4}$/);
    }
    expect(coTaught).toBeGreaterThan(0);
  });

  it('lists schools with their principal, teachers by school, student enrollments by section', async () => {
    const schools = await readCsv(join(dir, 'schools.csv'));
    for (const row of schools.rows) {
      expect(row.School_name).toBe(orgs.get(row.School_id ?? '')?.name);
      expect(users.get(`admin-${row.School_id?.replace('school-', '')}`)?.email).toBe(row.Principal_email);
    }
    const teachers = await readCsv(join(dir, 'teachers.csv'));
    expect(
      teachers.rows.every((row) => users.get(row.Teacher_id ?? '')?.orgSourcedIds === row.School_id),
    ).toBe(true);
    const enrolled = await readCsv(join(dir, 'enrollments.csv'));
    expect(enrolled.rows[0]).toEqual({
      School_id: expect.stringMatching(/^school-/),
      Section_id: expect.stringMatching(/^class-/),
      Student_id: expect.stringMatching(/^student-/),
    });
  });
});

describe('classroom-roster.json', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await exportExample('classroom-roster'));
  });

  it('gives each class its owner and all teachers joined by ";" (LF line ends)', async () => {
    const { text, rows } = await readCsv(join(dir, 'classes.csv'));
    expect(text.includes('\r')).toBe(false);
    for (const row of rows) {
      const teachers = teachersOf(row['Class ID'] ?? '');
      const primary = teachers.find((teacher) => teacher.primary === 'true');
      expect(row['Owner email']).toBe(users.get(primary?.userSourcedId ?? '')?.email);
      expect(row['Teacher emails']).toBe(
        teachers.map((teacher) => users.get(teacher.userSourcedId ?? '')?.email).join(';'),
      );
    }
    expect(rows.some((row) => row['Teacher emails']?.includes(';'))).toBe(true);
  });

  it('has one roster row per student enrollment with the student and class teachers', async () => {
    const { rows } = await readCsv(join(dir, 'roster.csv'));
    const studentEnrollments = enrollments.filter((row) => row.role === 'student');
    expect(rows).toHaveLength(studentEnrollments.length);
    rows.forEach((row, index) => {
      const enrollment = studentEnrollments[index];
      const student = users.get(enrollment?.userSourcedId ?? '');
      expect(row['Class ID']).toBe(enrollment?.classSourcedId);
      expect(row['Student email']).toBe(student?.email);
      expect(row['Student name']).toBe(`${student?.familyName}, ${student?.givenName}`);
      expect(row['Teacher emails']?.split(';')).toContain(
        users.get(teachersOf(enrollment?.classSourcedId ?? '')[0]?.userSourcedId ?? '')?.email,
      );
    });
  });
});

describe('simple-users.json', () => {
  it('writes email,first,last,school for students and teachers, every field quoted, LF', async () => {
    const { dir, files } = await exportExample('simple-users');
    const { text, header, rows } = await readCsv(join(dir, 'users.csv'));
    expect(header).toEqual(['email', 'first', 'last', 'school']);
    expect(text.startsWith('"email","first","last","school"\n')).toBe(true);
    expect(files['users.csv']).toBe(roleCount('student') + roleCount('teacher'));
    const byEmail = new Map([...users.values()].map((user) => [user.email, user]));
    for (const row of rows) {
      const user = byEmail.get(row.email);
      expect(['student', 'teacher']).toContain(user?.role);
      expect(row).toEqual({
        email: user?.email,
        first: user?.givenName,
        last: user?.familyName,
        school: orgs.get(user?.orgSourcedIds ?? '')?.name,
      });
    }
  });

  it('narrows to one school with one more condition', async () => {
    const mapping = await loadMapping(join(mappings, 'simple-users.json'));
    const file = mapping.files[0];
    if (file === undefined) throw new Error('simple-users.json has a file');
    file.where = [...(file.where ?? []), { column: 'orgSourcedIds', includes: 'school-2' }];
    const dir = join(root, 'one-school');
    const { files } = await exportCustom(dataset, mapping, dir);
    const { rows } = await readCsv(join(dir, 'users.csv'));
    expect(files['users.csv']).toBe(
      [...users.values()].filter(
        (user) => ['student', 'teacher'].includes(user.role ?? '') && user.orgSourcedIds === 'school-2',
      ).length,
    );
    expect(new Set(rows.map((row) => row.school))).toEqual(new Set([orgs.get('school-2')?.name]));
  });
});
