import type { SqlClient } from '@passport/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectorResultsSource } from '../src/adapters/coursera/connector-results-source.ts';
import { createPostgresCircuitBreakerStore } from '../src/adapters/postgres/index.ts';
import { createGradeSync } from '../src/engine/create-grade-sync.ts';
import { type Integration, startIntegration, storesOver } from './support/integration.ts';
import { createTestPglite, createTestSchema, skipPostgres } from './support/postgres.ts';

const delivery = {
  concurrency: 1,
  maxAttempts: 5,
  backoff: { baseMs: 20, maxMs: 100 },
  // Long enough that the second engine looks while the circuit is still open, even on a loaded machine.
  breaker: { failureThreshold: 2, openMs: 3000 },
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const databases: Array<[string, () => Promise<{ sql: SqlClient; close(): Promise<void> }>]> = [
  [
    'PGlite',
    async () => {
      const pglite = await createTestPglite();
      return { sql: pglite, close: () => pglite.close() };
    },
  ],
];
if (!skipPostgres)
  databases.push([
    'PostgreSQL',
    async () => {
      const database = await createTestSchema();
      return { sql: database.pool, close: () => database.drop() };
    },
  ]);

describe.each(databases)('the circuit breaker is shared through the database (%s)', (_name, open) => {
  let integration: Integration | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await integration?.stop();
    await close?.();
    integration = undefined;
    close = undefined;
  });

  it('a second engine on the database sees the circuit the first opened, holds back, then probes once', async () => {
    const database = await open();
    close = database.close;
    const { sql } = database;
    integration = await startIntegration({
      sql,
      engine: { owner: 'process-a', circuits: createPostgresCircuitBreakerStore(sql), delivery },
    });
    const { engine, lms, binding, coursera } = integration;
    await integration.courseGrade('ada@school.example', 90);
    await integration.courseGrade('bob@school.example', 80);
    await integration.courseGrade('cy@school.example', 70);
    await engine.sync(binding.id);
    lms.faults.push({ on: 'scores', times: 2, respond: () => json(502, { error: 'bad gateway' }) });
    const posts = () => lms.requests.filter((request) => request.startsWith('POST scores'));

    // Process A: two 502s open the circuit; the third score is held back.
    expect(await engine.drain(binding.lmsId)).toMatchObject({
      delivered: 0,
      retried: 3,
      stoppedBy: 'circuit-open',
    });
    expect(posts()).toEqual(['POST scores 502', 'POST scores 502']);

    // Process B: its own engine and adapters over the same database, as another server process would have.
    const second = createGradeSync({
      gradebook: lms.adapter,
      roster: lms.adapter,
      source: createConnectorResultsSource(coursera.connector),
      ...storesOver(sql),
      circuits: createPostgresCircuitBreakerStore(sql),
      owner: 'process-b',
      delivery,
    });
    const circuit = await second.circuit(binding.lmsId);
    expect(circuit).toMatchObject({ state: 'open', failures: 2 });
    expect(circuit.reopensAt!.getTime()).toBeGreaterThan(Date.now());
    const held = await second.drain(binding.lmsId);
    expect(held).toMatchObject({ claimed: 0, delivered: 0, stoppedBy: 'circuit-open' });
    expect(held.nextDueAt!.getTime()).toBeGreaterThanOrEqual(circuit.reopensAt!.getTime());
    expect(posts()).toHaveLength(2);

    // After the pause, B's first delivery is the probe; it succeeds and closes the circuit for both processes.
    await new Promise((resolve) => setTimeout(resolve, circuit.reopensAt!.getTime() - Date.now() + 150));
    expect(await second.circuit(binding.lmsId)).toMatchObject({ state: 'half-open' });
    expect(await second.drain(binding.lmsId)).toMatchObject({ delivered: 3, stoppedBy: 'empty' });
    expect(posts()).toEqual(['POST scores 502', 'POST scores 502', ...Array(3).fill('POST scores 204')]);
    expect(await engine.circuit(binding.lmsId)).toEqual({
      state: 'closed',
      failures: 0,
      reopensAt: undefined,
    });
  });
});
