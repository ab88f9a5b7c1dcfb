import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { latestMigration } from './support/migrations.ts';
import { makeTempDir } from './support/temp-dir.ts';

/** One way to deliver a request to the app: `send(method, path)` returns the response. */
interface Host {
  name: string;
  send(method: string, path: string): Promise<Response>;
}

let database: DatabaseHandle;
let app: App;
let server: HttpServer;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  const dir = await makeTempDir();
  removeDir = dir.remove;
  database = await openDatabase({ kind: 'pglite', dataDir: dir.path });
  await database.migrate();
  app = createApp({ database, logger: createLogger({ level: 'silent' }) });
  server = await listen({ handler: app.handle, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
  await removeDir?.();
});

// The same suite, with the app mounted in two hosts: called directly as a Fetch handler, and served by Node's http.
const hosts: Host[] = [
  {
    name: 'direct Fetch handler call',
    send: (method, path) => app.handle(new Request(`http://app.test${path}`, { method })),
  },
  { name: 'Node http server', send: (method, path) => fetch(`${server.url}${path}`, { method }) },
];

describe.each(hosts)('the app mounted as $name', (host) => {
  it('GET /healthz answers 200 with the database kind and migration', async () => {
    const response = await host.send('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ok',
      database: { kind: 'pglite', migration: latestMigration },
    });
  });

  it('GET /readyz answers 200 ready', async () => {
    const response = await host.send('GET', '/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('HEAD /healthz answers 200 without a body', async () => {
    const response = await host.send('HEAD', '/healthz');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('an unknown route answers 404 JSON SERVER_ROUTE_NOT_FOUND', async () => {
    const response = await host.send('GET', '/no/such/page');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'SERVER_ROUTE_NOT_FOUND', message: 'No route for GET /no/such/page' },
    });
  });

  it('a wrong method answers 405 SERVER_METHOD_NOT_ALLOWED with Allow', async () => {
    const response = await host.send('DELETE', '/healthz');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toMatchObject({ error: { code: 'SERVER_METHOD_NOT_ALLOWED' } });
  });
});
