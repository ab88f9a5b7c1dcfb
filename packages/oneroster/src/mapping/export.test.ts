import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvDataset, CsvRow } from '../csv/dataset.ts';
import { type FileName, fileNames, headerOf } from '../model/files.ts';
import { exportCustom } from './export.ts';
import type { MappingInput, OutputColumn } from './schema.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-export-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function table(file: FileName, rows: CsvRow[]) {
  const header = headerOf(file);
  return {
    mode: 'bulk' as const,
    columns: header,
    rows: rows.map((row) => Object.fromEntries(header.map((column) => [column, row[column] ?? '']))),
  };
}

const dataset: CsvDataset = {
  manifest: {
    manifestVersion: '1.0',
    onerosterVersion: '1.1',
    files: Object.fromEntries(fileNames.map((file) => [file, 'absent'])) as CsvDataset['manifest']['files'],
    properties: {},
  },
  tables: {
    orgs: table('orgs', [
      { sourcedId: 'd', name: 'District', type: 'district' },
      { sourcedId: 's1', name: 'Elm, North', type: 'school', parentSourcedId: 'd' },
      { sourcedId: 's2', name: 'Oak', type: 'school', parentSourcedId: 'd' },
    ]),
    users: table('users', [
      {
        sourcedId: 'u1',
        role: 'student',
        orgSourcedIds: 'd,s1',
        username: 'ann',
        givenName: 'Ann',
        familyName: 'Lee',
        email: 'ann@x.org',
        grades: '09',
        userIds: '{LDAP:ann1},{SIS:77},{LDAP:ann2}',
        agentSourcedIds: 'p1,p2',
      },
      {
        sourcedId: 'u2',
        role: 'student',
        orgSourcedIds: 's2',
        username: 'bo',
        givenName: 'Bo',
        familyName: 'Ng',
        grades: 'KG',
      },
      {
        sourcedId: 'u3',
        status: 'tobedeleted',
        role: 'student',
        orgSourcedIds: 's1',
        username: 'cy',
        givenName: 'Cy',
        familyName: 'Old',
      },
      {
        sourcedId: 't1',
        role: 'teacher',
        orgSourcedIds: 's1',
        username: 'tia',
        givenName: 'Tia',
        familyName: 'Ray',
        email: 'tia@x.org',
      },
      {
        sourcedId: 't2',
        role: 'teacher',
        orgSourcedIds: 's1',
        username: 'tom',
        givenName: 'Tom',
        familyName: 'Ode',
        email: '=cmd()',
      },
      {
        sourcedId: 'p1',
        role: 'parent',
        orgSourcedIds: 's1',
        username: 'p1',
        givenName: 'Pat',
        familyName: 'Lee',
        phone: '555-1',
      },
      {
        sourcedId: 'p2',
        role: 'guardian',
        orgSourcedIds: 's1',
        username: 'p2',
        givenName: 'Sam',
        familyName: 'Lee',
        email: 'sam@y.org',
        phone: '555-2',
      },
    ]),
    classes: table('classes', [
      { sourcedId: 'c1', title: 'Algebra "A"', schoolSourcedId: 's1', termSourcedIds: 'f,s' },
      { sourcedId: 'c2', title: 'Art', schoolSourcedId: 's2', termSourcedIds: 'f' },
    ]),
    enrollments: table('enrollments', [
      { sourcedId: 'e1', classSourcedId: 'c1', userSourcedId: 't1', role: 'teacher', primary: 'true' },
      { sourcedId: 'e2', classSourcedId: 'c1', userSourcedId: 't2', role: 'teacher', primary: 'false' },
      { sourcedId: 'e3', classSourcedId: 'c1', userSourcedId: 'u1', role: 'student' },
      { sourcedId: 'e4', classSourcedId: 'c2', userSourcedId: 'u2', role: 'student' },
    ]),
    demographics: table('demographics', [{ sourcedId: 'u1', birthDate: '2010-03-04', sex: 'female' }]),
  },
};

async function exportOne(file: Record<string, unknown>, csv?: Record<string, unknown>): Promise<string> {
  const mapping = { ...(csv ? { csv } : {}), files: [{ name: 'out.csv', ...file }] } as MappingInput;
  await exportCustom(dataset, mapping, root);
  return readFile(join(root, 'out.csv'), 'utf8');
}

const usersWith = (columns: Array<string | OutputColumn>, where?: unknown[]) =>
  exportOne({ from: 'users', columns, ...(where ? { where } : {}) }, { lineEnding: 'lf' });

describe('exportCustom: filters', () => {
  const ids = async (where: unknown[]) => (await usersWith(['sourcedId'], where)).split('\n').slice(1, -1);

  it('tests columns with each operator', async () => {
    expect(await ids([{ column: 'role', equals: 'teacher' }])).toEqual(['t1', 't2']);
    expect(
      await ids([
        { column: 'role', notEquals: 'student' },
        { column: 'role', notIn: ['parent'] },
      ]),
    ).toEqual(['t1', 't2', 'p2']);
    expect(await ids([{ column: 'role', in: ['parent', 'guardian'] }])).toEqual(['p1', 'p2']);
    expect(
      await ids([
        { column: 'orgSourcedIds', includes: 's1' },
        { column: 'role', equals: 'student' },
      ]),
    ).toEqual(['u1', 'u3']);
    expect(await ids([{ column: 'email', empty: true }])).toEqual(['u2', 'u3', 'p1']);
  });

  it('treats blank status as active and combines with anyOf, not, exists and via', async () => {
    expect(await ids([{ status: 'tobedeleted' }])).toEqual(['u3']);
    expect((await ids([{ status: 'active' }])).includes('u3')).toBe(false);
    expect(
      await ids([
        {
          anyOf: [
            { column: 'username', equals: 'bo' },
            { column: 'username', equals: 'tom' },
          ],
        },
      ]),
    ).toEqual(['u2', 't2']);
    expect(await ids([{ not: { column: 'orgSourcedIds', includes: 's1' } }])).toEqual(['u2']);
    // Users with at least one enrollment.
    expect(await ids([{ exists: [{ find: 'enrollments', whose: 'userSourcedId' }] }])).toEqual([
      'u1',
      'u2',
      't1',
      't2',
    ]);
    // Only one school, by its name.
    expect(
      await ids([
        { via: [{ follow: 'orgSourcedIds' }], column: 'name', equals: 'Oak' },
        { column: 'role', equals: 'student' },
      ]),
    ).toEqual(['u2']);
  });
});

describe('exportCustom: values', () => {
  const firstRow = async (
    columns: Array<string | OutputColumn>,
    where: unknown[] = [{ column: 'sourcedId', equals: 'u1' }],
  ) => (await usersWith(columns, where)).split('\n')[1];

  it('picks, renames, fixes and templates', async () => {
    expect(
      await usersWith(
        [
          'username',
          { header: 'first', column: 'givenName' },
          { header: 'kind', fixed: 'person' },
          { header: 'label', template: '{{{familyName}}}, {givenName}' },
        ],
        [{ column: 'role', equals: 'teacher' }],
      ),
    ).toBe('username,first,kind,label\ntia,Tia,person,"{Ray}, Tia"\ntom,Tom,person,"{Ode}, Tom"\n');
  });

  it('reads userIds by type, multi-valued columns by item, with index, separator, map and default', async () => {
    expect(
      await firstRow([
        { header: 'ldap', userId: 'LDAP' },
        { header: 'ldapLast', userId: 'LDAP', index: -1 },
        { header: 'sis', userId: 'SIS' },
        { header: 'orgs', column: 'orgSourcedIds', separator: '|' },
        { header: 'grade', column: 'grades', map: { '09': '9', KG: 'K' } },
        { header: 'middle', column: 'middleName', default: 'none' },
      ]),
    ).toBe('"ann1,ann2",ann2,77,d|s1,9,none');
  });

  it('joins: the user school name, guardians by position, demographics with a date format and cases', async () => {
    const guardians = [{ follow: 'agentSourcedIds' }];
    expect(
      await firstRow([
        {
          header: 'school',
          lookup: {
            path: [{ follow: 'orgSourcedIds', where: [{ column: 'type', equals: 'school' }] }],
            take: 'name',
          },
        },
        { header: 'contact', lookup: { path: guardians, template: '{givenName} {familyName}' }, index: 0 },
        // The first guardian has no email: position 0 stays blank rather than shifting to the second's.
        { header: 'contactEmail', lookup: { path: guardians, take: 'email' }, index: 0 },
        { header: 'emails', lookup: { path: guardians, take: 'email' } },
        { header: 'phones', lookup: { path: guardians, take: 'phone' }, separator: ' / ' },
        { header: 'roles', lookup: { path: guardians, take: 'role' }, separator: ';' },
        {
          header: 'dob',
          lookup: { path: [{ follow: 'sourcedId', to: 'demographics' }], take: 'birthDate' },
          dateFormat: 'M/D/YY',
        },
        {
          header: 'sex',
          cases: [
            {
              when: { via: [{ follow: 'sourcedId', to: 'demographics' }], column: 'sex', equals: 'male' },
              value: 'M',
            },
            {
              when: [{ via: [{ follow: 'sourcedId', to: 'demographics' }], column: 'sex', equals: 'female' }],
              value: 'F',
            },
          ],
          default: 'X',
        },
      ]),
    ).toBe('"Elm, North",Pat Lee,,sam@y.org,555-1 / 555-2,parent;guardian,3/4/10,F');
    // Without demographics, the cases fall through to the default.
    expect(
      await firstRow(
        [
          {
            header: 'sex',
            cases: [{ when: { exists: [{ follow: 'sourcedId', to: 'demographics' }] }, value: 'known' }],
            default: 'X',
          },
        ],
        [{ column: 'sourcedId', equals: 'u2' }],
      ),
    ).toBe('X');
  });

  it('joins a class with its teachers, and an enrollment with the user and the class teachers', async () => {
    const teachers = {
      path: [
        { find: 'enrollments', whose: 'classSourcedId', where: [{ column: 'role', equals: 'teacher' }] },
        { follow: 'userSourcedId' },
      ],
      take: 'email',
    };
    expect(
      await exportOne(
        { from: 'classes', columns: ['title', { header: 'teachers', lookup: teachers, separator: ';' }] },
        { lineEnding: 'lf' },
      ),
    ).toBe('title,teachers\n"Algebra ""A""",tia@x.org;=cmd()\nArt,\n');
    expect(
      await exportOne(
        {
          from: 'enrollments',
          where: [{ column: 'role', equals: 'student' }],
          columns: [
            { header: 'username', lookup: { path: [{ follow: 'userSourcedId' }], take: 'username' } },
            {
              header: 'teachers',
              lookup: { ...teachers, path: [{ follow: 'classSourcedId' }, ...teachers.path] },
            },
          ],
        },
        { lineEnding: 'lf' },
      ),
    ).toBe('username,teachers\nann,"tia@x.org,=cmd()"\nbo,\n');
  });
});

describe('exportCustom: CSV spelling and files', () => {
  const teacherColumns = {
    from: 'users',
    where: [{ column: 'role', equals: 'teacher' }],
    columns: ['username', 'email'],
  };

  it('defaults to RFC 4180: comma, CRLF, quoting as needed, header, no BOM', async () => {
    expect(await exportOne(teacherColumns)).toBe('username,email\r\ntia,tia@x.org\r\ntom,=cmd()\r\n');
  });

  it('honors delimiter, quoting always, no header, LF, BOM and formula escaping; per file over global', async () => {
    expect(
      await exportOne(
        { ...teacherColumns, csv: { delimiter: ';', header: false, escapeFormulas: true } },
        { quoting: 'always', lineEnding: 'lf', bom: true, delimiter: '\t' },
      ),
    ).toBe('\ufeff"tia";"tia@x.org"\n"tom";"\'=cmd()"\n');
  });

  it('writes every file of the mapping and returns their row counts; an absent source gives a header only', async () => {
    const result = await exportCustom(
      dataset,
      {
        files: [
          { name: 'teachers.csv', ...teacherColumns } as MappingInput['files'][number],
          { name: 'results.csv', from: 'results', columns: ['score'] },
        ],
      },
      join(root, 'nested', 'out'),
    );
    expect(result).toEqual({ files: { 'teachers.csv': 2, 'results.csv': 0 } });
    expect(await readFile(join(root, 'nested', 'out', 'results.csv'), 'utf8')).toBe('score\r\n');
  });

  it('leaves no files behind when a row fails midway, and rejects a bad mapping before writing', async () => {
    const exploding = new Proxy({} as CsvRow, {
      get() {
        throw new Error('row unreadable');
      },
    });
    const broken: CsvDataset = {
      ...dataset,
      tables: {
        ...dataset.tables,
        orgs: { ...table('orgs', []), rows: [...(dataset.tables.orgs?.rows ?? []), exploding] },
      },
    };
    const mapping = {
      files: [
        { name: 'users.csv', from: 'users', columns: ['username'] },
        { name: 'orgs.csv', from: 'orgs', columns: ['name'] },
      ],
    } as MappingInput;
    await expect(exportCustom(broken, mapping, root)).rejects.toThrow('row unreadable');
    expect(await readdir(root)).toEqual([]);
    await expect(
      exportCustom(
        dataset,
        { files: [{ name: 'x.csv', from: 'users', columns: ['nope'] }] },
        join(root, 'never'),
      ),
    ).rejects.toMatchObject({ code: 'ONEROSTER_MAPPING_INVALID' });
    expect(await readdir(root)).toEqual([]);
  });
});
