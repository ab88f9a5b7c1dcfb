/**
 * Staging on PostgreSQL: a `pg` Pool stages with COPY, a client with `transaction()` (as the reference server's
 * Kysely-backed one) with batched INSERTs, and both store exactly the same rows, a sourcedId staged twice (in one
 * batch and across batches) keeping its last row either way.
 */
import type { SqlClient } from '@passport/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateOneRosterStore } from '../src/adapters/postgres/migrations.ts';
import { createPostgresRosterStore } from '../src/adapters/postgres/postgres-roster-store.ts';
import { copyField } from '../src/adapters/postgres/staging.ts';
import { generateDataset } from '../src/generate/district.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { openPool, skipPostgres, uniqueSchema, warnSkipped } from './support/postgres.ts';

const importedAt = '2026-03-01T00:00:00.000Z';

/** The pool, recording the text of every statement run on a connection it lends. */
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

/** A client that runs transactions itself, as a Kysely-backed one does: never a COPY. */
function transactionalClient(pool: pg.Pool, statements: string[]): SqlClient {
  return {
    query: async (text, params) => {
      statements.push(text);
      return await pool.query(text, params as unknown[]);
    },
    async transaction(callback: (transaction: SqlClient) => Promise<unknown>) {
      const connection = await pool.connect();
      try {
        await connection.query('begin');
        const result = await callback({
          query: async (text, params) => (await connection.query(text, params as unknown[])) as never,
        });
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback');
        throw error;
      } finally {
        connection.release();
      }
    },
  } as SqlClient;
}

async function stageWithRepeats(store: RosterStore, tenant: string) {
  const dataset = generateDataset({ students: 60, seed: 'staging' });
  const first = await importDataset(store, tenant, dataset, { importedAt: new Date(importedAt) });
  const session = await store.beginImport(tenant, { importedAt });
  const user = (id: string, givenName: string) => ({
    sourcedId: id,
    status: 'active',
    dateLastModified: importedAt,
    username: `${id}\tname\\with\nescapes`,
    givenName,
    familyName: 'Staged',
    role: 'student',
    enabledUser: 'true',
    orgs: [],
  });
  // In one batch, then again after another file flushed the first batch: the last row wins each time.
  await session.stage('users', [
    user('u-new-1', 'first'),
    user('u-new-1', 'second'),
    user('u-new-2', 'kept'),
  ]);
  await session.stage('classes', []);
  await session.stage('orgs', []);
  await session.stage('users', [user('u-new-1', 'third')]);
  const second = await session.commit({
    modes: { users: 'delta' },
    confirm: true,
    guard: { maxRemovedShare: 1, minClassSize: 1000 },
  });
  const read = async (file: 'users' | 'enrollments' | 'classes') =>
    (await store.list(tenant, { file, limit: 100_000, offset: 0, includeDeleted: true })).entities;
  return {
    first,
    second,
    users: await read('users'),
    enrollments: await read('enrollments'),
    classes: await read('classes'),
  };
}

describe.skipIf(skipPostgres)('staging on PostgreSQL', () => {
  let pool: pg.Pool;
  const schema = uniqueSchema();

  beforeAll(async () => {
    pool = await openPool();
    await migrateOneRosterStore(pool, { schema });
  });

  afterAll(async () => {
    await pool?.query(`drop schema if exists "${schema}" cascade`);
    await pool?.end();
  });

  it('stages with COPY on a pg Pool and with INSERTs through transaction(), storing the same rows', async () => {
    const copied: string[] = [];
    const inserted: string[] = [];
    const viaCopy = await stageWithRepeats(
      createPostgresRosterStore({ client: recordingPool(pool, copied), schema }),
      'tenant-copy',
    );
    const viaInsert = await stageWithRepeats(
      createPostgresRosterStore({ client: transactionalClient(pool, inserted), schema }),
      'tenant-insert',
    );
    expect(
      copied.filter((text) => /^copy .*oneroster_import_rows.* from stdin$/.test(text)).length,
    ).toBeGreaterThan(0);
    expect(inserted.some((text) => text.startsWith('copy '))).toBe(false);
    expect(inserted.filter((text) => text.includes('from unnest(')).length).toBeGreaterThan(0);

    expect(viaCopy.first).toEqual(viaInsert.first);
    expect(viaCopy.second).toEqual(viaInsert.second);
    expect(viaCopy.second.counts.users).toEqual({ inserted: 2, updated: 0, deleted: 0, unchanged: 0 });
    expect(viaCopy.users).toEqual(viaInsert.users);
    expect(viaCopy.enrollments).toEqual(viaInsert.enrollments);
    expect(viaCopy.classes).toEqual(viaInsert.classes);
    const staged = viaCopy.users.find((entity) => entity.sourcedId === 'u-new-1');
    expect(staged).toMatchObject({ givenName: 'third', username: 'u-new-1\tname\\with\nescapes' });
    expect(viaCopy.users.find((entity) => entity.sourcedId === 'u-new-2')).toMatchObject({
      givenName: 'kept',
    });
  });
});

if (skipPostgres) warnSkipped();

describe('copyField', () => {
  it('escapes what COPY text format reads specially, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re "f"')).toBe('a\\\\b\\tc\\nd\\re "f"');
    expect(copyField('plain')).toBe('plain');
  });
});
