import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestMigration, migrationNames } from './support/migrations.ts';
import { runNode } from './support/run-process.ts';
import { makeTempDir } from './support/temp-dir.ts';

const bin = fileURLToPath(new URL('../bin/passport.js', import.meta.url));

let dataDir: string;
let removeDir: () => Promise<void>;
beforeAll(async () => {
  const dir = await makeTempDir();
  dataDir = dir.path;
  removeDir = dir.remove;
});
afterAll(async () => {
  await removeDir?.();
});

const passport = (args: string[], env: Record<string, string> = {}) =>
  runNode([bin, ...args], { env: { PASSPORT_DATA_DIR: dataDir, ...env }, timeoutMs: 120_000 });

describe('passport (bin/passport.js)', () => {
  it('--help lists the command groups and exits 0', async () => {
    const result = await passport(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: passport');
    for (const command of ['serve', 'db', 'tenant', 'roster']) expect(result.stdout).toContain(command);
  });

  it('--help works on every command, each exiting 0', async () => {
    const commands = [
      ['serve'],
      ['db'],
      ['db', 'migrate'],
      ['db', 'status'],
      ['tenant'],
      ['tenant', 'create'],
      ['tenant', 'list'],
      ['roster'],
      ['roster', 'validate'],
      ['roster', 'convert'],
      ['roster', 'generate'],
      ['roster', 'import'],
      ['credentials'],
      ['credentials', 'create'],
      ['lti'],
      ['lti', 'platform'],
      ['lti', 'platform', 'add'],
      ['lti', 'platform', 'list'],
      ['lti', 'platform', 'remove'],
      ['lti', 'platform', 'activate'],
      ['keys'],
      ['keys', 'rotate'],
      ['sim'],
      ['sim', 'coursera'],
    ];
    const results = await Promise.all(commands.map((command) => passport([...command, '--help'])));
    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]!.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: passport ${commands[index]!.join(' ')}`);
    }
  }, 120_000); // 26 processes at once: slow on a loaded 2-core machine, not wrong

  it('--version prints the version and exits 0', async () => {
    const result = await passport(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('usage errors exit 2: unknown command, unknown option, missing argument or option, bad flag value, bare group', async () => {
    const cases = [
      ['frobnicate'],
      ['tenant', 'list', '--bogus'],
      ['tenant', 'create', 'x'],
      ['serve', '--port', 'abc'],
      ['db'],
    ];
    const results = await Promise.all(cases.map((args) => passport(args)));
    for (const [index, result] of results.entries()) expect(result.code, cases[index]!.join(' ')).toBe(2);
    expect(results[0]!.stderr).toContain("unknown command 'frobnicate'");
    expect(results[2]!.stderr).toContain("required option '--name <name>' not specified");
    expect(results[3]!.stderr).toContain('port must be a whole number from 0 to 65535');
  });

  it('a bad environment variable fails with exit 1 and names the variable', async () => {
    const result = await passport(['tenant', 'list'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('tenant create and tenant list round-trip through the PGlite data folder', {
    timeout: 60_000,
  }, async () => {
    const created = await passport(['tenant', 'create', 'lincoln', '--name', 'Lincoln Unified']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created tenant lincoln (Lincoln Unified)\n');

    const createdJson = await passport(['tenant', 'create', 'adams', '--name', 'Adams County', '--json']);
    expect(createdJson.code).toBe(0);
    expect(JSON.parse(createdJson.stdout)).toMatchObject({ id: 'adams', name: 'Adams County' });

    const duplicate = await passport(['tenant', 'create', 'lincoln', '--name', 'Again']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('Tenant lincoln already exists');

    const listed = await passport(['tenant', 'list', '--json']);
    expect(listed.code).toBe(0);
    const tenants = JSON.parse(listed.stdout) as { id: string; name: string; createdAt: string }[];
    expect(tenants.map((tenant) => [tenant.id, tenant.name])).toEqual([
      ['adams', 'Adams County'],
      ['lincoln', 'Lincoln Unified'],
    ]);
    expect(Number.isNaN(Date.parse(tenants[0]!.createdAt))).toBe(false);

    const table = await passport(['tenant', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^ID\s+CREATED\s+NAME\nadams\s+\S+\s+Adams County\nlincoln\s+\S+\s+Lincoln Unified\n$/,
    );
  });

  it('db status and db migrate report the kind and the migrations', { timeout: 120_000 }, async () => {
    const dir = await makeTempDir();
    try {
      const env = { PASSPORT_DATA_DIR: dir.path };
      const before = await passport(['db', 'status', '--json'], env);
      expect(before.code).toBe(0);
      expect(JSON.parse(before.stdout)).toEqual({
        kind: 'pglite',
        location: dir.path,
        migrations: migrationNames.map((name) => ({ name, appliedAt: null })),
      });
      const migrated = await passport(['db', 'migrate'], env);
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toBe(`PGlite: applied ${migrationNames.join(', ')}\n`);
      const again = await passport(['db', 'migrate'], env);
      expect(again.stdout).toBe(`PGlite: already up to date (${latestMigration})\n`);
      const after = await passport(['db', 'status'], env);
      expect(after.stdout).toMatch(
        /^database: PGlite \(.+\)\nmigrations:\n {2}0001_foundation {2}applied \d{4}-/,
      );
      for (const name of migrationNames)
        expect(after.stdout).toMatch(new RegExp(`\\n {2}${name} {2}applied \\d{4}-`));
    } finally {
      await dir.remove();
    }
  });

  it('a bare roster group is a usage error that lists its commands (exit 2)', async () => {
    const result = await passport(['roster']);
    expect(result.code).toBe(2);
    for (const command of ['validate', 'convert', 'generate']) expect(result.stderr).toContain(command);
  });
});
