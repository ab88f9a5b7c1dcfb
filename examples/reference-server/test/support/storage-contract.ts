import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/audit-log.ts';
import type { DatabaseHandle } from '../../src/db/open-database.ts';
import { createTenantStore } from '../../src/tenants/tenant-store.ts';
import { latestMigration, migrationNames } from './migrations.ts';

export interface StorageBackend {
  /** Opens a fresh, empty database (never migrated). */
  open(): Promise<DatabaseHandle>;
  /** Removes what `open` created, after the handle is closed. */
  dispose(handle: DatabaseHandle): Promise<void>;
}

const fixedClock = (iso: string) => ({ now: () => new Date(iso) });

/** The storage contract: every backend (PGlite, PostgreSQL) must pass the same suite. */
export function describeStorageContract(kind: 'pglite' | 'postgres', backend: StorageBackend): void {
  describe('migrations', () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      handle = await backend.open();
    });
    afterAll(async () => {
      await handle?.close();
      if (handle) await backend.dispose(handle);
    });

    it('opens the expected kind, and a fresh database has no migration applied', async () => {
      expect(handle.kind).toBe(kind);
      expect(await handle.migrationVersion()).toBeNull();
      const states = await handle.migrations();
      expect(states).toEqual(migrationNames.map((name) => ({ name, appliedAt: null })));
    });

    it('applies every migration and reports the version', async () => {
      const run = await handle.migrate();
      expect(run.applied).toEqual(migrationNames);
      expect(await handle.migrationVersion()).toBe(latestMigration);
      const [state] = await handle.migrations();
      expect(state?.appliedAt).toBeInstanceOf(Date);
      const tables = await handle.db.introspection.getTables();
      const names = tables.filter((table) => table.schema === handle.schema).map((table) => table.name);
      expect(names).toEqual(expect.arrayContaining(['tenants', 'audit_log']));
    });

    it('migrating twice is a no-op', async () => {
      const before = await handle.migrations();
      const run = await handle.migrate();
      expect(run.applied).toEqual([]);
      expect(await handle.migrations()).toEqual(before);
      expect(await handle.migrationVersion()).toBe(latestMigration);
    });
  });

  describe('data', () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      handle = await backend.open();
      await handle.migrate();
    });
    afterAll(async () => {
      await handle?.close();
      if (handle) await backend.dispose(handle);
    });

    it('creates, reads, lists, renames and deletes tenants, auditing each write', async () => {
      const store = createTenantStore({ db: handle.db, clock: fixedClock('2025-01-02T03:04:05.000Z') });
      const created = await store.create({ id: 'crud-lincoln', name: ' Lincoln USD ' }, 'test:alice');
      expect(created).toEqual({
        id: 'crud-lincoln',
        name: 'Lincoln USD',
        createdAt: new Date('2025-01-02T03:04:05Z'),
      });
      await store.create({ id: 'crud-adams', name: 'Adams County' }, 'test:alice');

      expect(await store.get('crud-lincoln')).toEqual(created);
      expect(await store.get('crud-missing')).toBeUndefined();
      const listed = (await store.list())
        .filter((tenant) => tenant.id.startsWith('crud-'))
        .map((tenant) => tenant.id);
      expect(listed).toEqual(['crud-adams', 'crud-lincoln']);

      const renamed = await store.rename('crud-lincoln', 'Lincoln Unified', 'test:bob');
      expect(renamed.name).toBe('Lincoln Unified');
      expect(renamed.createdAt).toEqual(created.createdAt);

      await store.delete('crud-lincoln', 'test:bob');
      expect(await store.get('crud-lincoln')).toBeUndefined();

      const audit = await listAudit(handle.db, { tenantId: 'crud-lincoln' });
      expect(audit.map((entry) => [entry.action, entry.actor, entry.detail])).toEqual([
        ['tenant.deleted', 'test:bob', { name: 'Lincoln Unified' }],
        ['tenant.renamed', 'test:bob', { from: 'Lincoln USD', to: 'Lincoln Unified' }],
        ['tenant.created', 'test:alice', { name: 'Lincoln USD' }],
      ]);
    });

    it('refuses a duplicate, an invalid id or name, and writes to a missing tenant, with their codes', async () => {
      const store = createTenantStore({ db: handle.db });
      await store.create({ id: 'dup', name: 'First' }, 'test');
      await expect(store.create({ id: 'dup', name: 'Second' }, 'test')).rejects.toMatchObject({
        code: 'SERVER_TENANT_EXISTS',
        status: 409,
      });
      expect((await store.get('dup'))?.name).toBe('First');
      await expect(store.create({ id: 'Not_Valid', name: 'x' }, 'test')).rejects.toMatchObject({
        code: 'SERVER_TENANT_INVALID',
      });
      await expect(store.create({ id: 'valid', name: '   ' }, 'test')).rejects.toMatchObject({
        code: 'SERVER_TENANT_INVALID',
      });
      await expect(store.rename('nobody', 'x', 'test')).rejects.toMatchObject({
        code: 'SERVER_TENANT_NOT_FOUND',
      });
      await expect(store.delete('nobody', 'test')).rejects.toMatchObject({ code: 'SERVER_TENANT_NOT_FOUND' });
    });

    it('a rolled-back transaction leaves the data as it was, audit log included', async () => {
      const store = createTenantStore({ db: handle.db });
      await store.create({ id: 'rollback-kept', name: 'Original' }, 'test');
      const auditBefore = await listAudit(handle.db, { limit: 1000 });

      const failure = new Error('fails after two writes');
      await expect(
        handle.db.transaction().execute(async (transaction) => {
          const inside = createTenantStore({ db: transaction });
          await inside.rename('rollback-kept', 'Changed', 'test');
          await inside.create({ id: 'rollback-new', name: 'New' }, 'test');
          expect((await inside.get('rollback-new'))?.name).toBe('New'); // visible inside the transaction
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect((await store.get('rollback-kept'))?.name).toBe('Original');
      expect(await store.get('rollback-new')).toBeUndefined();
      expect(await listAudit(handle.db, { limit: 1000 })).toEqual(auditBefore);
    });

    it('serializes concurrent writers: every one lands once', async () => {
      const store = createTenantStore({ db: handle.db });
      const ids = Array.from({ length: 20 }, (_, index) => `concurrent-${String(index).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => store.create({ id, name: id }, 'test')));
      const listed = (await store.list()).filter((tenant) => tenant.id.startsWith('concurrent-'));
      expect(listed.map((tenant) => tenant.id)).toEqual(ids);
      const audited = await listAudit(handle.db, { limit: 1000 });
      expect(audited.filter((entry) => entry.tenantId?.startsWith('concurrent-'))).toHaveLength(20);
    });

    it('returns the same JavaScript types on every backend', async () => {
      const { rows } = await sql<Record<string, unknown>>`select
        9007199254740993::int8 as big,
        '2024-02-29'::date as day,
        array['2024-01-01'::date] as days,
        '2024-02-29T10:00:00Z'::timestamptz as moment,
        '{"a":[1,"x"]}'::jsonb as document,
        true as flag`.execute(handle.db);
      expect(rows[0]).toEqual({
        big: '9007199254740993',
        day: '2024-02-29',
        days: ['2024-01-01'],
        moment: new Date('2024-02-29T10:00:00Z'),
        document: { a: [1, 'x'] },
        flag: true,
      });
    });
  });

  describe('plain SQL for the packages (handle.sql)', () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      handle = await backend.open();
      await handle.sql.query('create table sql_client_probe (id int primary key, note text)');
    });
    afterAll(async () => {
      await handle?.close();
      if (handle) await backend.dispose(handle);
    });

    it("runs parameterized queries in the handle's schema", async () => {
      await handle.sql.query('insert into sql_client_probe (id, note) values ($1, $2)', [1, 'one']);
      const { rows } = await handle.sql.query<{ note: string }>(
        'select note from sql_client_probe where id = $1',
        [1],
      );
      expect(rows).toEqual([{ note: 'one' }]);
      const tables = await handle.db.introspection.getTables();
      expect(tables.find((table) => table.name === 'sql_client_probe')?.schema).toBe(handle.schema);
    });

    it('a failed transaction leaves nothing behind; a committed one keeps everything', async () => {
      await expect(
        handle.sql.transaction(async (transaction) => {
          await transaction.query('insert into sql_client_probe (id, note) values ($1, $2)', [2, 'two']);
          await transaction.query('insert into sql_client_probe (id, note) values ($1, $2)', [
            2,
            'duplicate',
          ]);
        }),
      ).rejects.toThrow();
      await handle.sql.transaction(async (transaction) => {
        await transaction.query('insert into sql_client_probe (id, note) values ($1, $2)', [3, 'three']);
        // A nested transaction joins the open one rather than failing.
        const nested = transaction as typeof handle.sql;
        await nested.transaction(async (inner) => {
          await inner.query('insert into sql_client_probe (id, note) values ($1, $2)', [4, 'four']);
        });
      });
      const { rows } = await handle.sql.query<{ id: number }>('select id from sql_client_probe order by id');
      expect(rows.map((row) => row.id)).toEqual([1, 3, 4]);
    });
  });
}
