/**
 * Roster tables partitioned by tenant, on PGlite and the real PostgreSQL: the migration that partitions tables
 * already holding rows keeps every row and gives each tenant its own partition; a tenant's first write makes its
 * partition (once, even when two stores write at once); and a partition a first load built (see
 * postgres-first-load.test.ts) carries exactly the parent's indexes.
 */
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateOneRosterStore, oneRosterMigrations } from '../src/adapters/postgres/migrations.ts';
import { partitionTable } from '../src/adapters/postgres/partitions.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { inTransaction } from '../src/adapters/postgres/sql.ts';
import { tableSpecs } from '../src/adapters/postgres/tables.ts';
import { generateDataset } from '../src/generate/district.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import type { StoredEntity } from '../src/store/roster-store.ts';
import { openPool, skipPostgres, uniqueSchema, warnSkipped } from './support/postgres.ts';

const importedAt = new Date('2026-03-01T10:00:00.000Z');

interface Database {
  name: string;
  open(): Promise<{ client: SqlClient; schema: string; close: () => Promise<void> }>;
}

const databases: Database[] = [
  {
    name: 'PGlite',
    async open() {
      const client = new PGlite();
      return { client, schema: 'roster', close: () => client.close() };
    },
  },
];
if (skipPostgres) warnSkipped();
else {
  databases.push({
    name: 'PostgreSQL',
    async open() {
      const pool = await openPool();
      const schema = uniqueSchema();
      return {
        client: pool,
        schema,
        close: async () => {
          await pool.query(`drop schema if exists "${schema}" cascade`);
          await pool.end();
        },
      };
    },
  });
}

/** Every row of every roster table, per tenant and table, in a stable order. */
async function allRows(client: SqlClient, schema: string): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const spec of Object.values(tableSpecs)) {
    const result = await client.query(
      `select * from "${schema}"."${spec.table}" order by tenant_id, sourced_id collate "C"`,
    );
    rows[spec.table] = result.rows;
  }
  return rows;
}

/** The partitions of a table and the tenant each holds. */
async function partitionsOf(client: SqlClient, schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; bound: string }>(
    'select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i ' +
      'join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace ' +
      'where i.inhparent = to_regclass($1) and n.nspname = $2',
    [`"${schema}"."${table}"`, schema],
  );
  return new Map(rows.map((row) => [row.name, row.bound]));
}

/** The index definitions of a table, with its own name taken out, so a partition's compare with its parent's. */
async function indexShapes(client: SqlClient, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ definition: string }>(
    'select pg_get_indexdef(i.indexrelid) as definition from pg_index i where i.indrelid = to_regclass($1)',
    [`"${schema}"."${table}"`],
  );
  return rows
    .map((row) => row.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/, 'CREATE $1INDEX ON t'))
    .sort();
}

describe.each(databases)('roster tables partitioned by tenant: $name', (database) => {
  let opened: Awaited<ReturnType<Database['open']>>;

  beforeAll(async () => {
    opened = await database.open();
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('partitions tables that already hold rows, keeping every row, one partition per tenant', async () => {
    const { client, schema } = opened;
    // The store as it was before partitions: the first three migrations, applied by hand.
    await client.query(`create schema "${schema}"`);
    await inTransaction(client, async (transaction) => {
      await transaction.query(`set local search_path to "${schema}"`);
      await transaction.query(
        'create table oneroster_migrations (name text primary key, applied_at timestamptz not null default now())',
      );
      for (const migration of oneRosterMigrations.slice(0, 3)) {
        for (const statement of migration.statements) await transaction.query(statement);
        await transaction.query('insert into oneroster_migrations (name) values ($1)', [migration.name]);
      }
    });
    // Rows of every file for two tenants (one name with a quote).
    const tenants = ["north's district", 'south'];
    for (const [index, tenant] of tenants.entries()) {
      const dataset = generateDataset({ students: 12 + index * 5, seed: `legacy-${index}` });
      for (const [file, table] of Object.entries(dataset.tables)) {
        const spec = tableSpecs[file as keyof typeof tableSpecs];
        for (const [rowIndex] of table?.rows.entries() ?? []) {
          await client.query(
            `insert into "${schema}"."${spec.table}" (tenant_id, sourced_id, status, date_last_modified, data) ` +
              `values ($1, $2, 'active', $3, $4::jsonb)`,
            [tenant, `${file}-${rowIndex}`, importedAt.toISOString(), JSON.stringify({ row: rowIndex })],
          );
        }
      }
    }
    const before = await allRows(client, schema);
    expect(before.oneroster_demographics?.length).toBeGreaterThan(0);

    expect(await migrateOneRosterStore(client, { schema })).toEqual(['oneroster_0004_tenant_partitions']);
    expect(await allRows(client, schema)).toEqual(before);
    for (const spec of Object.values(tableSpecs)) {
      const partitions = await partitionsOf(client, schema, spec.table);
      const expected = (before[spec.table] ?? []).length === 0 ? [] : tenants;
      expect([...partitions.keys()].sort(), spec.table).toEqual(
        expected.map((tenant) => partitionTable(spec.table, tenant)).sort(),
      );
      for (const tenant of expected) {
        expect(partitions.get(partitionTable(spec.table, tenant))).toBe(
          `FOR VALUES IN ('${tenant.replaceAll("'", "''")}')`,
        );
      }
    }
    // Statistics were gathered afresh, so the planner reaches for the indexes at once.
    const statistics = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stats where schemaname = $1 and tablename = $2',
      [schema, partitionTable(tableSpecs.users.table, 'south')],
    );
    expect(statistics.rows[0]?.n).toBeGreaterThan(0);
    // The parent keeps the index names it had.
    const { rows } = await client.query<{ indexname: string }>(
      'select indexname from pg_indexes where schemaname = $1 and tablename = $2 order by indexname',
      [schema, tableSpecs.users.table],
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      'oneroster_users_modified',
      'oneroster_users_org_sourced_ids',
      'oneroster_users_pkey',
      'oneroster_users_role_sourced_id',
    ]);
    // Migrating again does nothing.
    expect(await migrateOneRosterStore(client, { schema })).toEqual([]);
  });

  it("makes a tenant's partition at its first write, once, even from two stores at once", async () => {
    const { client, schema } = opened;
    const table = tableSpecs.categories.table;
    const tenant = 'new-district';
    expect((await partitionsOf(client, schema, table)).has(partitionTable(table, tenant))).toBe(false);
    const stores = [
      createPostgresRosterStore({ client, schema }),
      createPostgresRosterStore({ client, schema }),
    ];
    const category = (id: string): StoredEntity => ({
      sourcedId: id,
      status: 'active',
      dateLastModified: importedAt.toISOString(),
      title: id,
    });
    const written = await Promise.all(
      stores.map((store, index) => store.put(tenant, 'categories', category(`c${index}`))),
    );
    expect(written).toEqual([{ created: true }, { created: true }]);
    expect((await stores[0]?.put(tenant, 'categories', category('c0')))?.created).toBe(false);
    expect((await partitionsOf(client, schema, table)).get(partitionTable(table, tenant))).toBe(
      `FOR VALUES IN ('${tenant}')`,
    );
    const listed = await stores[1]?.list(tenant, {
      file: 'categories',
      limit: 10,
      offset: 0,
      includeDeleted: false,
    });
    expect(listed?.entities.map((entity) => entity.sourcedId)).toEqual(['c0', 'c1']);
    // Its indexes are the parent's.
    expect(await indexShapes(client, schema, partitionTable(table, tenant))).toEqual(
      await indexShapes(client, schema, table),
    );
  });

  it('writes an import into the tenant partition, and never into another tenant', async () => {
    const { client, schema } = opened;
    const store = createPostgresRosterStore({ client, schema });
    const outcome = await importDataset(
      store,
      'imported',
      generateDataset({ students: 15, seed: 'partitioned' }),
      {
        importedAt,
      },
    );
    expect(outcome.status).toBe('applied');
    const partition = partitionTable(tableSpecs.enrollments.table, 'imported');
    const { rows } = await client.query<{ tenants: string[]; n: number }>(
      `select array_agg(distinct tenant_id) as tenants, count(*)::int as n from "${schema}"."${partition}"`,
    );
    expect(rows[0]?.tenants).toEqual(['imported']);
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(await indexShapes(client, schema, partition)).toEqual(
      await indexShapes(client, schema, tableSpecs.enrollments.table),
    );
    // A row for another tenant cannot land in this partition.
    await expect(
      client.query(
        `insert into "${schema}"."${partition}" (tenant_id, sourced_id, status, date_last_modified, data) ` +
          `values ('other', 'x', 'active', now(), '{}'::jsonb)`,
      ),
    ).rejects.toThrow(/partition constraint/);
  });
});
