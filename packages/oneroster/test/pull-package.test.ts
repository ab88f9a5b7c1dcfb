/**
 * `pullPackage` against the server over real HTTP: a district read through the API becomes a bulk package that
 * validates cleanly and holds the same rows; a credential without the demographics scope leaves demographics out;
 * a collection that cannot be read leaves nothing behind.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRosterStore } from '../src/adapters/memory/memory-roster-store.ts';
import { createOneRosterClient, type OneRosterClient } from '../src/client/client.ts';
import { OneRosterClientError } from '../src/client/client-error.ts';
import { pullPackage } from '../src/client/pull-package.ts';
import type { CsvDataset } from '../src/csv/dataset.ts';
import { readPackage } from '../src/csv/read.ts';
import type { FileName } from '../src/model/files.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import { importPackage } from '../src/store/import-package.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { fixtureDataset, rowsOf } from './support/fixture.ts';
import { type ServedHandler, serve } from './support/node-host.ts';
import { basePath, createTestApi, type TestApi } from './support/test-api.ts';

const source = 'district-source';
const copy = 'district-copy';
const rosterFiles = [
  'academicSessions',
  'orgs',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
] as const;

let store: RosterStore;
let dataset: CsvDataset;
let served: ServedHandler;
let api: TestApi;
let work: string;
let failEnrollments = false;

beforeAll(async () => {
  store = createMemoryRosterStore();
  dataset = fixtureDataset(11);
  // Extensions travel as metadata: one user carries a vendor column.
  const users = dataset.tables.users;
  if (users === undefined) throw new Error('the fixture has no users');
  users.columns = [...users.columns, 'metadata.ext.nickname'];
  for (const row of users.rows)
    row['metadata.ext.nickname'] = row.sourcedId === users.rows[0]?.sourcedId ? 'Sunny' : '';
  const outcome = await importDataset(store, source, dataset);
  if (outcome.status !== 'applied') throw new Error(`fixture import was ${outcome.status}`);
  let handler: TestApi | undefined;
  served = await serve(async (request) => {
    if (failEnrollments && new URL(request.url).pathname.endsWith('/enrollments')) {
      return new Response('{}', { status: 500 });
    }
    return await (handler as TestApi).handle(request);
  });
  // A small page cap makes every collection take several pages.
  handler = createTestApi({ store, origin: served.origin, maxLimit: 7 });
  api = handler;
  work = await mkdtemp(join(tmpdir(), 'pull-package-test-'));
});

afterAll(async () => {
  await served?.close();
  await rm(work, { recursive: true, force: true });
});

async function clientWith(scopes: readonly string[]): Promise<OneRosterClient> {
  const credential = await api.issue(source, scopes);
  return createOneRosterClient({
    baseUrl: `${served.origin}${basePath}`,
    auth: {
      type: 'oauth2',
      tokenUrl: `${served.origin}/oauth/token`,
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
    },
    retry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 },
    sleep: async () => {},
  });
}

const sorted = (ids: string[]) => [...ids].sort();

describe('pullPackage', () => {
  it('writes every rostering collection as a bulk package that validates and holds the same rows', async () => {
    const client = await clientWith(['roster.readonly']);
    const out = join(work, 'full.zip');
    const progress: string[] = [];
    const result = await pullPackage(client, out, {
      onProgress: ({ file }) => progress.push(file),
      systemName: 'Test SIS',
    });
    expect(result.skipped).toEqual([]);
    const { dataset: pulled, report } = await readPackage(out);
    expect(report.totals.errors).toBe(0);
    expect(pulled.manifest.properties['source.systemName']).toBe('Test SIS');
    for (const file of rosterFiles) {
      const expected = rowsOf(dataset, file as FileName);
      expect(result.rows[file], file).toBe(expected.length);
      expect(pulled.manifest.files[file], file).toBe('bulk');
      const byId = new Map(rowsOf(pulled, file as FileName).map((row) => [String(row.sourcedId), row]));
      expect(sorted([...byId.keys()]), file).toEqual(sorted(expected.map((row) => String(row.sourcedId))));
      for (const row of expected) {
        const got = byId.get(row.sourcedId ?? '');
        for (const [column, cell] of Object.entries(row)) {
          // Bulk files leave status and dateLastModified blank.
          if (column === 'status' || column === 'dateLastModified') continue;
          expect(got?.[column] ?? '', `${file} ${row.sourcedId} ${column}`).toBe(cell);
        }
      }
    }
    expect(new Set(progress)).toEqual(new Set(rosterFiles));
  });

  it('gives a package that imports into another tenant with the same people, classes and enrollments', async () => {
    const client = await clientWith(['roster.readonly']);
    const out = join(work, 'copy');
    await pullPackage(client, out);
    const imported = await importPackage(store, copy, out);
    expect(imported.status).toBe('applied');
    for (const file of ['users', 'classes', 'enrollments'] as const) {
      const [original, copied] = await Promise.all(
        [source, copy].map(
          async (tenant) =>
            (await store.list(tenant, { file, limit: 10_000, offset: 0, includeDeleted: false })).entities,
        ),
      );
      expect(copied?.length, file).toBe(rowsOf(dataset, file).length);
      expect(sorted((copied ?? []).map((row) => String(row.sourcedId)))).toEqual(
        sorted((original ?? []).map((row) => String(row.sourcedId))),
      );
    }
  });

  it('leaves demographics out (absent) when the credential may not read them, and says so', async () => {
    const client = await clientWith(['roster-core.readonly']);
    const out = join(work, 'core-only.zip');
    const result = await pullPackage(client, out);
    expect(result.skipped).toEqual([expect.objectContaining({ file: 'demographics', status: 403 })]);
    expect(result.rows.demographics).toBeUndefined();
    const { dataset: pulled, report } = await readPackage(out);
    expect(report.totals.errors).toBe(0);
    expect(pulled.manifest.files.demographics).toBe('absent');
    expect(rowsOf(pulled, 'users')).toHaveLength(rowsOf(dataset, 'users').length);
  });

  it('fails with the server answer when a required collection cannot be read, and writes nothing', async () => {
    const client = await clientWith(['roster.readonly']);
    const out = join(work, 'broken.zip');
    failEnrollments = true;
    try {
      const error = await pullPackage(client, out).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OneRosterClientError);
      expect((error as OneRosterClientError).code).toBe('ONEROSTER_CLIENT_HTTP');
      expect((error as OneRosterClientError).status).toBe(500);
      expect((error as OneRosterClientError).message).toContain('/enrollments');
    } finally {
      failEnrollments = false;
    }
    expect(await readdir(work)).not.toContain('broken.zip');
  });

  it('refuses a required collection the credential may not read (403 is not optional for users)', async () => {
    const client = await clientWith(['roster-demographics.readonly']);
    const error = await pullPackage(client, join(work, 'no-core.zip')).catch((caught: unknown) => caught);
    expect((error as OneRosterClientError).code).toBe('ONEROSTER_CLIENT_HTTP');
    expect((error as OneRosterClientError).status).toBe(403);
  });
});
