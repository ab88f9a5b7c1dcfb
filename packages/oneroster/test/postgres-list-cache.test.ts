/**
 * List totals and keyset bookmarks remembered by the PostgreSQL store (PGlite and the real PostgreSQL), and the
 * filter comparisons it compiles bare, so indexes answer them: every page,
 * `X-Total-Count` and `Link` header must be exactly what the in-memory store answers on the same data, before and
 * after each kind of write (delta import, bulk import, gradebook put and delete), when the writes go through
 * another store instance (as another process would), and a remembered total must actually spare the count.
 */

import type { SqlClient } from '@passport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRosterStore } from '../src/adapters/memory/memory-roster-store.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { createOneRosterHandler } from '../src/api/handler.ts';
import type { CsvDataset, CsvRow } from '../src/csv/dataset.ts';
import type { FileName } from '../src/model/files.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import type { RosterStore, StoredEntity } from '../src/store/roster-store.ts';
import { fixtureDataset, importedAt, rowsOf } from './support/fixture.ts';
import { principal, staticAuthenticator } from './support/principals.ts';
import { type OpenedStore, storeFactories } from './support/stores.ts';

const baseUrl = 'http://api.test/ims/oneroster/v1p1';
const tenant = 'district-cache';
const later = new Date('2026-03-05T00:00:00.000Z');

const paths = [
  '/users',
  `/users?filter=${encodeURIComponent("role='student'")}`,
  `/users?filter=${encodeURIComponent("familyName~'a'")}`,
  `/users?filter=${encodeURIComponent("dateLastModified>'2000-01-01T00:00:00Z'")}`,
  `/users?filter=${encodeURIComponent("role>='student' AND familyName~'a'")}`,
  `/users?filter=${encodeURIComponent("role='teacher' OR givenName~'e'")}`,
  '/users?sort=sourcedId',
  '/users?sort=familyName&orderBy=desc',
  '/students',
  '/classes/class-2/students',
  '/enrollments',
  '/lineItems',
];

function handlerOf(store: RosterStore) {
  return createOneRosterHandler({
    store,
    auth: staticAuthenticator({ a: principal(tenant) }),
    baseUrl,
    maxLimit: 1000,
  });
}

interface Answer {
  status: number;
  total: string | null;
  link: string | null;
  body: unknown;
}

async function read(handler: ReturnType<typeof handlerOf>, path: string): Promise<Answer> {
  const response = await handler(
    new Request(`${baseUrl}${path}`, { headers: { authorization: 'Bearer a' } }),
  );
  return {
    status: response.status,
    total: response.headers.get('x-total-count'),
    link: response.headers.get('link'),
    body: await response.json(),
  };
}

function paged(path: string, limit: number, offset: number): string {
  return `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&offset=${offset}`;
}

function delta(base: CsvDataset, tables: Partial<Record<FileName, CsvRow[]>>): CsvDataset {
  const files = { ...base.manifest.files };
  for (const file of Object.keys(files) as FileName[]) files[file] = file in tables ? 'delta' : 'absent';
  const dataset: CsvDataset = { manifest: { ...base.manifest, files }, tables: {} };
  for (const [file, rows] of Object.entries(tables) as [FileName, CsvRow[]][]) {
    dataset.tables[file] = { mode: 'delta', columns: base.tables[file]?.columns ?? [], rows };
  }
  return dataset;
}

/** A client that records every statement it runs (reads only: no COPY, no transactions). */
function recording(client: SqlClient): { client: SqlClient; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    client: {
      query: ((text: string, values?: unknown[]) => {
        statements.push(text);
        return client.query(text, values);
      }) as SqlClient['query'],
    },
  };
}

const sqlFactories = storeFactories().filter((factory) => factory.name !== 'memory');

describe.each(sqlFactories)('remembered list totals and bookmarks: $name', (factory) => {
  let opened: OpenedStore;
  let writer: RosterStore;
  let cached: RosterStore;
  let listed: RosterStore;
  let prefixed: RosterStore;
  let statements: string[];
  const oracle = createMemoryRosterStore();
  const dataset = fixtureDataset(21);

  /** Both stores get the same write. */
  async function both(write: (store: RosterStore) => Promise<unknown>): Promise<void> {
    await write(writer);
    await write(oracle);
  }

  /**
   * Every path paged by 4 and by 10 to one past the end, twice (the first pass fills the cache). With a bookmark
   * every third row, offsets stepping by 4 start at every position relative to a bookmark.
   */
  async function expectSameAsOracle(): Promise<void> {
    await expectStoreSameAsOracle(cached, [4, 10]);
    await expectStoreSameAsOracle(listed, [4]);
    await expectStoreSameAsOracle(prefixed, [2, 4]);
  }

  async function expectStoreSameAsOracle(store: RosterStore, limits: readonly number[]): Promise<void> {
    const mine = handlerOf(store);
    const theirs = handlerOf(oracle);
    for (const path of paths) {
      const expected = await read(theirs, path);
      expect(expected.status, path).toBe(200);
      const total = Number(expected.total);
      for (let pass = 0; pass < 2; pass += 1) {
        for (const limit of limits) {
          for (let offset = 0; offset <= total + limit; offset += limit) {
            const url = paged(path, limit, offset);
            expect(await read(mine, url), url).toEqual(await read(theirs, url));
          }
        }
      }
    }
  }

  async function totalOf(path: string): Promise<number> {
    return Number((await read(handlerOf(cached), path)).total);
  }

  beforeAll(async () => {
    opened = await factory.open();
    writer = opened.store;
    const client = opened.client;
    if (client === undefined) throw new Error('an SQL store has a client');
    const recorder = recording(client);
    statements = recorder.statements;
    // Another instance than the writer, as another process would be: only the version counters tell it of writes.
    cached = createPostgresRosterStore({
      client: recorder.client,
      schema: opened.schema,
      listCache: { bookmarkInterval: 3, maxIds: 0 },
    });
    // The same with every matching sourcedId remembered (the fixture's queries all match fewer than 10,000 rows).
    listed = createPostgresRosterStore({ client: recorder.client, schema: opened.schema });
    // Few ids kept: the unindexed queries keep their first 5, and pages past them start from a bookmark.
    prefixed = createPostgresRosterStore({
      client: recorder.client,
      schema: opened.schema,
      listCache: { bookmarkInterval: 3, maxIds: 5 },
    });
    await both((store) => importDataset(store, tenant, dataset, { importedAt }));
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('answers every page, total and Link header exactly as the in-memory store', async () => {
    await expectSameAsOracle();
  }, 120_000);

  it('counts a query once while its files are unchanged, and starts deep pages from a bookmark', async () => {
    const users = rowsOf(dataset, 'users').length;
    await read(handlerOf(cached), '/users?limit=5');
    statements.length = 0;
    const answer = await read(handlerOf(cached), `/users?limit=5&offset=${users - 5}`);
    expect(answer.total).toBe(String(users));
    expect(statements.some((statement) => statement.includes('count(*)'))).toBe(false);
    expect(statements.some((statement) => statement.includes('and t.sourced_id > $'))).toBe(true);
    // Sorted by another field, the page walks the offset: bookmarks follow sourcedId order only.
    await read(handlerOf(cached), '/users?limit=5&sort=familyName');
    statements.length = 0;
    await read(handlerOf(cached), `/users?limit=5&offset=${users - 5}&sort=familyName`);
    expect(statements.some((statement) => statement.includes('count(*)'))).toBe(false);
    expect(statements.some((statement) => statement.includes('and t.sourced_id > $'))).toBe(false);
  });

  it('reads a remembered page by its sourcedIds, with the stamp in the same statement', async () => {
    const path = `/users?filter=${encodeURIComponent("familyName~'a'")}`;
    const expected = await read(handlerOf(oracle), `${path}&limit=3&offset=3`);
    await read(handlerOf(listed), `${path}&limit=3`);
    statements.length = 0;
    expect(await read(handlerOf(listed), `${path}&limit=3&offset=3`)).toEqual(expected);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('and t.sourced_id = any($');
    expect(statements[0]).toContain('oneroster_versions');
    // Past the last id no row is read: the stamp alone is checked.
    statements.length = 0;
    const beyond = await read(handlerOf(listed), `${path}&limit=3&offset=1000`);
    expect(beyond).toEqual(await read(handlerOf(oracle), `${path}&limit=3&offset=1000`));
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('t.data');
  });

  it('reads the pages within the first ids of an unindexed query by sourcedId, and the pages past them by bookmark', async () => {
    const path = `/users?filter=${encodeURIComponent("familyName~'a'")}`;
    const total = Number((await read(handlerOf(oracle), path)).total);
    expect(total).toBeGreaterThan(8);
    await read(handlerOf(prefixed), `${path}&limit=2`);
    statements.length = 0;
    expect(await read(handlerOf(prefixed), `${path}&limit=2&offset=3`)).toEqual(
      await read(handlerOf(oracle), `${path}&limit=2&offset=3`),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('and t.sourced_id = any($');
    // Past the fifth id: from the bookmark at the sixth row, no id list.
    statements.length = 0;
    expect(await read(handlerOf(prefixed), `${path}&limit=2&offset=6`)).toEqual(
      await read(handlerOf(oracle), `${path}&limit=2&offset=6`),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('t.sourced_id = any($');
    expect(statements[0]).toContain('and t.sourced_id > $');
    // An indexed query matching more than 5 keeps no ids: its pages come from the index.
    const students = `/users?filter=${encodeURIComponent("role='student'")}`;
    expect(Number((await read(handlerOf(oracle), students)).total)).toBeGreaterThan(5);
    await read(handlerOf(prefixed), `${students}&limit=2`);
    statements.length = 0;
    await read(handlerOf(prefixed), `${students}&limit=2&offset=2`);
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('t.sourced_id = any($');
  });

  it('keeps totals exact after a delta import that deletes and adds users and ends enrollments', async () => {
    const usersBefore = await totalOf('/users');
    const studentsBefore = await totalOf('/students');
    const inClassBefore = await totalOf('/classes/class-2/students');
    const user = (id: string) => rowsOf(dataset, 'users').find((row) => row.sourcedId === id) ?? {};
    const stamp = '2026-03-04T05:06:07.890Z';
    const ending = rowsOf(dataset, 'enrollments').find(
      (row) => row.classSourcedId === 'class-2' && row.role === 'student',
    );
    if (ending === undefined) throw new Error('class-2 has a student');
    await both((store) =>
      importDataset(
        store,
        tenant,
        delta(dataset, {
          users: [
            { ...user('student-1'), status: 'tobedeleted', dateLastModified: stamp },
            { ...user('student-2'), status: 'tobedeleted', dateLastModified: stamp },
            { ...user('student-3'), sourcedId: 'student-new', username: 'new', dateLastModified: stamp },
          ],
          enrollments: [{ ...ending, status: 'tobedeleted', dateLastModified: stamp }],
        }),
        { importedAt: later },
      ),
    );
    expect(await totalOf('/users')).toBe(usersBefore - 1);
    expect(await totalOf('/students')).toBe(studentsBefore - 1);
    // The ended enrollment, and the class's students among the two deleted users, leave the class.
    const inClass = (await read(handlerOf(oracle), '/classes/class-2/students')).total;
    expect(await totalOf('/classes/class-2/students')).toBeLessThan(inClassBefore);
    expect(String(await totalOf('/classes/class-2/students'))).toBe(inClass);
    await expectSameAsOracle();
  }, 120_000);

  it('keeps totals exact after a bulk import and after gradebook puts and deletes', async () => {
    await both((store) => importDataset(store, tenant, dataset, { importedAt: later, confirm: true }));
    await expectSameAsOracle();
    const lineItemsBefore = await totalOf('/lineItems');
    const lineItem = (await oracle.get(
      tenant,
      'lineItems',
      rowsOf(dataset, 'lineItems')[0]?.sourcedId ?? '',
    )) as StoredEntity | undefined;
    if (lineItem === undefined) throw new Error('the fixture has line items');
    const created = { ...lineItem, sourcedId: 'line-item-new', dateLastModified: later.toISOString() };
    await both((store) => store.put(tenant, 'lineItems', created));
    expect(await totalOf('/lineItems')).toBe(lineItemsBefore + 1);
    await both((store) => store.markDeleted(tenant, 'lineItems', lineItem.sourcedId, later.toISOString()));
    await both((store) => store.markDeleted(tenant, 'lineItems', 'line-item-new', later.toISOString()));
    expect(await totalOf('/lineItems')).toBe(lineItemsBefore - 1);
    await expectSameAsOracle();
  }, 120_000);
});
