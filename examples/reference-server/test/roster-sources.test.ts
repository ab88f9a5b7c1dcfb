import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateDataset, writePackage } from '@passport/oneroster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo/demo-accounts.ts';
import { checkOutboundUrl, guardedFetch } from '../src/http/outbound-guard.ts';
import { createLogger } from '../src/logger.ts';
import { getImport, listImports, type RosterImportRecord } from '../src/roster/import-history.ts';
import { createRosterPullJobs, rosterPullQueue } from '../src/roster/pull-jobs.ts';
import { runRosterSource } from '../src/roster/roster-pull.ts';
import { createRosterService } from '../src/roster/roster-service.ts';
import { loadSealingKey } from '../src/secrets/sealing-key.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import { signInOverHttp } from './support/sso-session.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * Scheduled roster imports: a district's OneRoster API or package URL, read on a pg-boss schedule or on demand,
 * imported like an upload (history, findings, guard); a source that cannot be read changes nothing.
 */
let server: RunningServer;
let folder: { path: string; remove: () => Promise<void> };
let packageHost: Server;
let packageUrl: string;
const packageToken = 'sis-export-token-7f3a';
const cookies = new Map<DemoAccount['role'], string>();
let coreCredential: { clientId: string; clientSecret: string };
let rosterService: ReturnType<typeof createRosterService>;

beforeAll(async () => {
  folder = await makeTempDir('passport-roster-sources-');
  const dataDir = join(folder.path, 'data');
  await seedMigratedDatabase(dataDir);
  server = await startServer({
    config: testConfig({ dataDir, demo: true }),
    logger: createLogger({ level: 'silent' }),
  });
  for (const account of server.demo?.accounts ?? []) {
    cookies.set(account.role, (await signInOverHttp(server.url, account)).cookie);
  }
  const tenants = createTenantStore({ db: server.database.db });
  for (const id of ['copy', 'mirror']) await tenants.create({ id, name: `District ${id}` }, 'test');
  // A credential on the demo district that may read the core roster but not demographics.
  const roster = createRosterService({
    database: server.database,
    sealingKey: await loadSealingKey({ environment: {}, dataDir }),
    recordUsage: false,
  });
  coreCredential = await roster.createCredential({ tenantId: 'demo', scopes: ['roster-core.readonly'] });
  rosterService = roster;
  // A SIS that publishes its nightly export as a zip behind a bearer token.
  const zip = join(folder.path, 'export.zip');
  await writePackage(generateDataset({ students: 25, seed: 4 }), zip);
  const bytes = await (await import('node:fs/promises')).readFile(zip);
  packageHost = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${packageToken}`) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => packageHost.listen(0, '127.0.0.1', resolve));
  packageUrl = `http://127.0.0.1:${(packageHost.address() as AddressInfo).port}/oneroster/export.zip`;
  // The schedule checks and the job path need pg-boss running.
  for (let waited = 0; server.gradeSync.boss === undefined && waited < 60_000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await waitFor(async () => (await server.gradeSync.boss?.getQueue(rosterPullQueue)) !== null);
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => packageHost?.close(resolve));
  await server?.close();
  await folder?.remove();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const as = (role: DemoAccount['role'], path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { cookie: cookies.get(role) ?? '', ...(init.headers as Record<string, string> | undefined) },
  });

const csrfOf = async (role: DemoAccount['role'], path: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await as(role, path)).text())?.[1] ?? '';

async function post(
  role: DemoAccount['role'],
  path: string,
  fields: Record<string, string>,
  csrfFrom = path,
) {
  const csrf = await csrfOf(role, csrfFrom);
  return as(role, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
}

const apiSource = (overrides: Record<string, string> = {}) => ({
  name: 'Demo SIS API',
  kind: 'oneroster-api',
  url: `${server.url}/ims/oneroster/v1p1`,
  auth: 'oauth2',
  tokenUrl: `${server.url}/oauth/token`,
  clientId: coreCredential.clientId,
  secret: coreCredential.clientSecret,
  preset: 'manual',
  timeZone: 'UTC',
  ...overrides,
});

async function addSource(tenant: string, fields: Record<string, string>): Promise<string> {
  const response = await post('operator', `/console/districts/${tenant}/roster-sources`, fields);
  expect(response.status, await response.clone().text()).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(new RegExp(`^/console/districts/${tenant}/roster-sources/[0-9a-f-]{36}$`));
  return location.split('/').at(-1) ?? '';
}

/** Presses Run now and waits for the import it leads to. */
async function runNow(tenant: string, sourceId: string): Promise<RosterImportRecord> {
  const before = new Set((await listImports(server.database.db, tenant)).map((record) => record.id));
  const path = `/console/districts/${tenant}/roster-sources/${sourceId}`;
  const response = await post('operator', `${path}/run`, {}, path);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`${path}?queued=1`);
  let record: RosterImportRecord | undefined;
  await waitFor(async () => {
    record = (await listImports(server.database.db, tenant)).find((item) => !before.has(item.id));
    return record !== undefined;
  }, 90_000);
  // The source remembers its last run right after the import is recorded.
  await waitFor(async () => {
    const row = await server.database.sql.query<{ last_import_id: string | null }>(
      'select last_import_id from roster_sources where id = $1',
      [sourceId],
    );
    return row.rows[0]?.last_import_id === record?.id;
  });
  return record as RosterImportRecord;
}

const userIds = async (tenant: string) =>
  (
    await server.database.sql.query<{ sourced_id: string }>(
      `select sourced_id from oneroster_users where tenant_id = $1 and status <> 'tobedeleted' order by sourced_id`,
      [tenant],
    )
  ).rows.map((row) => row.sourced_id);

describe('a OneRoster API source', () => {
  let sourceId: string;

  it('pulls the whole roster through the API and imports it, with the demographics it may not read left as they were', async () => {
    sourceId = await addSource('copy', apiSource());
    const record = await runNow('copy', sourceId);
    expect(record.status, record.message).toBe('applied');
    expect(record.source).toBe('oneroster-api');
    expect(record.actor).toBe('console:operator');
    expect(record.fileName).toBe('Demo SIS API (OneRoster API)');
    expect(record.message).toContain('demographics left as they were: the API answered HTTP 403');
    const demoUsers = await userIds('demo');
    expect(demoUsers.length).toBeGreaterThan(10);
    expect(await userIds('copy')).toEqual(demoUsers);
    expect(record.counts.users?.inserted).toBe(demoUsers.length);
    const page = await (await as('operator', `/console/districts/copy/roster-sources/${sourceId}`)).text();
    expect(page).toContain(`/console/districts/copy/imports/${record.id}`);
    // The secret is sealed at rest and never shown again.
    expect(page).not.toContain(coreCredential.clientSecret);
    const stored = await server.database.sql.query<{ secret: string }>(
      'select secret from roster_sources where id = $1',
      [sourceId],
    );
    expect(stored.rows[0]?.secret).toBeTruthy();
    expect(stored.rows[0]?.secret).not.toContain(coreCredential.clientSecret);
  }, 120_000);

  it('a second run changes nothing and says so in its counts', async () => {
    const record = await runNow('copy', sourceId);
    expect(record.status).toBe('applied');
    expect(record.counts.users?.inserted ?? 0).toBe(0);
    expect(record.counts.users?.unchanged).toBe((await userIds('demo')).length);
  }, 120_000);

  it('records a refused credential as a failed import and keeps the roster as it was', async () => {
    const before = await userIds('copy');
    const path = `/console/districts/copy/roster-sources/${sourceId}`;
    const changed = await post('operator', path, apiSource({ secret: 'not-the-secret' }));
    expect(changed.status).toBe(303);
    const record = await runNow('copy', sourceId);
    expect(record.status).toBe('failed');
    expect(record.message).toContain('nothing was changed');
    expect(record.message).toContain('ONEROSTER_CLIENT_AUTH_REFUSED');
    expect(await userIds('copy')).toEqual(before);
    const shown = await (await as('operator', `/console/districts/copy/imports/${record.id}`)).text();
    expect(shown).toContain('ONEROSTER_CLIENT_AUTH_REFUSED');
  }, 120_000);
});

describe('a package URL source', () => {
  it('downloads the zip with its bearer token and imports it', async () => {
    const sourceId = await addSource('mirror', {
      name: 'Nightly export',
      kind: 'package-url',
      url: packageUrl,
      auth: 'bearer',
      secret: packageToken,
      preset: 'manual',
    });
    const record = await runNow('mirror', sourceId);
    expect(record.status, record.message).toBe('applied');
    expect(record.source).toBe('package-url');
    expect((await userIds('mirror')).length).toBe(record.counts.users?.inserted);
    expect(record.counts.users?.inserted).toBeGreaterThan(25);
  }, 120_000);

  it('fails with the answer of a URL that refuses the token, changing nothing', async () => {
    const before = await userIds('mirror');
    const sourceId = await addSource('mirror', {
      name: 'Wrong token',
      kind: 'package-url',
      url: packageUrl,
      auth: 'bearer',
      secret: 'wrong',
      preset: 'manual',
    });
    const record = await runNow('mirror', sourceId);
    expect(record.status).toBe('failed');
    expect(record.message).toContain('HTTP 401 (check the credentials)');
    expect(await userIds('mirror')).toEqual(before);
  }, 120_000);
});

describe('schedules', () => {
  it('puts a nightly schedule in pg-boss in the district time zone, shows the next run, and removes it with the source', async () => {
    const sourceId = await addSource(
      'copy',
      apiSource({ name: 'Nightly', preset: 'nightly', timeZone: 'America/Chicago' }),
    );
    const boss = server.gradeSync.boss;
    const schedules = await boss?.getSchedules(rosterPullQueue, sourceId);
    expect(schedules).toHaveLength(1);
    expect(schedules?.[0]).toMatchObject({ cron: '0 2 * * *', key: sourceId });
    expect(schedules?.[0]?.options).toMatchObject({ tz: 'America/Chicago' });
    expect(schedules?.[0]?.data).toMatchObject({ sourceId, tenantId: 'copy', actor: 'schedule' });
    const page = await (await as('operator', `/console/districts/copy/roster-sources/${sourceId}`)).text();
    expect(page).toContain('Next runs');
    const path = `/console/districts/copy/roster-sources/${sourceId}`;
    // Back to manual: the schedule goes.
    expect((await post('operator', path, apiSource({ name: 'Nightly', preset: 'manual' }))).status).toBe(303);
    expect(await boss?.getSchedules(rosterPullQueue, sourceId)).toHaveLength(0);
    expect((await post('operator', path, apiSource({ name: 'Nightly', preset: 'hourly' }))).status).toBe(303);
    expect((await boss?.getSchedules(rosterPullQueue, sourceId))?.[0]?.cron).toBe('0 * * * *');
    const removed = await post('operator', `${path}/remove`, {}, path);
    expect(removed.status).toBe(303);
    expect(await boss?.getSchedules(rosterPullQueue, sourceId)).toHaveLength(0);
    expect((await as('operator', path)).status).toBe(404);
  });

  it('a scheduled job runs as "schedule"; a job whose source moved to another district does nothing', async () => {
    const sourceId = await addSource('mirror', {
      name: 'Scheduled export',
      kind: 'package-url',
      url: packageUrl,
      auth: 'bearer',
      secret: packageToken,
      preset: 'manual',
    });
    const boss = server.gradeSync.boss;
    const before = new Set((await listImports(server.database.db, 'mirror')).map((record) => record.id));
    const forged = await boss?.send(rosterPullQueue, { sourceId, tenantId: 'copy', actor: 'schedule' });
    await waitFor(async () => (await boss?.getJobById(rosterPullQueue, forged ?? ''))?.state === 'completed');
    expect(
      (await listImports(server.database.db, 'mirror')).filter((record) => !before.has(record.id)),
    ).toEqual([]);
    await boss?.send(rosterPullQueue, { sourceId, tenantId: 'mirror', actor: 'schedule' });
    let record: RosterImportRecord | undefined;
    await waitFor(async () => {
      record = (await listImports(server.database.db, 'mirror')).find((item) => !before.has(item.id));
      return record !== undefined;
    }, 90_000);
    expect(record?.actor).toBe('schedule');
    expect(record?.status).toBe('applied');
    expect((await getImport(server.database.db, 'mirror', record?.id ?? ''))?.source).toBe('package-url');
  }, 120_000);
});

describe('refusals', () => {
  it.each([
    [{ url: 'http://sis.example.org/ims/oneroster/v1p1' }, 'url must use https (http only on localhost)'],
    [{ url: 'not a url' }, 'url must be an absolute URL'],
    [{ tokenUrl: '' }, 'tokenUrl is required for oauth2'],
    [{ clientId: '' }, 'clientId is required for a OneRoster API'],
    [{ secret: '' }, 'secret is required for oauth2'],
    [{ auth: 'bearer' }, 'a OneRoster API is read with OAuth 2.0 client credentials'],
    [{ preset: 'custom', schedule: 'every night' }, 'schedule must be a cron expression of five fields'],
    [{ preset: 'custom', schedule: '61 * * * *' }, 'is not a cron expression pg-boss can run'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone must be an IANA time zone'],
    [{ name: '' }, 'name is required'],
  ])('%o answers the form again with "%s" and saves nothing', async (overrides, message) => {
    const before = await server.database.sql.query('select id from roster_sources');
    const response = await post('operator', '/console/districts/copy/roster-sources', apiSource(overrides));
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(message);
    // What was typed is kept, except the secret.
    expect(page).toContain('Demo SIS API');
    expect(page).not.toContain(coreCredential.clientSecret);
    expect((await server.database.sql.query('select id from roster_sources')).rows).toHaveLength(
      before.rows.length,
    );
  });

  it('keeps sources to their district and their administrators', async () => {
    expect((await as('district admin', '/console/districts/copy/roster-sources')).status).toBe(403);
    expect((await as('partner developer', '/console/districts/demo/roster-sources')).status).toBe(403);
    expect((await as('district admin', '/console/districts/demo/roster-sources')).status).toBe(200);
    const copySource = (
      await server.database.sql.query<{ id: string }>(
        "select id from roster_sources where tenant_id = 'copy' limit 1",
      )
    ).rows[0]?.id;
    // The demo admin cannot reach another district's source through their own district's path.
    expect((await as('district admin', `/console/districts/demo/roster-sources/${copySource}`)).status).toBe(
      404,
    );
    const noCsrf = await as('operator', '/console/districts/copy/roster-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams(apiSource()),
    });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain('SERVER_CSRF_INVALID');
  });
});

describe('off the private network (the default outside demo mode)', () => {
  it('refuses a source on this machine when it is saved, naming the field', async () => {
    const jobs = createRosterPullJobs({
      db: server.database.db,
      roster: rosterService,
      sources: { listScheduled: async () => [] } as never,
      logger: createLogger({ level: 'silent' }),
      checkUrl: (url) => checkOutboundUrl(url),
    });
    const error = await jobs
      .checkUrls({ url: 'https://203.0.113.5/ims/oneroster/v1p1', tokenUrl: packageUrl })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SERVER_ROSTER_SOURCE_INVALID', detail: { field: 'tokenUrl' } });
    expect((error as Error).message).toContain('is on a private network (127.0.0.1)');
  });

  it('a run that reaches for a private address fails with SERVER_OUTBOUND_REFUSED and changes nothing', async () => {
    const source = (await server.database.db
      .selectFrom('roster_sources')
      .select('id')
      .where('tenant_id', '=', 'mirror')
      .where('name', '=', 'Nightly export')
      .executeTakeFirstOrThrow()) as { id: string };
    const before = await userIds('mirror');
    const stored = await server.database.sql.query<{ url: string }>(
      'select url from roster_sources where id = $1',
      [source.id],
    );
    const record = await runRosterSource(
      { db: server.database.db, roster: rosterService, fetch: guardedFetch() },
      {
        id: source.id,
        tenantId: 'mirror',
        name: 'Nightly export',
        kind: 'package-url',
        url: stored.rows[0]?.url ?? '',
        auth: 'bearer',
        tokenUrl: undefined,
        clientId: undefined,
        secret: packageToken,
        schedule: undefined,
        timeZone: 'UTC',
        confirmHeld: false,
        createdAt: new Date(),
        updatedAt: new Date(),
        lastRunAt: undefined,
        lastImportId: undefined,
        lastStatus: undefined,
      },
      'test',
    );
    expect(record.status).toBe('failed');
    expect(record.message).toContain('SERVER_OUTBOUND_REFUSED');
    expect(record.message).toContain('nothing was changed');
    expect(await userIds('mirror')).toEqual(before);
  });
});
