/**
 * The client against the server over real HTTP (node:http on 127.0.0.1, a free port): every endpoint in both auth
 * modes, gradebook writes, typed errors, retries that resume where they stopped, the concurrency cap, and token
 * renewal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRosterStore } from '../src/adapters/memory/memory-roster-store.ts';
import { errorStatus } from '../src/api/status-info.ts';
import { oneRosterScopes } from '../src/auth/scopes.ts';
import {
  createOneRosterClient,
  type OneRosterClient,
  type OneRosterClientOptions,
} from '../src/client/client.ts';
import { OneRosterClientError } from '../src/client/client-error.ts';
import type { CollectionEndpoint } from '../src/client/endpoints.ts';
import { eq, gt } from '../src/client/filter-builder.ts';
import type { CsvDataset } from '../src/csv/dataset.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { collectionCases, singleCases } from './support/endpoint-cases.ts';
import { loadFixture, rowsOf, tenantA } from './support/fixture.ts';
import { type ServedHandler, serve } from './support/node-host.ts';
import { basePath, createTestApi, type TestApi } from './support/test-api.ts';

type Entity = { sourcedId: string };
type Fault = (request: Request) => Response | undefined | Promise<Response | undefined>;

let store: RosterStore;
let dataset: CsvDataset;
let served: ServedHandler;
let service: TestApi;
let faults: Fault[] = [];
let inFlight = 0;
let maxInFlight = 0;
let delayMs = 0;

beforeAll(async () => {
  store = createMemoryRosterStore();
  ({ a: dataset } = await loadFixture(store));
  let api: TestApi | undefined;
  served = await serve(async (request) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      for (const fault of faults) {
        const response = await fault(request);
        if (response !== undefined) return response;
      }
      return await (api as TestApi).handle(request);
    } finally {
      inFlight--;
    }
  });
  api = createTestApi({ store, origin: served.origin });
  service = api;
});

afterAll(async () => {
  await served.close();
});

function requestsTo(path: string): URL[] {
  return service.requests
    .map((request) => new URL(request.url))
    .filter((url) => url.pathname === `${basePath}${path}`);
}

async function clientFor(
  mode: 'oauth2' | 'oauth1',
  overrides: Partial<OneRosterClientOptions> = {},
): Promise<OneRosterClient> {
  const credential = await service.issue(tenantA, oneRosterScopes, mode === 'oauth1');
  return createOneRosterClient({
    baseUrl: `${served.origin}${basePath}`,
    auth:
      mode === 'oauth2'
        ? {
            type: 'oauth2',
            tokenUrl: `${served.origin}/oauth/token`,
            clientId: credential.clientId,
            clientSecret: credential.clientSecret,
          }
        : {
            type: 'oauth1',
            consumerKey: credential.clientId,
            consumerSecret: credential.clientSecret,
            signatureMethod: 'HMAC-SHA1',
          },
    sleep: async () => {},
    // Signatures are dated by the server's (test) clock.
    now: () => service.now().getTime(),
    ...overrides,
  });
}

/** Each collection path of the fixture's cases, as the client reaches it. */
function endpointFor(client: OneRosterClient, path: string): CollectionEndpoint<Entity> {
  const [root = '', id = '', sub = '', childId = '', leaf = ''] = path.split('/').slice(1);
  const c = client as unknown as Record<
    string,
    CollectionEndpoint<Entity> & Record<string, (...ids: string[]) => CollectionEndpoint<Entity>>
  >;
  const resource = c[root];
  if (resource === undefined) throw new Error(`no client endpoint for ${path}`);
  if (id === '') return resource;
  const methodOf: Record<string, string> = {
    'classes/lineItems/results': 'lineItemResults',
    'classes/students/results': 'studentResults',
    'schools/classes/enrollments': 'classEnrollments',
    'schools/classes/students': 'classStudents',
    'schools/classes/teachers': 'classTeachers',
  };
  const method = leaf === '' ? sub : (methodOf[`${root}/${sub}/${leaf}`] ?? '');
  const call = resource[method];
  if (call === undefined) throw new Error(`no client method for ${path}`);
  return leaf === '' ? call(id) : call(id, childId);
}

describe.each(['oauth2', 'oauth1'] as const)('every endpoint through the client (%s)', (mode) => {
  let client: OneRosterClient;
  beforeAll(async () => {
    client = await clientFor(mode);
  });

  it('pages through every collection and relationship read', async () => {
    const cases = collectionCases(dataset);
    expect(cases).toHaveLength(39);
    for (const { path, ids } of cases) {
      const entities = await endpointFor(client, path).all({ limit: 7 });
      expect(entities.map((entity) => entity.sourcedId).sort(), path).toEqual([...ids].sort());
    }
  });

  it('reads every single object', async () => {
    for (const [path] of singleCases) {
      const [, root = '', id = ''] = path.split('/');
      const resource = (client as unknown as Record<string, { get(id: string): Promise<Entity> }>)[root];
      expect((await resource?.get(id))?.sourcedId, path).toBe(id);
    }
  });

  it('filters with the builder, sorts, selects fields and reads warnings', async () => {
    const page = await client.users.list({
      filter: eq('role', 'student'),
      sort: 'familyName',
      orderBy: 'desc',
      fields: ['sourcedId', 'familyName'],
      limit: 5,
    });
    expect(page.total).toBe(rowsOf(dataset, 'users').filter((row) => row.role === 'student').length);
    expect(page.items).toHaveLength(5);
    expect(Object.keys(page.items[0] ?? {})).toEqual(['sourcedId', 'familyName']);
    expect(page.next).toContain('offset=5');
    const warned = await client.users.list({ sort: 'shoeSize', limit: 1 });
    expect(warned.warnings.map((warning) => warning.codeMinor)).toEqual([['invalid_sort_field']]);
  });

  it('writes the gradebook: put creates then replaces, delete marks deleted', async () => {
    const id = `category-${mode}`;
    expect((await client.categories.put(id, { title: 'Labs' })).created).toBe(true);
    const replaced = await client.categories.put(id, { title: 'Lab work' });
    expect(replaced).toMatchObject({
      created: false,
      entity: { sourcedId: id, title: 'Lab work', status: 'active' },
    });
    await client.categories.delete(id);
    const deleted = await client.categories.all({ filter: gt('dateLastModified', '2000-01-01') });
    expect(deleted.find((category) => category.sourcedId === id)?.status).toBe('tobedeleted');
    await expect(client.categories.get('never-there')).rejects.toMatchObject({
      code: 'ONEROSTER_CLIENT_HTTP',
      status: 404,
      codeMinors: ['unknownobject'],
    });
  });

  it('throws typed errors carrying the status info', async () => {
    const error = await client.users.list({ filter: "shoeSize='9'" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneRosterClientError);
    expect(error).toMatchObject({
      status: 400,
      specError: 'invalid_filter_field',
      codeMinors: ['invalid_filter_field'],
    });
    expect((error as OneRosterClientError).statusInfo[0]).toMatchObject({
      codeMajor: 'failure',
      severity: 'error',
    });
  });
});

describe('resilience', () => {
  it('retries a 429 after Retry-After and a network error with backoff, resuming from the page that failed', async () => {
    const sleeps: number[] = [];
    let networkFailures = 0;
    const client = await clientFor('oauth2', {
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
      fetch: async (request) => {
        const url = new URL(request.url);
        if (
          url.pathname.endsWith('/enrollments') &&
          url.searchParams.get('offset') === '40' &&
          networkFailures === 0
        ) {
          networkFailures++;
          throw new TypeError('fetch failed');
        }
        return await fetch(request);
      },
    });
    let busy = 0;
    faults = [
      (request) => {
        const url = new URL(request.url);
        if (
          url.pathname.endsWith('/enrollments') &&
          url.searchParams.get('offset') === '20' &&
          busy++ === 0
        ) {
          return new Response(JSON.stringify(errorStatus('server_busy', 'Slow down')), {
            status: 429,
            headers: { 'retry-after': '2', 'content-type': 'application/json' },
          });
        }
        return undefined;
      },
    ];
    const before = requestsTo('/enrollments').length;
    try {
      const ids = (await client.enrollments.all({ limit: 10 })).map((entity) => entity.sourcedId);
      expect(ids).toEqual(
        rowsOf(dataset, 'enrollments')
          .map((row) => row.sourcedId ?? '')
          .sort(compare),
      );
    } finally {
      faults = [];
    }
    expect(sleeps).toEqual([2000, 125]);
    const offsets = requestsTo('/enrollments')
      .slice(before)
      .map((url) => Number(url.searchParams.get('offset')));
    // The 429 at offset 20 reached the server; the network failure at 40 did not. No page was asked for twice
    // except the one that failed, and nothing started over from offset 0.
    const total = rowsOf(dataset, 'enrollments').length;
    const pages = Array.from({ length: Math.ceil(total / 10) }, (_, index) => index * 10);
    expect(offsets.filter((offset) => offset !== 20)).toEqual(pages.filter((offset) => offset !== 20));
    expect(offsets.filter((offset) => offset === 20)).toHaveLength(1);
    expect(busy).toBe(2);
  });

  it('says where to resume once retries run out, and resuming finishes the rest', async () => {
    const client = await clientFor('oauth2', { retry: { retries: 1 } });
    faults = [
      (request) =>
        new URL(request.url).searchParams.get('offset') === '30' &&
        new URL(request.url).pathname.endsWith('/users')
          ? new Response(JSON.stringify(errorStatus('server_busy', 'Down for a moment')), { status: 503 })
          : undefined,
    ];
    const seen: string[] = [];
    let resumeFrom: number | undefined;
    try {
      for await (const user of client.users.iterate({ limit: 10 })) seen.push(user.sourcedId);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'ONEROSTER_CLIENT_HTTP',
        status: 503,
        resumeOffset: 30,
        codeMinors: ['server_busy'],
      });
      resumeFrom = (error as OneRosterClientError).resumeOffset;
    } finally {
      faults = [];
    }
    expect(seen).toHaveLength(30);
    for await (const user of client.users.iterate({ limit: 10, offset: resumeFrom ?? 0 }))
      seen.push(user.sourcedId);
    expect(seen).toEqual(
      rowsOf(dataset, 'users')
        .map((row) => row.sourcedId ?? '')
        .sort(compare),
    );
  });

  it('keeps at most maxConcurrency requests in flight (default 5)', async () => {
    const client = await clientFor('oauth1');
    await client.users.get('admin-0');
    delayMs = 15;
    try {
      for (const [cap, expected] of [
        [undefined, 5],
        [2, 2],
      ] as const) {
        const capped = cap === undefined ? client : await clientFor('oauth1', { maxConcurrency: cap });
        maxInFlight = 0;
        await Promise.all(
          rowsOf(dataset, 'users')
            .slice(0, 20)
            .map((row) => capped.users.get(row.sourcedId ?? '')),
        );
        expect(maxInFlight, `cap ${cap ?? 'default'}`).toBe(expected);
      }
    } finally {
      delayMs = 0;
    }
  });

  it('renews an OAuth 2.0 token the server no longer accepts, once, and fetches tokens once for many requests', async () => {
    // The client's clock does not move with the server's, so it learns of the expiry from a 401.
    const client = await clientFor('oauth2', { now: Date.now });
    const tokensBefore = service.requests.filter(
      (request) => new URL(request.url).pathname === '/oauth/token',
    ).length;
    await Promise.all([
      client.orgs.get('district-1'),
      client.orgs.get('school-1'),
      client.orgs.get('school-2'),
    ]);
    service.advance(3601);
    expect((await client.orgs.get('school-3')).sourcedId).toBe('school-3');
    const tokensAfter = service.requests.filter(
      (request) => new URL(request.url).pathname === '/oauth/token',
    ).length;
    expect(tokensAfter - tokensBefore).toBe(2);
  });

  it('reports a refused token request and an unreachable server as different errors', async () => {
    const refused = createOneRosterClient({
      baseUrl: `${served.origin}${basePath}`,
      auth: {
        type: 'oauth2',
        tokenUrl: `${served.origin}/oauth/token`,
        clientId: 'nobody',
        clientSecret: 'nothing',
      },
    });
    await expect(refused.users.list()).rejects.toMatchObject({
      code: 'ONEROSTER_CLIENT_AUTH_REFUSED',
      specError: 'invalid_client',
    });
    const unreachable = createOneRosterClient({
      baseUrl: 'http://127.0.0.1:9/ims/oneroster/v1p1',
      auth: { type: 'bearer', token: 'x' },
      retry: { retries: 2 },
      sleep: async () => {},
    });
    await expect(unreachable.users.list()).rejects.toMatchObject({ code: 'ONEROSTER_CLIENT_NETWORK' });
  });

  it('validates entities with zod when asked', async () => {
    const client = await clientFor('oauth2', { validate: true });
    expect((await client.classes.get('class-2')).terms.length).toBeGreaterThan(0);
    faults = [
      (request) =>
        new URL(request.url).pathname.endsWith('/users/broken')
          ? new Response(JSON.stringify({ user: { sourcedId: 'broken', role: 'wizard' } }), { status: 200 })
          : undefined,
    ];
    try {
      await expect(client.users.get('broken')).rejects.toMatchObject({
        code: 'ONEROSTER_CLIENT_INVALID_RESPONSE',
      });
    } finally {
      faults = [];
    }
  });

  it('names a bad option', () => {
    expect(() =>
      createOneRosterClient({ baseUrl: 'nope', auth: { type: 'bearer', token: 'x' } }),
    ).toThrowError(
      expect.objectContaining({
        code: 'ONEROSTER_CLIENT_INVALID_OPTIONS',
        message: expect.stringContaining('baseUrl'),
      }),
    );
  });
});

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
