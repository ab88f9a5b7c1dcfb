import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { testConfig } from './support/config.ts';
import { latestMigration, migrationNames } from './support/migrations.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWithPglite(logLines: string[] = []): Promise<{ server: RunningServer; dataDir: string }> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const dataDir = join(dir.path, 'data');
  const server = await startServer({
    config: testConfig({ dataDir }),
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
  });
  cleanups.push(async () => void (await server.close()));
  return { server, dataDir };
}

async function startWithPostgres(): Promise<RunningServer> {
  const schema = uniqueSchema();
  const server = await startServer({
    config: testConfig({ databaseUrl: postgresUrl }),
    logger: createLogger({ level: 'silent' }),
    databaseSchema: schema,
    // No data folder on this path: the sealing key comes from the environment, as in production.
    environment: { PASSPORT_SEALING_KEY: Buffer.alloc(32, 7).toString('base64') },
  }).catch(explainUnreachable);
  cleanups.push(async () => {
    await server.close();
    await dropSchema(schema);
  });
  return server;
}

describe('the reference server on PGlite', () => {
  it('migrates on start, serves /healthz on 127.0.0.1 and logs JSON lines', async () => {
    const lines: string[] = [];
    const { server, dataDir } = await startWithPglite(lines);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: { kind: 'pglite', migration: latestMigration },
    });

    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.every((event) => typeof event.level === 'string' && typeof event.time === 'string')).toBe(
      true,
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        msg: 'migrations applied',
        applied: migrationNames,
        database: 'pglite',
      }),
    );
    expect(events).toContainEqual(expect.objectContaining({ msg: 'listening', url: server.url, dataDir }));
    expect(events).toContainEqual(
      expect.objectContaining({ msg: 'demo mode off: starting without demo data' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ msg: 'request', path: '/healthz', status: 200 }));
  });

  it('answers unknown routes with 404 JSON', async () => {
    const { server } = await startWithPglite();
    const response = await fetch(`${server.url}/does-not-exist`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'SERVER_ROUTE_NOT_FOUND' } });
  });

  it('answers 503 on /healthz and /readyz when the database stops answering', async () => {
    const { server } = await startWithPglite();
    await server.database.close();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'error',
      database: { kind: 'pglite', error: 'database unavailable' },
    });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
  });

  it('shuts down: refuses new connections, then closes the database and frees the data folder', async () => {
    const { server, dataDir } = await startWithPglite();
    await expect(server.close()).resolves.toEqual({ forced: false });
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const reopened = await openDatabase({ kind: 'pglite', dataDir });
    expect(await reopened.migrationVersion()).toBe(latestMigration);
    await reopened.close();
  });

  it('finishes an in-flight request before closing the database', async () => {
    const { server } = await startWithPglite();
    // PGlite has one connection: a transaction holding it keeps /healthz waiting, in flight.
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    let transactionStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      transactionStarted = resolve;
    });
    const transaction = server.database.db.transaction().execute(async () => {
      transactionStarted();
      await held;
    });
    await started;
    const inFlight = fetch(`${server.url}/healthz`);
    await expect.poll(() => server.http.inFlight).toBe(1);

    const closing = server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow(); // no longer accepting
    releaseTransaction();
    await transaction;
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    await expect(closing).resolves.toEqual({ forced: false });
    await expect(server.database.ping()).rejects.toThrow(); // closed after the request finished
  });

  it('refuses to start a second server on the same data folder: SERVER_DATA_DIR_LOCKED', async () => {
    const { dataDir } = await startWithPglite();
    await expect(
      startServer({ config: testConfig({ dataDir }), logger: createLogger({ level: 'silent' }) }),
    ).rejects.toMatchObject({ code: 'SERVER_DATA_DIR_LOCKED' });
  });

  it('readiness turns 503 draining once shutdown begins', async () => {
    const { server } = await startWithPglite();
    server.app.markDraining();
    const response = await server.app.handle(new Request('http://app.test/readyz'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'draining' });
  });
});

describe('starting', () => {
  it('reports a port in use as SERVER_LISTEN_FAILED and releases the database', async () => {
    const { server } = await startWithPglite();
    const dir = await makeTempDir();
    cleanups.push(dir.remove);
    await expect(
      startServer({
        config: testConfig({ dataDir: dir.path, port: server.http.port }),
        logger: createLogger({ level: 'silent' }),
      }),
    ).rejects.toMatchObject({
      code: 'SERVER_LISTEN_FAILED',
      message: expect.stringContaining('already in use'),
    });
    const reopened = await openDatabase({ kind: 'pglite', dataDir: dir.path });
    await reopened.close();
  });
});

describe.skipIf(skipPostgres)('the reference server on PostgreSQL', () => {
  it('migrates on start and serves /healthz with kind postgres', async () => {
    const server = await startWithPostgres();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: { kind: 'postgres', migration: latestMigration },
    });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('answers 503 on /healthz when the pool is gone', async () => {
    const server = await startWithPostgres();
    await server.database.close();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      database: { kind: 'postgres', error: 'database unavailable' },
    });
  });
});
