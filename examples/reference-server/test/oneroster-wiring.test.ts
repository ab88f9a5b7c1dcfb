import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCredential } from '@passport/oneroster';
import { createPostgresCredentialStore } from '@passport/oneroster/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { Config } from '../src/config.ts';
import { demoStudents } from '../src/demo/demo.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(overrides: Partial<Config>, schema?: string): Promise<RunningServer> {
  const server = await startServer({
    config: testConfig(overrides),
    logger: createLogger({ level: 'silent' }),
    ...(schema ? { databaseSchema: schema } : {}),
  });
  cleanups.push(() => server.close().then(() => undefined));
  return server;
}

/** A data folder holding a migrated, empty database (this file's subject is not the first start). */
async function tempDir(): Promise<string> {
  const dir = await makeTempDir('passport-wiring-');
  cleanups.push(dir.remove);
  await seedMigratedDatabase(dir.path);
  return dir.path;
}

async function token(url: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string };
  expect(body.token_type.toLowerCase()).toBe('bearer');
  return body.access_token;
}

async function get(
  url: string,
  bearer?: string,
): Promise<{ status: number; body: Record<string, unknown>; total: string | null }> {
  const response = await fetch(url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    total: response.headers.get('x-total-count'),
  };
}

/** Runs `passport` in process against a data folder. */
async function passport(dataDir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    environment: { PASSPORT_DATA_DIR: dataDir },
    cwd: dataDir,
  });
  return { code, stdout, stderr };
}

describe('demo mode and the OneRoster API on the reference server', () => {
  it('loads the demo district once, prints working credentials, and finds them again on the next start', async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir, demo: true });
    expect(first.demo).toMatchObject({ tenantId: 'demo', loadedNow: true });
    const credentials = first.demo?.credentials;
    expect(credentials?.clientId).toBeTruthy();
    const saved = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8'));
    expect(saved).toMatchObject(credentials ?? {});
    expect(saved.accounts.map((account: { role: string }) => account.role)).toEqual([
      'operator',
      'district admin',
      'partner developer',
      'teacher',
      'student',
    ]);

    const bearer = await token(first.url, credentials!.clientId, credentials!.clientSecret);
    const students = await get(`${first.url}/ims/oneroster/v1p1/students?limit=5`, bearer);
    expect(students.status).toBe(200);
    expect(students.total).toBe(String(demoStudents));
    const users = students.body.users as Array<{ role: string; sourcedId: string }>;
    expect(users).toHaveLength(5);
    expect(users.every((user) => user.role === 'student')).toBe(true);
    // hrefs point at this server.
    const school = await get(`${first.url}/ims/oneroster/v1p1/schools?limit=1`, bearer);
    const orgs = school.body.orgs as Array<{ parent?: { href: string } }>;
    expect(orgs[0]?.parent?.href).toMatch(new RegExp(`^${first.url}/ims/oneroster/v1p1/orgs/`));

    await first.close();
    const second = await start({ dataDir, demo: true, port: 0 });
    expect(second.demo).toMatchObject({ loadedNow: false, credentials });
    const again = await get(
      `${second.url}/ims/oneroster/v1p1/students?limit=1`,
      await token(second.url, credentials!.clientId, credentials!.clientSecret),
    );
    expect(again.total).toBe(String(demoStudents));
  });

  it('refuses the API without a token, with the spec status payload', async () => {
    const server = await start({ dataDir: await tempDir(), demo: false });
    const response = await get(`${server.url}/ims/oneroster/v1p1/users`);
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).toContain('unauthorisedrequest');
  });

  it('serves Prometheus metrics that count the requests answered', async () => {
    const server = await start({ dataDir: await tempDir(), demo: false });
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/no/such/page`);
    await fetch(`${server.url}/ims/oneroster/v1p1/users`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('passport_http_requests_total{route="health",method="GET",status="2xx"} 1');
    expect(text).toContain('passport_http_requests_total{route="other",method="GET",status="4xx"} 1');
    expect(text).toContain('passport_http_requests_total{route="oneroster",method="GET",status="4xx"} 1');
    expect(text).toContain('passport_database_info{kind="pglite"} 1');
  });

  it('refuses a token request with a wrong secret', async () => {
    const dataDir = await tempDir();
    const server = await start({ dataDir, demo: true });
    const response = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${server.demo!.credentials!.clientId}:wrong`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });
});

describe('PASSPORT_CREDENTIAL_RECHECK_SECONDS', () => {
  // By default a revoked credential's token is refused at once: journey 5 (journeys-console.test.ts) shows it.
  it('lets a revoked credential’s token read on within the recheck time, when one is set', async () => {
    const server = await start({ dataDir: await tempDir(), demo: false, credentialRecheckSeconds: 300 });
    const credentials = createPostgresCredentialStore({ client: server.database.sql });
    const { clientId, clientSecret } = await issueCredential(
      { tenantId: 'district-1', scopes: ['roster.readonly'], name: 'recheck' },
      { credentials },
    );
    const bearer = await token(server.url, clientId, clientSecret);
    const users = `${server.url}/ims/oneroster/v1p1/users?limit=1`;
    expect((await get(users, bearer)).status).toBe(200);
    // Revoked through the database, as another process (or the console) would.
    expect(await credentials.revoke(clientId, new Date().toISOString())).toBe(true);
    expect((await get(users, bearer)).status).toBe(200);
    // A new token is refused at once: the recheck only spares reading the credential of a token already checked.
    const refused = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(refused.status).toBe(401);
  });
});

describe('passport roster import and passport credentials create', () => {
  it('imports into a tenant, reports counts, holds a shrinking bulk import until --confirm, and the API serves only that tenant', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await tempDir();
    expect((await passport(dataDir, 'tenant', 'create', 'north', '--name', 'North District')).code).toBe(0);
    expect((await passport(dataDir, 'tenant', 'create', 'south', '--name', 'South District')).code).toBe(0);
    await passport(
      dataDir,
      'roster',
      'generate',
      '--students',
      '120',
      '--seed',
      'north',
      '--out',
      'north.zip',
    );
    await passport(
      dataDir,
      'roster',
      'generate',
      '--students',
      '60',
      '--seed',
      'south',
      '--out',
      'south.zip',
    );

    const imported = await passport(dataDir, 'roster', 'import', 'north.zip', '--tenant', 'north', '--json');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result.status).toBe('applied');
    expect(result.counts['users.csv'].inserted).toBeGreaterThan(120);

    const again = JSON.parse(
      (await passport(dataDir, 'roster', 'import', 'north.zip', '--tenant', 'north', '--json')).stdout,
    );
    expect(again.counts['users.csv']).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });

    // Another district's package would replace every row: held, nothing changed.
    const held = await passport(dataDir, 'roster', 'import', 'south.zip', '--tenant', 'north');
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('HELD');
    expect(held.stdout).toContain('--confirm');

    expect((await passport(dataDir, 'roster', 'import', 'south.zip', '--tenant', 'south')).code).toBe(0);
    expect((await passport(dataDir, 'roster', 'import', 'north.zip', '--tenant', 'nowhere')).code).toBe(1);

    const issued = await passport(
      dataDir,
      'credentials',
      'create',
      '--tenant',
      'north',
      '--scopes',
      'roster-core.readonly',
      '--json',
    );
    expect(issued.code).toBe(0);
    const { clientId, clientSecret } = JSON.parse(issued.stdout);
    expect(typeof clientSecret).toBe('string');
    const badScope = await passport(
      dataDir,
      'credentials',
      'create',
      '--tenant',
      'north',
      '--scopes',
      'everything',
    );
    expect(badScope.code).toBe(1);

    const server = await start({ dataDir, demo: false });
    const bearer = await token(server.url, clientId, clientSecret);
    const students = await get(`${server.url}/ims/oneroster/v1p1/students?limit=1`, bearer);
    expect(students.total).toBe('120');
    // roster-core.readonly hides demographics.
    expect((await get(`${server.url}/ims/oneroster/v1p1/demographics`, bearer)).status).toBe(403);
  });
});

describe('roster upload over HTTP (POST /admin/tenants/:tenant/roster)', () => {
  const adminToken = 'operator-token-0123456789abcdef';

  it('imports an uploaded zip for an operator, holds a shrinking one until confirm=true, and refuses everyone else', async () => {
    const dataDir = await tempDir();
    await passport(dataDir, 'tenant', 'create', 'east', '--name', 'East District');
    await passport(dataDir, 'roster', 'generate', '--students', '80', '--seed', 'east', '--out', 'east.zip');
    await passport(
      dataDir,
      'roster',
      'generate',
      '--students',
      '30',
      '--seed',
      'other',
      '--out',
      'other.zip',
    );
    const server = await start({ dataDir, demo: false, adminToken });
    const upload = async (file: string, init: { token?: string; type?: string; query?: string } = {}) => {
      const response = await fetch(`${server.url}/admin/tenants/east/roster${init.query ?? ''}`, {
        method: 'POST',
        headers: {
          'content-type': init.type ?? 'application/zip',
          ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
        },
        body: await readFile(join(dataDir, file)),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    expect((await upload('east.zip')).status).toBe(401);
    expect((await upload('east.zip', { token: `${adminToken}x` })).status).toBe(401);
    expect((await upload('east.zip', { token: adminToken, type: 'text/csv' })).status).toBe(415);

    const applied = await upload('east.zip', { token: adminToken });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ status: 'applied', validation: { valid: true } });

    const held = await upload('other.zip', { token: adminToken });
    expect(held.status).toBe(409);
    expect(held.body.status).toBe('held');
    const confirmed = await upload('other.zip', { token: adminToken, query: '?confirm=true' });
    expect(confirmed.status).toBe(200);

    const broken = await fetch(`${server.url}/admin/tenants/east/roster`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${adminToken}` },
      body: 'not a zip',
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);

    const unknownTenant = await fetch(`${server.url}/admin/tenants/nowhere/roster`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${adminToken}` },
      body: await readFile(join(dataDir, 'east.zip')),
    });
    expect(unknownTenant.status).toBe(404);
  });

  it('is off without PASSPORT_ADMIN_TOKEN', async () => {
    const server = await start({ dataDir: await tempDir(), demo: false });
    const response = await fetch(`${server.url}/admin/tenants/east/roster`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: 'Bearer anything-at-all-here-123456' },
      body: 'x',
    });
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain('PASSPORT_ADMIN_TOKEN');
  });
});

describe.skipIf(skipPostgres)('demo mode on PostgreSQL', () => {
  it('loads the demo into its own schema and serves it', async () => {
    const schema = uniqueSchema();
    cleanups.push(() => dropSchema(schema));
    const server = await start(
      { databaseUrl: postgresUrl, dataDir: await tempDir(), demo: true },
      schema,
    ).catch(explainUnreachable);
    const { clientId, clientSecret } = server.demo!.credentials!;
    const students = await get(
      `${server.url}/ims/oneroster/v1p1/students?limit=1`,
      await token(server.url, clientId, clientSecret),
    );
    expect(students.total).toBe(String(demoStudents));
  });
});
