import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedDistrict } from '@passport/oneroster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createRosterService } from '../src/roster/roster-service.ts';
import { loadSealingKey } from '../src/secrets/sealing-key.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { testConfig } from './support/config.ts';
import { runNode } from './support/run-process.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * The @passport/oneroster README's client example, run as written against this server: a partner following it gets
 * a token and pages through every entity of a district.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repository = join(here, '..', '..', '..');
let server: RunningServer;
let folder: { path: string; remove: () => Promise<void> };
let credential: { clientId: string; clientSecret: string };
let counts: Record<string, number>;

beforeAll(async () => {
  folder = await makeTempDir('passport-readme-');
  const dataDir = join(folder.path, 'data');
  server = await startServer({
    config: testConfig({ dataDir }),
    logger: createLogger({ level: 'silent' }),
  });
  await createTenantStore({ db: server.database.db }).create({ id: 'demo', name: 'Demo' }, 'test');
  const roster = createRosterService({
    database: server.database,
    sealingKey: await loadSealingKey({ environment: {}, dataDir }),
  });
  const district = join(folder.path, 'district.zip');
  await writeGeneratedDistrict({ students: 120, seed: 'readme' }, district);
  const imported = await roster.importPackage('demo', district);
  expect(imported.status).toBe('applied');
  credential = await roster.createCredential({ tenantId: 'demo', scopes: ['roster.readonly'] });
  counts = {};
  for (const table of ['orgs', 'academic_sessions', 'courses', 'classes', 'users', 'enrollments']) {
    const result = await server.database.sql.query<{ count: string }>(
      `select count(*)::text as count from oneroster_${table} where tenant_id = 'demo'`,
      [],
    );
    counts[table] = Number(result.rows[0]?.count);
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  await folder?.remove();
});

describe('the OneRoster package README', () => {
  it('pages through every entity of a district with the client example, as written', async () => {
    const readme = await readFile(join(repository, 'packages', 'oneroster', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## API client'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("from '@passport/oneroster/client'");
    // Beside the package's users, so `@passport/oneroster/client` resolves as in a partner's project.
    const scratch = join(here, '..', '.vitest-artifacts', 'readme');
    await mkdir(scratch, { recursive: true });
    const script = join(scratch, 'client-example.ts');
    await writeFile(script, example ?? '');
    const run = await runNode(['--conditions=@passport/source', script], {
      cwd: repository,
      env: {
        ONEROSTER_ORIGIN: server.url,
        ONEROSTER_CLIENT_ID: credential.clientId,
        ONEROSTER_CLIENT_SECRET: credential.clientSecret,
      },
      timeoutMs: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string])
        .map(([name, value]) => [name, Number(value)]),
    );
    expect(printed).toEqual({
      orgs: counts.orgs,
      academicSessions: counts.academic_sessions,
      courses: counts.courses,
      classes: counts.classes,
      users: counts.users,
      enrollments: counts.enrollments,
      teachers: expect.any(Number),
    });
    expect(printed.users).toBeGreaterThan(120);
    expect(printed.enrollments).toBeGreaterThan(500);
    expect(printed.teachers).toBeGreaterThan(0);
  }, 120_000);

  it('the same example with a wrong secret fails with the client error, not silently', async () => {
    const scratch = join(here, '..', '.vitest-artifacts', 'readme', 'client-example.ts');
    const run = await runNode(['--conditions=@passport/source', scratch], {
      cwd: repository,
      env: {
        ONEROSTER_ORIGIN: server.url,
        ONEROSTER_CLIENT_ID: credential.clientId,
        ONEROSTER_CLIENT_SECRET: 'wrong',
      },
      timeoutMs: 60_000,
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ONEROSTER_CLIENT_AUTH_REFUSED');
  }, 120_000);
});
