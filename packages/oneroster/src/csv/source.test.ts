import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { removePackages, writePackageDir, writePackageZip } from '../../test/fixtures/packages.ts';
import { OneRosterError } from '../errors.ts';
import { openPackage } from './source.ts';

afterAll(removePackages);

const files = { 'manifest.csv': 'propertyName,value\n', 'users.csv': 'sourcedId\nu1\n' };

describe('openPackage', () => {
  it('lists and reads the files of a directory', async () => {
    const source = await openPackage(await writePackageDir(files));
    expect(source.kind).toBe('directory');
    expect([...source.entries.keys()].sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(source.entries.get('users.csv')?.size).toBe(13);
    expect(await text(await source.open('users.csv'))).toBe('sourcedId\nu1\n');
    expect(source.findings).toEqual([]);
    await source.close();
  });

  it('lists a zip from its central directory and inflates entries only when opened, in any order, more than once', async () => {
    const source = await openPackage(await writePackageZip(files));
    expect(source.kind).toBe('zip');
    expect([...source.entries.keys()].sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(source.entries.get('users.csv')?.size).toBe(13);
    expect(await text(await source.open('users.csv'))).toBe('sourcedId\nu1\n');
    expect(await text(await source.open('manifest.csv'))).toBe('propertyName,value\n');
    expect(await text(await source.open('users.csv'))).toBe('sourcedId\nu1\n');
    await source.close();
  });

  it('reads a zip whose files sit in one top-level folder, with a warning', async () => {
    const source = await openPackage(await writePackageZip(files, 'export-2026'));
    expect([...source.entries.keys()].sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(source.findings).toMatchObject([
      {
        code: 'ONEROSTER_CSV_PACKAGE_NESTED_FOLDER',
        file: '',
        line: 0,
        severity: 'warning',
        value: 'export-2026/',
      },
    ]);
    expect(await text(await source.open('users.csv'))).toBe('sourcedId\nu1\n');
    await source.close();
  });

  it('reads a directory whose files sit in its only subfolder, with a warning', async () => {
    const source = await openPackage(await writePackageDir(files, 'export'));
    expect([...source.entries.keys()].sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(source.findings.map((finding) => finding.code)).toEqual(['ONEROSTER_CSV_PACKAGE_NESTED_FOLDER']);
    expect(await text(await source.open('manifest.csv'))).toBe('propertyName,value\n');
  });

  it('ignores macOS resource forks and hidden files', async () => {
    const source = await openPackage(
      await writePackageZip({ ...files, '__MACOSX/._users.csv': 'junk', '.DS_Store': 'junk' }),
    );
    expect([...source.entries.keys()].sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(source.findings).toEqual([]);
    await source.close();
  });

  it('throws ONEROSTER_PACKAGE_NOT_FOUND for a path that does not exist', async () => {
    const error = await openPackage(join(await writePackageDir({}), 'nope.zip')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OneRosterError);
    expect((error as OneRosterError).code).toBe('ONEROSTER_PACKAGE_NOT_FOUND');
    expect(OneRosterError.is(error)).toBe(true);
  });

  it('throws ONEROSTER_PACKAGE_UNREADABLE for a file that is not a zip', async () => {
    const path = join(await writePackageDir({}), 'roster.zip');
    await writeFile(path, 'sourcedId,status\n');
    const error = await openPackage(path).catch((caught: unknown) => caught);
    expect((error as OneRosterError).code).toBe('ONEROSTER_PACKAGE_UNREADABLE');
  });
});
