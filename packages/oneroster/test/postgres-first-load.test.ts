/**
 * A first import into an empty tenant on PostgreSQL (a `pg` Pool with `pg-copy-streams`): the rows go by COPY
 * straight into the roster tables, with key columns computed in JavaScript, and must be exactly the rows the staged
 * apply (SQL expressions) stores, for bulk and delta files; a failed or invalid first load leaves the tenant empty
 * and every other tenant as it was, and gives its connection and lock back.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginFirstLoad } from '../src/adapters/postgres/first-load.ts';
import { migrateOneRosterStore } from '../src/adapters/postgres/migrations.ts';
import { partitionTable } from '../src/adapters/postgres/partitions.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { tableSpecs } from '../src/adapters/postgres/tables.ts';
import type { CsvDataset } from '../src/csv/dataset.ts';
import { readPackage } from '../src/csv/read.ts';
import { writePackage } from '../src/csv/write.ts';
import { generateDataset } from '../src/generate/district.ts';
import type { FileName } from '../src/model/files.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import { importPackage } from '../src/store/import-package.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { openPool, postgresUrl, skipPostgres, uniqueSchema, warnSkipped } from './support/postgres.ts';

const importedAt = new Date('2026-03-01T10:00:00.000Z');

/** The pool, recording the text of every statement run on a connection it lends (COPY included). */
function recordingPool(pool: pg.Pool, statements: string[]): pg.Pool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'connect') {
        return async () => {
          const connection = await target.connect();
          const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
          (connection as unknown as { query: unknown }).query = (...args: unknown[]) => {
            const [first] = args;
            statements.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
            return query(...args);
          };
          return connection;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The dataset as a delta package: every row with a status and dateLastModified, some deletions, odd datetimes. */
function asDelta(base: CsvDataset): CsvDataset {
  const files = { ...base.manifest.files };
  const dataset: CsvDataset = { manifest: { ...base.manifest, files }, tables: {} };
  const stamps = [
    '2026-02-03T04:05:06.789Z',
    '2026-02-03T06:05:06+02:00',
    '2026-02-03T04:05:06Z',
    '2026-02-03T04:05:06.123456Z',
  ];
  for (const [file, table] of Object.entries(base.tables) as [FileName, CsvDataset['tables'][FileName]][]) {
    if (table === undefined) continue;
    files[file] = 'delta';
    dataset.tables[file] = {
      mode: 'delta',
      columns: table.columns,
      rows: table.rows.map((row, index) => ({
        ...row,
        status: index % 7 === 3 ? 'tobedeleted' : 'active',
        dateLastModified: stamps[index % stamps.length] ?? '',
      })),
    };
  }
  return dataset;
}

/** Every column of every table of a tenant but tenant_id, in a stable order. */
async function dump(pool: pg.Pool, schema: string, tenant: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const spec of Object.values(tableSpecs)) {
    const keys = spec.keys.map((key) => `${key.name}::text as ${key.name}`).join(', ');
    const { rows } = await pool.query(
      `select sourced_id, status, date_last_modified::text as date_last_modified, ${keys}${keys === '' ? '' : ', '}data::text as data ` +
        `from "${schema}"."${spec.table}" where tenant_id = $1 order by sourced_id`,
      [tenant],
    );
    tables[spec.file] = rows;
  }
  return tables;
}

async function rowCount(pool: pg.Pool, schema: string, tenant: string): Promise<number> {
  let total = 0;
  for (const spec of Object.values(tableSpecs)) {
    const { rows } = await pool.query(
      `select count(*)::int as total from "${schema}"."${spec.table}" where tenant_id = $1`,
      [tenant],
    );
    total += Number(rows[0]?.total);
  }
  return total;
}

describe.skipIf(skipPostgres)('first load into an empty tenant: PostgreSQL', () => {
  let pool: pg.Pool;
  let schema: string;
  let folder: string;
  const statements: string[] = [];
  let store: RosterStore;
  const dataset = generateDataset({ students: 60, seed: 'first-load' });

  beforeAll(async () => {
    pool = await openPool();
    schema = uniqueSchema();
    await migrateOneRosterStore(pool, { schema });
    store = createPostgresRosterStore({ client: recordingPool(pool, statements), schema });
    folder = await mkdtemp(join(tmpdir(), 'oneroster-first-load-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await pool?.query(`drop schema if exists "${schema}" cascade`);
    await pool?.end();
  });

  for (const mode of ['bulk', 'delta'] as const) {
    it(`COPYs a ${mode} package into the roster tables, storing exactly what the staged apply stores`, async () => {
      const source = mode === 'bulk' ? dataset : asDelta(dataset);
      const path = join(folder, `${mode}.zip`);
      await writePackage(source, path);
      statements.length = 0;
      const direct = await importPackage(store, `direct-${mode}`, path, { importedAt });
      expect(direct.status).toBe('applied');
      expect(direct.report.valid).toBe(true);
      const copies = statements.filter((statement) => statement.startsWith('copy '));
      // Into a table of the tenant's own, made by the load, then attached as its partition.
      const partition = partitionTable(tableSpecs.enrollments.table, `direct-${mode}`);
      expect(copies.some((statement) => statement.includes(`"${partition}"`))).toBe(true);
      expect(
        statements.some((statement) => statement.includes(`attach partition "${schema}"."${partition}"`)),
      ).toBe(true);
      // A file's keys are built as soon as its rows are in, while later files stream (users come before enrollments).
      const usersKey = statements.findIndex((statement) =>
        statement.includes(
          `"${partitionTable(tableSpecs.users.table, `direct-${mode}`)}" add primary key (tenant_id, sourced_id)`,
        ),
      );
      const enrollmentsCopy = statements.findIndex(
        (statement) => statement.startsWith('copy ') && statement.includes(`"${partition}"`),
      );
      expect(usersKey).toBeGreaterThanOrEqual(0);
      expect(usersKey).toBeLessThan(enrollmentsCopy);
      expect(copies.some((statement) => statement.includes('oneroster_import_rows'))).toBe(false);
      // The same rows, read and normalized as the stream reads them, staged without a mode take the staged path
      // (staging table, SQL upsert).
      const read = await readPackage(path);
      statements.length = 0;
      const staged = await importDataset(store, `staged-${mode}`, read.dataset, { importedAt });
      expect(
        statements.some(
          (statement) => statement.startsWith('copy ') && statement.includes('oneroster_import_rows'),
        ),
      ).toBe(true);
      expect(staged.status).toBe('applied');
      if (direct.status !== 'applied' || staged.status !== 'applied') return;
      expect(direct.counts).toEqual(staged.counts);
      if (mode === 'delta') expect(direct.counts.users?.unchanged).toBeGreaterThan(0);
      const directRows = await dump(pool, schema, `direct-${mode}`);
      expect(directRows.enrollments?.length).toBeGreaterThan(0);
      expect(directRows).toEqual(await dump(pool, schema, `staged-${mode}`));
    });
  }

  it('blocks no other tenant while it loads: they read, write and get partitions of their own', async () => {
    await importDataset(store, 'reader', generateDataset({ students: 8, seed: 'reader' }), { importedAt });
    const readerUsers = await rowCount(pool, schema, 'reader');
    const session = await store.beginImport('loading', { importedAt: importedAt.toISOString() });
    const users = Array.from({ length: 50 }, (_, index) => ({
      sourcedId: `u${index}`,
      username: `u${index}`,
      role: 'student',
      enabledUser: 'true',
    }));
    await session.stage('users', users, 'bulk');
    // A second file: the users' rows go out and their table gets its keys, all inside the open load.
    await session.stage('orgs', [{ sourcedId: 'o1', name: 'North', type: 'school' }], 'bulk');
    // Any wait on a lock the load holds fails these within 3 s instead of hanging.
    const other = new pg.Pool({ connectionString: postgresUrl, max: 3, options: '-c lock_timeout=3000' });
    try {
      const otherStore = createPostgresRosterStore({ client: other, schema });
      const listed = await otherStore.list('reader', {
        file: 'users',
        limit: 500,
        offset: 0,
        includeDeleted: false,
      });
      expect(listed.total).toBeGreaterThan(0);
      expect(await rowCount(other, schema, 'reader')).toBe(readerUsers);
      const put = await otherStore.put('newcomer', 'categories', {
        sourcedId: 'c1',
        status: 'active',
        dateLastModified: importedAt.toISOString(),
        title: 'Homework',
      });
      expect(put.created).toBe(true);
      // The loading tenant shows nothing until its commit.
      expect(
        (await otherStore.list('loading', { file: 'users', limit: 5, offset: 0, includeDeleted: false }))
          .total,
      ).toBe(0);
    } finally {
      await other.end();
    }
    const outcome = await session.commit({
      modes: { users: 'bulk', orgs: 'bulk' },
      confirm: false,
      guard: { maxRemovedShare: 0.1, minClassSize: 5 },
    });
    expect(outcome.status).toBe('applied');
    expect(await rowCount(pool, schema, 'loading')).toBe(51);
  });

  it('starts a first load only for a tenant without rows', async () => {
    await importDataset(store, 'taken', generateDataset({ students: 5, seed: 'taken' }), { importedAt });
    expect(
      await beginFirstLoad({ client: pool, schema, tenantId: 'taken', importedAt: importedAt.toISOString() }),
    ).toBeUndefined();
    const load = await beginFirstLoad({
      client: pool,
      schema,
      tenantId: 'nobody-yet',
      importedAt: importedAt.toISOString(),
    });
    expect(load).toBeDefined();
    await load?.rollback();
  });

  it('leaves the tenant empty and other tenants as they were when a first load is invalid or fails', async () => {
    await importDataset(store, 'neighbour', generateDataset({ students: 20, seed: 'neighbour' }), {
      importedAt,
    });
    const neighbour = await dump(pool, schema, 'neighbour');

    // A repeated enrollment: the validator's error, and the COPY's primary key, both stop it.
    const repeated = join(folder, 'repeated');
    await writePackage(dataset, repeated);
    const enrollments = (await readFile(join(repeated, 'enrollments.csv'), 'utf8')).trimEnd().split('\n');
    await appendFile(join(repeated, 'enrollments.csv'), `${enrollments.at(-1)}\n`);
    const first = await importPackage(store, 'fresh', repeated, { importedAt });
    expect(first.status).toBe('invalid');
    expect(first.report.errors.map((finding) => finding.code)).toContain(
      'ONEROSTER_CSV_SOURCED_ID_DUPLICATE',
    );
    expect(await rowCount(pool, schema, 'fresh')).toBe(0);

    // An invalid value in the last file read: every file before it was already sent, and is rolled back.
    const late = join(folder, 'late');
    await writePackage(dataset, late);
    const results = await readFile(join(late, 'results.csv'), 'utf8');
    const lines = results.split('\n');
    lines[1] = (lines[1] ?? '').replace(/,\d+(\.\d+)?,/, ',not-a-score,');
    await writeFile(join(late, 'results.csv'), lines.join('\n'));
    const second = await importPackage(store, 'fresh', late, { importedAt });
    expect(second.status).toBe('invalid');
    expect(await rowCount(pool, schema, 'fresh')).toBe(0);

    // A commit whose modes are not the ones the rows were sent in fails, and is rolled back.
    const session = await store.beginImport('fresh', { importedAt: importedAt.toISOString() });
    await session.stage('users', [{ sourcedId: 'u1', username: 'u1', role: 'student' }], 'bulk');
    await expect(
      session.commit({
        modes: { users: 'delta' },
        confirm: false,
        guard: { maxRemovedShare: 0.1, minClassSize: 5 },
      }),
    ).rejects.toThrow(/loaded as bulk but committed as delta/);
    expect(await rowCount(pool, schema, 'fresh')).toBe(0);

    expect(await dump(pool, schema, 'neighbour')).toEqual(neighbour);
    // The connection and the tenant's lock were given back: a valid load now goes through.
    const valid = join(folder, 'valid.zip');
    await writePackage(dataset, valid);
    const third = await importPackage(store, 'fresh', valid, { importedAt });
    expect(third.status).toBe('applied');
    expect(await rowCount(pool, schema, 'fresh')).toBeGreaterThan(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });
});

if (skipPostgres) warnSkipped();
