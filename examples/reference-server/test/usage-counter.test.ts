import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts';
import { createUsageCounter } from '../src/roster/usage-counter.ts';
import { dropSchema, explainUnreachable, postgresUrl, uniqueSchema } from './support/postgres.ts';

/* API request counts gather in memory and are added to api_usage in one statement; two processes count together. */
let database: DatabaseHandle;

beforeAll(async () => {
  database = await openDatabase({ kind: 'postgres', url: postgresUrl, schema: uniqueSchema() }).catch(
    explainUnreachable,
  );
  await database.migrate();
});

afterAll(async () => {
  await database?.close();
  if (database !== undefined) await dropSchema(database.schema);
});

const rows = async () =>
  (
    await database.db
      .selectFrom('api_usage')
      .select(['client_id', 'tenant_id', 'day', 'requests'])
      .orderBy('client_id')
      .orderBy('day')
      .execute()
  ).map((row) => ({ ...row, requests: Number(row.requests) }));

describe('usage counter', () => {
  it('writes nothing per request, then the counts per credential and day in one flush', async () => {
    let day = new Date('2026-11-23T23:59:00Z');
    const counter = createUsageCounter({ db: database.db, flushAfterMs: 60_000, now: () => day });
    for (let index = 0; index < 5; index++) counter.count('client-a', 'north');
    counter.count('client-b', 'south');
    expect(await rows()).toEqual([]);
    day = new Date('2026-11-24T00:00:01Z');
    counter.count('client-a', 'north');
    await counter.flush();
    expect(await rows()).toEqual([
      { client_id: 'client-a', tenant_id: 'north', day: '2026-11-23', requests: 5 },
      { client_id: 'client-a', tenant_id: 'north', day: '2026-11-24', requests: 1 },
      { client_id: 'client-b', tenant_id: 'south', day: '2026-11-23', requests: 1 },
    ]);
  });

  it('adds to what other processes wrote, and flushes by itself after the interval', async () => {
    const now = () => new Date('2026-11-25T10:00:00Z');
    const first = createUsageCounter({ db: database.db, flushAfterMs: 60_000, now });
    const second = createUsageCounter({ db: database.db, flushAfterMs: 50, now });
    for (let index = 0; index < 3; index++) first.count('client-c', 'north');
    await first.flush();
    second.count('client-c', 'north');
    second.count('client-c', 'north');
    const deadline = Date.now() + 10_000;
    let count = 0;
    while (count !== 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = (await rows()).find((row) => row.client_id === 'client-c')?.requests ?? 0;
    }
    expect(count).toBe(5);
  });

  it('reports a failed write and drops its counts without throwing', async () => {
    const errors: unknown[] = [];
    // A real connection pool, closed: the write fails as it would when the database goes away.
    const closed = await openDatabase({ kind: 'postgres', url: postgresUrl, schema: database.schema });
    await closed.close();
    const counter = createUsageCounter({ db: closed.db, onError: (error) => errors.push(error) });
    counter.count('client-d', 'north');
    await expect(counter.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    await counter.flush();
    expect(errors).toHaveLength(1);
  });
});
