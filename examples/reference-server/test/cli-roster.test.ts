import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { runNode } from './support/run-process.ts';
import { makeTempDir } from './support/temp-dir.ts';

const bin = fileURLToPath(new URL('../bin/passport.js', import.meta.url));
const mappings = fileURLToPath(new URL('../../../packages/oneroster/mappings/', import.meta.url));

let dir: string;
let removeDir: () => Promise<void>;

/** Runs `passport` in process with captured output (the bin test below proves the real binary's exit codes). */
async function passport(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    environment: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  const temp = await makeTempDir('passport-roster-cli-');
  dir = temp.path;
  removeDir = temp.remove;
  const generated = await passport(
    'roster',
    'generate',
    '--students',
    '400',
    '--seed',
    'cli',
    '--out',
    'district.zip',
  );
  expect(generated.code).toBe(0);
});
afterAll(async () => {
  await removeDir?.();
});

/** A small hand-made package with one broken reference and one sloppy value, in a directory. */
async function brokenPackage(): Promise<string> {
  const path = join(dir, 'broken');
  await mkdir(path, { recursive: true });
  const files = ['orgs', 'users'];
  const manifest = [
    'propertyName,value',
    'manifest.version,1.0',
    'oneroster.version,1.1',
    ...[
      'academicSessions',
      'categories',
      'classes',
      'classResources',
      'courses',
      'courseResources',
      'demographics',
      'enrollments',
      'lineItems',
      'orgs',
      'resources',
      'results',
      'users',
    ].map((file) => `file.${file},${files.includes(file) ? 'bulk' : 'absent'}`),
  ];
  await writeFile(join(path, 'manifest.csv'), `${manifest.join('\n')}\n`);
  await writeFile(
    join(path, 'orgs.csv'),
    'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,,,District,district,,\ns1,,,School,school,,d1\n',
  );
  await writeFile(
    join(path, 'users.csv'),
    [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
      'u1,,,true,s1,student,ann,,Ann,Lee,,,ann@example.org,,,,9,',
      'u2,,,true,s404,teacher,bob,,Bob,Ray,,,bob@example.org,,,,,',
    ].join('\n'),
  );
  return path;
}

describe('passport roster', () => {
  it('validate: a generated district is valid, exit 0, with row counts', async () => {
    const result = await passport('roster', 'validate', 'district.zip', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.counts['demographics.csv']).toBe(400);
    expect(report.counts['enrollments.csv']).toBeGreaterThan(400 * 6);
  });

  it('validate: a broken package exits 1 and names file, line, column and code of each finding', async () => {
    const path = await brokenPackage();
    const result = await passport('roster', 'validate', path, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        file: 'users.csv',
        line: 3,
        column: 'orgSourcedIds',
        severity: 'error',
        value: 's404',
      }),
    );
    // Grade `9` is normalized to `09` with a warning that keeps the raw value.
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        file: 'users.csv',
        line: 2,
        column: 'grades',
        severity: 'warning',
        value: '9',
      }),
    );
    for (const finding of [...report.errors, ...report.warnings]) {
      expect(finding.code).toMatch(/^ONEROSTER_CSV_[A-Z_]+$/);
      expect(finding.message.length).toBeGreaterThan(10);
    }
  });

  it('validate: the text report lists findings as file:line:column with their codes', async () => {
    const result = await passport('roster', 'validate', await brokenPackage());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('INVALID');
    expect(result.stdout).toMatch(/users\.csv:3:orgSourcedIds\s+ONEROSTER_CSV_/);
  });

  it('validate: a path that does not exist is a usage error, exit 2', async () => {
    const result = await passport('roster', 'validate', 'nowhere.zip');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nowhere.zip');
  });

  it('convert --to oneroster writes a normalized package that validates without warnings', async () => {
    const source = await brokenPackage();
    // Fix the broken reference; keep the sloppy grade so normalization shows.
    const users = await readFile(join(source, 'users.csv'), 'utf8');
    await writeFile(join(source, 'users.csv'), users.replace('s404', 's1'));
    const converted = await passport('roster', 'convert', source, '--to', 'oneroster', '--out', 'clean.zip');
    expect(converted.code).toBe(0);
    const again = JSON.parse((await passport('roster', 'validate', 'clean.zip', '--json')).stdout);
    expect(again).toMatchObject({ valid: true, warnings: [], counts: { 'users.csv': 2, 'orgs.csv': 2 } });
  });

  it('convert refuses an invalid package and writes nothing', async () => {
    const result = await passport(
      'roster',
      'convert',
      await brokenPackage(),
      '--to',
      'oneroster',
      '--out',
      'never',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing written');
    expect((await readdir(dir)).includes('never')).toBe(false);
  });

  it('convert --mapping writes a custom layout', async () => {
    const result = await passport(
      'roster',
      'convert',
      'district.zip',
      '--mapping',
      join(mappings, 'simple-users.json'),
      '--out',
      'custom',
      '--json',
    );
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout);
    const names = await readdir(join(dir, 'custom'));
    expect(names.sort()).toEqual(Object.keys(files).sort());
    expect(Object.values(files).every((rows) => (rows as number) > 0)).toBe(true);
  });

  it('convert needs exactly one of --mapping and --to (exit 2)', async () => {
    expect((await passport('roster', 'convert', 'district.zip', '--out', 'x')).code).toBe(2);
  });

  it('generate is deterministic per seed', async () => {
    await passport('roster', 'generate', '--students', '50', '--seed', 's1', '--out', 'a');
    await passport('roster', 'generate', '--students', '50', '--seed', 's1', '--out', 'b');
    await passport('roster', 'generate', '--students', '50', '--seed', 's2', '--out', 'c');
    const users = (name: string) => readFile(join(dir, name, 'users.csv'), 'utf8');
    expect(await users('a')).toBe(await users('b'));
    expect(await users('a')).not.toBe(await users('c'));
  });

  it('generate rejects a bad --students value (exit 2)', async () => {
    expect((await passport('roster', 'generate', '--students', 'many', '--out', 'x')).code).toBe(2);
  });

  it('the real binary exits 0 for a valid package, 1 for an invalid one, 2 for a usage error', async () => {
    const broken = await brokenPackage();
    const valid = await runNode([bin, 'roster', 'validate', join(dir, 'district.zip')]);
    const invalid = await runNode([bin, 'roster', 'validate', broken]);
    const usage = await runNode([bin, 'roster', 'validate']);
    expect([valid.code, invalid.code, usage.code]).toEqual([0, 1, 2]);
  });
});
