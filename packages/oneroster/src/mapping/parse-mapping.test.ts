import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportError } from '@passport/core';
import { describe, expect, it } from 'vitest';
import type { MappingIssue } from './check-mapping.ts';
import { loadMapping, parseMapping } from './parse-mapping.ts';

/** The `{path, message}` problems parseMapping reports for `json`. */
function issuesOf(json: unknown): MappingIssue[] {
  try {
    parseMapping(json);
  } catch (error) {
    if (PassportError.is(error) && error.code === 'ONEROSTER_MAPPING_INVALID')
      return error.detail as MappingIssue[];
    throw error;
  }
  return [];
}

const oneFile = (file: Record<string, unknown>) => ({
  files: [{ name: 'out.csv', from: 'users', columns: ['email'], ...file }],
});
const lookupColumn = (lookup: unknown) => oneFile({ columns: [{ header: 'x', lookup }] });

describe('parseMapping', () => {
  it('expands shorthand columns and keeps the rest', () => {
    const mapping = parseMapping(oneFile({ columns: ['email', { header: 'first', column: 'givenName' }] }));
    expect(mapping.files[0]?.columns).toEqual([
      { header: 'email', column: 'email' },
      { header: 'first', column: 'givenName' },
    ]);
    // A parsed mapping parses again to itself.
    expect(parseMapping(mapping)).toEqual(mapping);
  });

  it('names the path of shape errors', () => {
    expect(issuesOf({})).toEqual([{ path: 'files', message: expect.stringMatching(/expected array/i) }]);
    expect(issuesOf(oneFile({ from: 'students' }))).toEqual([
      { path: 'files[0].from', message: expect.stringContaining('must be one of the 13 OneRoster files') },
    ]);
    expect(issuesOf(oneFile({ columns: [] }))).toEqual([
      { path: 'files[0].columns', message: 'must list at least one column' },
    ]);
    expect(issuesOf(oneFile({ name: '../etc/passwd' }))).toEqual([
      { path: 'files[0].name', message: expect.stringContaining('must be a plain file name') },
    ]);
    expect(issuesOf(oneFile({ csv: { delimiter: '"', lineEnding: 'cr' } }))).toEqual([
      { path: 'files[0].csv.delimiter', message: 'must not contain a quote or a line break' },
      { path: 'files[0].csv.lineEnding', message: expect.stringMatching(/crlf.*lf/) },
    ]);
    expect(issuesOf(oneFile({ columns: [{ header: 'x', colunm: 'email' }] }))).toEqual(
      expect.arrayContaining([{ path: 'files[0].columns[0]', message: expect.stringContaining('colunm') }]),
    );
  });

  it('requires exactly one source per column and one kind and operator per condition', () => {
    expect(issuesOf(oneFile({ columns: [{ header: 'x', column: 'email', fixed: 'y' }] }))).toEqual([
      { path: 'files[0].columns[0]', message: expect.stringContaining('give exactly one source') },
    ]);
    expect(issuesOf(oneFile({ where: [{ column: 'role', equals: 'student', in: ['teacher'] }] }))).toEqual([
      { path: 'files[0].where[0]', message: expect.stringContaining('a column test needs exactly one of') },
    ]);
    expect(issuesOf(oneFile({ where: [{ not: { equals: 'x' } }] }))).toEqual([
      { path: 'files[0].where[0].not', message: expect.stringContaining('give exactly one of "column"') },
    ]);
    expect(
      issuesOf(lookupColumn({ path: [{ follow: 'userSourcedId', find: 'users' }], take: 'email' })),
    ).toEqual(
      expect.arrayContaining([
        { path: 'files[0].columns[0].lookup.path[0]', message: 'give exactly one of "follow" or "find"' },
      ]),
    );
  });

  it('names the path of columns that do not exist where they are read, with a suggestion', () => {
    expect(
      issuesOf(oneFile({ columns: ['emali', { header: 'g', template: '{givenName} {famlyName}' }] })),
    ).toEqual([
      {
        path: 'files[0].columns[0].column',
        message: '"emali" is not a column of users (did you mean "email"?)',
      },
      {
        path: 'files[0].columns[1].template',
        message: '"famlyName" is not a column of users (did you mean "familyName"?)',
      },
    ]);
    expect(issuesOf(lookupColumn({ path: [{ follow: 'orgSourcedIds' }], take: 'email' }))).toEqual([
      { path: 'files[0].columns[0].lookup.take', message: '"email" is not a column of orgs' },
    ]);
    expect(
      issuesOf(
        oneFile({ where: [{ via: [{ follow: 'orgSourcedIds' }], column: 'Type', equals: 'school' }] }),
      ),
    ).toEqual([
      { path: 'files[0].where[0].column', message: '"Type" is not a column of orgs (did you mean "type"?)' },
    ]);
    // metadata.* extension columns are allowed anywhere.
    expect(issuesOf(oneFile({ columns: ['metadata.house'] }))).toEqual([]);
  });

  it('checks that each lookup step leads somewhere definite', () => {
    expect(issuesOf(lookupColumn({ path: [{ follow: 'sourcedId' }], take: 'sex' }))).toEqual([
      {
        path: 'files[0].columns[0].lookup.path[0]',
        message: 'sourcedId of users is not a reference; say which file it leads to with "to"',
      },
    ]);
    expect(
      issuesOf(lookupColumn({ path: [{ follow: 'orgSourcedIds', to: 'users' }], take: 'name' })),
    ).toEqual([
      {
        path: 'files[0].columns[0].lookup.path[0].to',
        message: 'orgSourcedIds of users refers to orgs, not users',
      },
    ]);
    expect(
      issuesOf(lookupColumn({ path: [{ find: 'enrollments', whose: 'classSourcedId' }], take: 'role' })),
    ).toEqual([
      {
        path: 'files[0].columns[0].lookup.path[0].whose',
        message: 'classSourcedId of enrollments refers to classes, not users',
      },
    ]);
    expect(
      issuesOf(
        lookupColumn({
          path: [
            { find: 'enrollments', whose: 'userSourcedId', where: [{ column: 'rol', equals: 'student' }] },
          ],
          take: 'classSourcedId',
        }),
      ),
    ).toEqual([
      {
        path: 'files[0].columns[0].lookup.path[0].where[0].column',
        message: '"rol" is not a column of enrollments (did you mean "role"?)',
      },
    ]);
    expect(
      issuesOf({ files: [{ name: 'c.csv', from: 'classes', columns: [{ header: 'u', userId: 'LDAP' }] }] }),
    ).toEqual([
      { path: 'files[0].columns[0].userId', message: 'classes has no userIds column (only users has)' },
    ]);
  });

  it('rejects malformed templates and duplicate output names', () => {
    expect(issuesOf(oneFile({ columns: [{ header: 'x', template: '{givenName' }] }))).toEqual([
      {
        path: 'files[0].columns[0].template',
        message: 'bad template: unmatched "{" at position 0 (write "{{" for a brace)',
      },
    ]);
    expect(issuesOf({ files: [oneFile({}).files[0], { ...oneFile({}).files[0], name: 'OUT.csv' }] })).toEqual(
      [{ path: 'files[1].name', message: '"OUT.csv" is already the name of files[0]' }],
    );
  });

  it('throws ONEROSTER_MAPPING_INVALID with every problem in the message', () => {
    expect(() => parseMapping(oneFile({ columns: ['emali', 'givenNam'] }))).toThrow(
      expect.objectContaining({
        code: 'ONEROSTER_MAPPING_INVALID',
        status: 400,
        message:
          'Invalid mapping: files[0].columns[0].column: "emali" is not a column of users (did you mean "email"?); ' +
          'files[0].columns[1].column: "givenNam" is not a column of users (did you mean "givenName"?)',
      }),
    );
  });
});

describe('loadMapping', () => {
  it('reads a mapping file and reports JSON syntax errors as mapping errors', async () => {
    const root = await mkdtemp(join(tmpdir(), 'oneroster-mapping-'));
    try {
      await writeFile(join(root, 'good.json'), JSON.stringify(oneFile({})));
      expect((await loadMapping(join(root, 'good.json'))).files[0]?.name).toBe('out.csv');
      await writeFile(join(root, 'bad.json'), '{ "files": [ }');
      await expect(loadMapping(join(root, 'bad.json'))).rejects.toMatchObject({
        code: 'ONEROSTER_MAPPING_INVALID',
        message: expect.stringContaining('(mapping): not JSON'),
      });
      await writeFile(join(root, 'wrong.json'), JSON.stringify(oneFile({ from: 'people' })));
      await expect(loadMapping(join(root, 'wrong.json'))).rejects.toMatchObject({
        message: expect.stringMatching(/^Invalid .*wrong\.json: files\[0\]\.from: /),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
