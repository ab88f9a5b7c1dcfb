/**
 * The roster store contract, run on every adapter (memory, PGlite, the real PostgreSQL): what the API reads, how
 * gradebook writes and deletions behave, and what imports do (bulk and delta counts, the safety guard, atomicity,
 * tenants kept apart). A store that passes can back the API.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOneRosterHandler } from '../src/api/handler.ts';
import type { CsvDataset, CsvRow } from '../src/csv/dataset.ts';
import { writePackage } from '../src/csv/write.ts';
import { compareEntities } from '../src/filter/evaluate.ts';
import { fieldCatalog } from '../src/filter/fields.ts';
import { generateDataset } from '../src/generate/district.ts';
import { csvRowToEntity } from '../src/model/convert.ts';
import type { FileName } from '../src/model/files.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import { importPackage } from '../src/store/import-package.ts';
import type { RosterStore, StoredEntity } from '../src/store/roster-store.ts';
import { collectionCases, singleCases } from './support/endpoint-cases.ts';
import { fixtureDataset, importedAt, loadFixture, rowsOf, tenantA, tenantB } from './support/fixture.ts';
import { principal, staticAuthenticator } from './support/principals.ts';
import { type OpenedStore, storeFactories } from './support/stores.ts';

const baseUrl = 'http://api.test/ims/oneroster/v1p1';
const later = new Date('2026-03-05T00:00:00.000Z');

function deltaOf(
  base: CsvDataset,
  tables: Partial<Record<FileName, CsvRow[]>>,
  mode: 'bulk' | 'delta' = 'delta',
): CsvDataset {
  const files = { ...base.manifest.files };
  for (const file of Object.keys(files) as FileName[]) files[file] = file in tables ? mode : 'absent';
  const dataset: CsvDataset = { manifest: { ...base.manifest, files }, tables: {} };
  for (const [file, rows] of Object.entries(tables) as [FileName, CsvRow[]][]) {
    dataset.tables[file] = { mode, columns: base.tables[file]?.columns ?? [], rows };
  }
  return dataset;
}

async function allOf(
  store: RosterStore,
  tenant: string,
  file: 'users' | 'enrollments' | 'classes',
  includeDeleted = true,
) {
  return (await store.list(tenant, { file, limit: 100_000, offset: 0, includeDeleted })).entities;
}

describe.each(storeFactories())('roster store contract: $name', (factory) => {
  let opened: OpenedStore;
  let store: RosterStore;
  let a: CsvDataset;

  beforeAll(async () => {
    opened = await factory.open();
    store = opened.store;
    ({ a } = await loadFixture(store));
  });

  afterAll(async () => {
    await opened?.close();
  });

  describe('reads', () => {
    const handler = () =>
      createOneRosterHandler({
        store,
        auth: staticAuthenticator({ a: principal(tenantA) }),
        baseUrl,
        maxLimit: 1000,
      });

    it('answers every collection and relationship read with exactly the expected rows', async () => {
      const handle = handler();
      for (const { path, key, ids } of collectionCases(a)) {
        const response = await handle(
          new Request(`${baseUrl}${path}?limit=1000`, { headers: { authorization: 'Bearer a' } }),
        );
        const body = (await response.json()) as Record<string, { sourcedId: string }[]>;
        expect(response.status, path).toBe(200);
        expect((body[key] ?? []).map((entity) => entity.sourcedId).sort(), path).toEqual([...ids].sort());
        expect(response.headers.get('x-total-count'), path).toBe(String(ids.length));
      }
      for (const [path, key] of singleCases) {
        const response = await handle(
          new Request(`${baseUrl}${path}`, { headers: { authorization: 'Bearer a' } }),
        );
        expect(response.status, path).toBe(200);
        expect(Object.keys((await response.json()) as object), path).toEqual([key]);
      }
    });

    it('returns entities as imported, with derived children and resources', async () => {
      const user = await store.get(tenantA, 'users', 'student-1');
      const row = rowsOf(a, 'users').find((candidate) => candidate.sourcedId === 'student-1') ?? {};
      expect(user).toEqual({
        ...(csvRowToEntity('users', row, { baseUrl: '' }) as object),
        status: 'active',
        dateLastModified: importedAt.toISOString(),
      });
      const district = await store.get(tenantA, 'orgs', 'district-1');
      expect(
        ((district?.children ?? []) as { sourcedId: string; type: string }[]).map((child) => [
          child.sourcedId,
          child.type,
        ]),
      ).toEqual([
        ['school-1', 'org'],
        ['school-2', 'org'],
        ['school-3', 'org'],
      ]);
      expect((await store.get(tenantA, 'classes', 'class-11'))?.resources).toEqual([
        { href: '', sourcedId: 'resource-4', type: 'resource' },
      ]);
      expect((await store.get(tenantA, 'classes', 'class-2'))?.resources).toBeUndefined();
      expect(await store.get(tenantA, 'users', 'nobody')).toBeUndefined();
      expect(await store.get('no-such-tenant', 'users', 'student-1')).toBeUndefined();
    });

    it('sorts by every sortable field in both directions exactly like the in-memory order, and pages', async () => {
      const users = rowsOf(a, 'users').map(
        (row) =>
          ({
            ...(csvRowToEntity('users', row, { baseUrl: '' }) as object),
            status: 'active',
            dateLastModified: importedAt.toISOString(),
          }) as StoredEntity,
      );
      for (const field of fieldCatalog('users').queryFields.values()) {
        if (!field.sortable) continue;
        for (const direction of ['asc', 'desc'] as const) {
          const expected = [...users]
            .sort(compareEntities({ field, direction }))
            .map((user) => user.sourcedId);
          const page = await store.list(tenantA, {
            file: 'users',
            sort: { field, direction },
            limit: 9,
            offset: 13,
            includeDeleted: false,
          });
          expect(
            page.entities.map((user) => user.sourcedId),
            `${field.path} ${direction}`,
          ).toEqual(expected.slice(13, 22));
          expect(page.total).toBe(users.length);
        }
      }
      const beyond = await store.list(tenantA, {
        file: 'users',
        limit: 10,
        offset: 10_000,
        includeDeleted: false,
      });
      expect(beyond).toEqual({ entities: [], total: users.length });
    });
  });

  describe('gradebook writes', () => {
    const category = (title: string): StoredEntity => ({
      sourcedId: 'contract-category',
      status: 'active',
      dateLastModified: '2026-04-01T00:00:00.000Z',
      title,
    });

    it('puts (created once, then replaced), marks deleted once, and keeps tenants apart', async () => {
      expect(await store.put(tenantA, 'categories', category('One'))).toEqual({ created: true });
      expect(await store.put(tenantA, 'categories', category('Two'))).toEqual({ created: false });
      expect(await store.get(tenantA, 'categories', 'contract-category')).toEqual(category('Two'));
      expect(await store.get(tenantB, 'categories', 'contract-category')).toBeUndefined();
      expect(
        await store.markDeleted(tenantB, 'categories', 'contract-category', '2026-04-02T00:00:00.000Z'),
      ).toBe(false);
      expect(
        await store.markDeleted(tenantA, 'categories', 'contract-category', '2026-04-02T00:00:00.000Z'),
      ).toBe(true);
      expect(
        await store.markDeleted(tenantA, 'categories', 'contract-category', '2026-04-03T00:00:00.000Z'),
      ).toBe(false);
      expect(await store.get(tenantA, 'categories', 'contract-category')).toMatchObject({
        status: 'tobedeleted',
        dateLastModified: '2026-04-02T00:00:00.000Z',
        title: 'Two',
      });
      const listed = await store.list(tenantA, {
        file: 'categories',
        limit: 100,
        offset: 0,
        includeDeleted: false,
      });
      expect(listed.entities.map((entity) => entity.sourcedId)).not.toContain('contract-category');
    });
  });

  describe('imports', () => {
    let tenant = 0;
    const fresh = () => `contract-${++tenant}`;

    it('counts a first bulk import as inserted, the same again as unchanged (dateLastModified kept)', async () => {
      const id = fresh();
      const dataset = fixtureDataset(11);
      const first = await importDataset(store, id, dataset, { importedAt });
      expect(first.status).toBe('applied');
      for (const file of Object.keys(dataset.tables) as FileName[]) {
        expect(first.counts[file], file).toEqual({
          inserted: rowsOf(dataset, file).length,
          updated: 0,
          deleted: 0,
          unchanged: 0,
        });
      }
      const again = await importDataset(store, id, dataset, { importedAt: later });
      for (const file of Object.keys(dataset.tables) as FileName[]) {
        expect(again.counts[file], file).toEqual({
          inserted: 0,
          updated: 0,
          deleted: 0,
          unchanged: rowsOf(dataset, file).length,
        });
      }
      expect((await store.get(id, 'users', 'student-1'))?.dateLastModified).toBe(importedAt.toISOString());
    });

    it('bulk: changed rows are updated at the import time, missing rows marked tobedeleted, others unchanged', async () => {
      const id = fresh();
      const dataset = fixtureDataset(12);
      await importDataset(store, id, dataset, { importedAt });
      const users = rowsOf(dataset, 'users');
      const changed = users.map((row) =>
        row.sourcedId === 'student-3' ? { ...row, givenName: 'Changed' } : row,
      );
      const next = deltaOf(
        dataset,
        { users: changed.filter((row) => row.sourcedId !== 'student-4'), categories: [] },
        'bulk',
      );
      const outcome = await importDataset(store, id, next, { importedAt: later });
      expect(outcome).toEqual({
        status: 'applied',
        counts: {
          users: { inserted: 0, updated: 1, deleted: 1, unchanged: users.length - 2 },
          categories: {
            inserted: 0,
            updated: 0,
            deleted: rowsOf(dataset, 'categories').length,
            unchanged: 0,
          },
        },
      });
      expect(await store.get(id, 'users', 'student-3')).toMatchObject({
        givenName: 'Changed',
        status: 'active',
        dateLastModified: later.toISOString(),
      });
      expect(await store.get(id, 'users', 'student-4')).toMatchObject({
        status: 'tobedeleted',
        dateLastModified: later.toISOString(),
      });
      expect(await store.get(id, 'users', 'student-5')).toMatchObject({
        status: 'active',
        dateLastModified: importedAt.toISOString(),
      });
      // A row deleted by one bulk import and present in the next comes back as updated.
      const back = await importDataset(store, id, deltaOf(dataset, { users }, 'bulk'), { importedAt: later });
      expect(back.counts.users).toEqual({ inserted: 0, updated: 2, deleted: 0, unchanged: users.length - 2 });
    });

    it("delta: keeps the rows' own status and dateLastModified and counts each kind of change", async () => {
      const id = fresh();
      const dataset = fixtureDataset(13);
      await importDataset(store, id, dataset, { importedAt });
      const user = (sourcedId: string) =>
        rowsOf(dataset, 'users').find((row) => row.sourcedId === sourcedId) ?? {};
      const stamp = '2026-03-04T05:06:07.890Z';
      const delta = deltaOf(dataset, {
        users: [
          { ...user('student-1'), status: 'tobedeleted', dateLastModified: stamp },
          { ...user('student-2'), givenName: 'Renamed', status: 'active', dateLastModified: stamp },
          { ...user('student-3'), status: 'active', dateLastModified: stamp },
          {
            ...user('student-4'),
            sourcedId: 'student-new',
            username: 'new',
            status: 'active',
            dateLastModified: stamp,
          },
          {
            ...user('student-5'),
            sourcedId: 'never-existed',
            status: 'tobedeleted',
            dateLastModified: stamp,
          },
        ],
      });
      const outcome = await importDataset(store, id, delta, { importedAt: later });
      expect(outcome).toEqual({
        status: 'applied',
        counts: { users: { inserted: 1, updated: 1, deleted: 1, unchanged: 2 } },
      });
      expect(await store.get(id, 'users', 'student-1')).toMatchObject({
        status: 'tobedeleted',
        dateLastModified: stamp,
      });
      expect(await store.get(id, 'users', 'student-2')).toMatchObject({
        givenName: 'Renamed',
        dateLastModified: stamp,
      });
      expect(await store.get(id, 'users', 'student-3')).toMatchObject({
        dateLastModified: importedAt.toISOString(),
      });
      expect(await store.get(id, 'users', 'student-new')).toMatchObject({
        status: 'active',
        dateLastModified: stamp,
      });
      expect(await store.get(id, 'users', 'never-existed')).toBeUndefined();
      // Deleted enrollments relate nothing any more.
      const enrollment = rowsOf(dataset, 'enrollments').find((row) => row.role === 'student') ?? {};
      await importDataset(
        store,
        id,
        deltaOf(dataset, {
          enrollments: [{ ...enrollment, status: 'tobedeleted', dateLastModified: stamp }],
        }),
        {
          importedAt: later,
        },
      );
      const students = await store.list(id, {
        file: 'users',
        membership: {
          type: 'usersInClass',
          classSourcedId: enrollment.classSourcedId ?? '',
          role: 'student',
        },
        limit: 100,
        offset: 0,
        includeDeleted: true,
      });
      expect(students.entities.map((entity) => entity.sourcedId)).not.toContain(enrollment.userSourcedId);
    });

    it('holds a bulk import that removes more than 10% of users, with the numbers, and changes nothing', async () => {
      const id = fresh();
      const dataset = fixtureDataset(14);
      await importDataset(store, id, dataset, { importedAt });
      const users = rowsOf(dataset, 'users');
      const kept = users.slice(0, Math.floor(users.length * 0.8));
      const outcome = await importDataset(
        store,
        id,
        deltaOf(
          dataset,
          { users: kept.map((row, index) => (index === 0 ? { ...row, givenName: 'X' } : row)) },
          'bulk',
        ),
        { importedAt: later },
      );
      expect(outcome.status).toBe('held');
      if (outcome.status !== 'held') return;
      expect(outcome.counts.users).toEqual({
        inserted: 0,
        updated: 1,
        deleted: users.length - kept.length,
        unchanged: kept.length - 1,
      });
      expect(outcome.guard).toEqual([
        expect.objectContaining({
          kind: 'removedShare',
          file: 'users',
          before: users.length,
          removed: users.length - kept.length,
          maxShare: 0.1,
        }),
      ]);
      expect(
        (await allOf(store, id, 'users')).every(
          (user) => user.status === 'active' && user.dateLastModified === importedAt.toISOString(),
        ),
      ).toBe(true);
      const confirmed = await importDataset(store, id, deltaOf(dataset, { users: kept }, 'bulk'), {
        importedAt: later,
        confirm: true,
      });
      expect(confirmed.status).toBe('applied');
      expect((await allOf(store, id, 'users', false)).length).toBe(kept.length);
      // A share under the threshold passes.
      const small = await importDataset(store, fresh(), dataset, { importedAt });
      expect(small.status).toBe('applied');
    });

    it('holds a bulk import that empties a class of five or more students', async () => {
      const id = fresh();
      const dataset = generateDataset({ students: 200, seed: 21 });
      await importDataset(store, id, dataset, { importedAt });
      const enrollments = rowsOf(dataset, 'enrollments');
      const perClass = new Map<string, number>();
      for (const row of enrollments)
        if (row.role === 'student')
          perClass.set(row.classSourcedId ?? '', (perClass.get(row.classSourcedId ?? '') ?? 0) + 1);
      const [target, size] = [...perClass].find(([, count]) => count >= 5) ?? ['', 0];
      expect(size).toBeGreaterThanOrEqual(5);
      const remaining = enrollments.filter(
        (row) => !(row.classSourcedId === target && row.role === 'student'),
      );
      expect((enrollments.length - remaining.length) / enrollments.length).toBeLessThan(0.1);
      const outcome = await importDataset(store, id, deltaOf(dataset, { enrollments: remaining }, 'bulk'), {
        importedAt: later,
      });
      expect(outcome).toMatchObject({
        status: 'held',
        guard: [{ kind: 'classEmptied', classSourcedId: target, studentsBefore: size }],
      });
      expect((await allOf(store, id, 'enrollments', false)).length).toBe(enrollments.length);
      expect(
        (
          await importDataset(store, id, deltaOf(dataset, { enrollments: remaining }, 'bulk'), {
            importedAt: later,
            confirm: true,
          })
        ).status,
      ).toBe('applied');
    });

    it('leaves other tenants alone, and an aborted import changes nothing', async () => {
      const id = fresh();
      const dataset = fixtureDataset(15);
      await importDataset(store, id, dataset, { importedAt });
      const beforeB = await allOf(store, tenantB, 'users');
      await importDataset(store, id, deltaOf(dataset, { users: [] }, 'bulk'), {
        importedAt: later,
        confirm: true,
      });
      expect((await allOf(store, id, 'users', false)).length).toBe(0);
      expect(await allOf(store, tenantB, 'users')).toEqual(beforeB);
      const session = await store.beginImport(tenantB, { importedAt: later.toISOString() });
      await session.stage('users', [
        { ...(beforeB[0] as object), sourcedId: 'staged-only', givenName: 'Staged' },
      ]);
      await session.abort();
      expect(await store.get(tenantB, 'users', 'staged-only')).toBeUndefined();
      await expect(
        session.commit({
          modes: { users: 'delta' },
          confirm: true,
          guard: { maxRemovedShare: 0.1, minClassSize: 5 },
        }),
      ).rejects.toThrow();
    });

    // Only the SQL stores can fail midway through applying (a cast in the database); memory applies atomically.
    const sqlOnlyIt = factory.name === 'memory' ? () => {} : it;
    sqlOnlyIt('rolls the whole import back when applying fails midway', async () => {
      const id = fresh();
      const dataset = fixtureDataset(16);
      await importDataset(store, id, dataset, { importedAt });
      const session = await store.beginImport(id, { importedAt: later.toISOString() });
      // Orgs apply first and succeed; the users row's datetime cannot be cast, which fails the transaction.
      await session.stage('orgs', [
        {
          sourcedId: 'new-org',
          name: 'New',
          type: 'school',
          status: 'active',
          dateLastModified: later.toISOString(),
        },
      ]);
      await session.stage('users', [
        {
          ...(csvRowToEntity('users', rowsOf(dataset, 'users')[0] ?? {}, { baseUrl: '' }) as object),
          status: 'active',
          givenName: 'Changed',
          dateLastModified: 'not a datetime',
        },
      ]);
      await expect(
        session.commit({
          modes: { orgs: 'delta', users: 'delta' },
          confirm: true,
          guard: { maxRemovedShare: 0.1, minClassSize: 5 },
        }),
      ).rejects.toThrow();
      expect(await store.get(id, 'orgs', 'new-org')).toBeUndefined();
      const { rows } = await opened.client!.query<{ staged: number }>(
        `select count(*)::int as staged from "${opened.schema}".oneroster_import_rows`,
      );
      expect(Number(rows[0]?.staged)).toBe(0);
    });

    it("checks a delta package's references against the tenant's stored rows: an error only when in neither", async () => {
      const folder = await mkdtemp(join(tmpdir(), 'oneroster-delta-refs-'));
      try {
        const id = fresh();
        const dataset = fixtureDataset(19);
        await importDataset(store, id, dataset, { importedAt });
        const stamp = '2026-03-04T05:06:07.890Z';
        const student = rowsOf(dataset, 'users').find((row) => row.sourcedId === 'student-1') ?? {};
        const enrollment = rowsOf(dataset, 'enrollments').find((row) => row.role === 'student') ?? {};
        // student-2 is deleted first: a stored but deleted row is not one a new enrollment can point at.
        await importDataset(
          store,
          id,
          deltaOf(dataset, {
            users: [
              { ...(rowsOf(dataset, 'users')[1] ?? {}), status: 'tobedeleted', dateLastModified: stamp },
            ],
          }),
          { importedAt: later },
        );
        const deletedUser = rowsOf(dataset, 'users')[1]?.sourcedId ?? '';
        const row = (sourcedId: string, classSourcedId: string, userSourcedId: string) => ({
          ...enrollment,
          sourcedId,
          classSourcedId,
          userSourcedId,
          status: 'active',
          dateLastModified: stamp,
        });
        const tables = {
          // Only in the delta.
          users: [
            {
              ...student,
              sourcedId: 'student-only-in-delta',
              username: 'delta',
              dateLastModified: stamp,
              status: 'active',
            },
          ],
          enrollments: [
            row('enrollment-stored-refs', enrollment.classSourcedId ?? '', 'student-1'), // line 2: both stored
            row('enrollment-delta-user', enrollment.classSourcedId ?? '', 'student-only-in-delta'), // line 3
            row('enrollment-no-class', 'class-nowhere', 'student-1'), // line 4: class in neither
            row('enrollment-deleted-user', enrollment.classSourcedId ?? '', deletedUser), // line 5: user deleted
          ],
        };
        const withBadRows = join(folder, 'bad');
        await writePackage(deltaOf(dataset, tables), withBadRows);
        const before = await allOf(store, id, 'enrollments');
        const invalid = await importPackage(store, id, withBadRows, { importedAt: later });
        expect(invalid.status).toBe('invalid');
        expect(
          invalid.report.errors.map(({ code, file, line, column, value }) => ({
            code,
            file,
            line,
            column,
            value,
          })),
        ).toEqual([
          {
            code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
            file: 'enrollments.csv',
            line: 4,
            column: 'classSourcedId',
            value: 'class-nowhere',
          },
          {
            code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
            file: 'enrollments.csv',
            line: 5,
            column: 'userSourcedId',
            value: deletedUser,
          },
        ]);
        expect(await allOf(store, id, 'enrollments')).toEqual(before);

        const good = join(folder, 'good');
        await writePackage(
          deltaOf(dataset, { ...tables, enrollments: tables.enrollments.slice(0, 2) }),
          good,
        );
        const applied = await importPackage(store, id, good, { importedAt: later });
        expect(applied.status).toBe('applied');
        expect(applied.report.errors).toEqual([]);
        expect(
          applied.report.warnings.filter((finding) => finding.code === 'ONEROSTER_CSV_REFERENCE_UNVERIFIED'),
        ).toEqual([]);
        if (applied.status === 'applied') expect(applied.counts.enrollments?.inserted).toBe(2);

        // Into an empty tenant the same delta has nothing to point at but its own rows.
        const empty = await importPackage(store, fresh(), good, { importedAt: later });
        expect(empty.status).toBe('invalid');
        const where = empty.report.errors.map(({ code, file, line, column }) => ({
          code,
          file,
          line,
          column,
        }));
        const unresolved = (file: string, line: number, column: string) => ({
          code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
          file,
          line,
          column,
        });
        expect(new Set(where.map((finding) => finding.code))).toEqual(
          new Set(['ONEROSTER_CSV_REFERENCE_UNRESOLVED']),
        );
        expect(where).toContainEqual(unresolved('users.csv', 2, 'orgSourcedIds'));
        expect(where).toContainEqual(unresolved('enrollments.csv', 2, 'classSourcedId'));
        expect(where).toContainEqual(unresolved('enrollments.csv', 2, 'userSourcedId'));
        expect(where).toContainEqual(unresolved('enrollments.csv', 3, 'classSourcedId'));
        // The user that only the delta holds resolves within it.
        expect(where).not.toContainEqual(unresolved('enrollments.csv', 3, 'userSourcedId'));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('imports a package from disk after validating it; an invalid package changes nothing', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'oneroster-import-'));
      try {
        const id = fresh();
        const dataset = fixtureDataset(17);
        await writePackage(dataset, join(folder, 'district.zip'));
        const imported = await importPackage(store, id, join(folder, 'district.zip'), { importedAt });
        expect(imported.status).toBe('applied');
        if (imported.status !== 'applied') return;
        expect(imported.report.valid).toBe(true);
        expect(imported.counts.enrollments?.inserted).toBe(rowsOf(dataset, 'enrollments').length);
        const before = await allOf(store, id, 'users');
        await writePackage(dataset, join(folder, 'broken'));
        const usersCsv = join(folder, 'broken', 'users.csv');
        const { readFile } = await import('node:fs/promises');
        await writeFile(usersCsv, (await readFile(usersCsv, 'utf8')).replace(',student,', ',wizard,'));
        const invalid = await importPackage(store, id, join(folder, 'broken'), { importedAt: later });
        expect(invalid.status).toBe('invalid');
        expect(invalid.report.valid).toBe(false);
        expect(invalid.report.errors.length).toBeGreaterThan(0);
        expect(await allOf(store, id, 'users')).toEqual(before);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });
});
