import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { realSleep } from '../src/http/send-with-retry.ts';
import { connectedClient, type Harness, type HostKind, startHarness } from './support/setup.ts';

// Every injectable fault, over real HTTP (and in-process), through the client and through the neutral connector.
const hosts: HostKind[] = ['node-http', 'in-process'];

describe.each(hosts)('faults (%s)', (host) => {
  let harness: Harness;
  let waits: number[];
  beforeEach(async () => {
    harness = await startHarness(host);
    waits = [];
  });
  afterEach(async () => {
    await harness.stop();
  });

  const recordingSleep = async (ms: number) => {
    waits.push(ms);
  };
  const apiRequests = async (suffix: string) =>
    (await harness.admin.requests()).filter((request) => request.path.endsWith(suffix));

  it('latency: the answer is slower but right', async () => {
    const client = await connectedClient(harness);
    await harness.admin.addFaults([{ kind: 'latency', ms: 250, path: '/programs' }]);
    const started = performance.now();
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('429 with Retry-After: waits exactly the seconds asked, then succeeds', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([
      { kind: 'rate-limit', retryAfterSeconds: 2, times: 2, path: '/programs' },
    ]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(waits).toEqual([2000, 2000]);
    expect((await apiRequests('/programs')).map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('429 with Retry-After: really waits (no injected sleep)', async () => {
    const client = await connectedClient(harness, { sleep: realSleep });
    await harness.admin.addFaults([{ kind: 'rate-limit', retryAfterSeconds: 1, path: '/programs' }]);
    const started = performance.now();
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('429 with Retry-After as an HTTP date is honored too', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([
      { kind: 'rate-limit', retryAfterSeconds: 3, asHttpDate: true, path: '/programs' },
    ]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it('429 without Retry-After backs off exponentially', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep, random: () => 1 });
    await harness.admin.addFaults([
      { kind: 'rate-limit', omitRetryAfter: true, times: 2, path: '/programs' },
    ]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(waits).toEqual([250, 500]);
  });

  it('429 that never ends: COURSERA_RATE_LIMITED with the wait, CONNECTOR_RATE_LIMITED through the connector', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([
      { kind: 'rate-limit', retryAfterSeconds: 1, times: 0, path: '/programs' },
    ]);
    await expect(client.listPrograms().all()).rejects.toMatchObject({
      code: 'COURSERA_RATE_LIMITED',
      retryAfterMs: 1000,
    });
    expect(await apiRequests('/programs')).toHaveLength(4);
    const connector = createCourseraConnector({ client, clock: harness.clock });
    await expect(connector.catalog.listPrograms()).rejects.toMatchObject({
      code: 'CONNECTOR_RATE_LIMITED',
      platform: 'coursera',
      retryAfterMs: 1000,
      cause: expect.objectContaining({ code: 'COURSERA_RATE_LIMITED' }),
    });
  });

  it('429 asking for longer than the policy allows gives up at once', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([{ kind: 'rate-limit', retryAfterSeconds: 3600, path: '/programs' }]);
    await expect(client.listPrograms().all()).rejects.toMatchObject({
      code: 'COURSERA_RATE_LIMITED',
      retryAfterMs: 3_600_000,
    });
    expect(await apiRequests('/programs')).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('5xx burst: retried through', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([{ kind: 'server-error', status: 502, times: 3, path: '/memberships' }]);
    await expect(client.listMemberships(harness.programIds.data).all()).resolves.toHaveLength(4);
    expect((await apiRequests('/memberships')).map((request) => request.status)).toEqual([
      502, 502, 502, 200,
    ]);
  });

  it('5xx that never ends: COURSERA_UNAVAILABLE, CONNECTOR_UNAVAILABLE through the connector', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([{ kind: 'server-error', status: 503, times: 0, path: '/memberships' }]);
    await expect(client.listMemberships(harness.programIds.data).all()).rejects.toMatchObject({
      code: 'COURSERA_UNAVAILABLE',
    });
    const connector = createCourseraConnector({ client, clock: harness.clock });
    const members = connector.learners.listMembers(harness.programIds.data);
    await expect(
      (async () => {
        for await (const _member of members) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ code: 'CONNECTOR_UNAVAILABLE' });
  });

  it('timeout: the attempt is abandoned and retried', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep, retry: { timeoutMs: 200 } });
    await harness.admin.addFaults([{ kind: 'timeout', ms: 30_000, path: '/programs' }]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('timeout every time: COURSERA_TIMEOUT, CONNECTOR_TIMEOUT through the connector', async () => {
    const client = await connectedClient(harness, {
      sleep: recordingSleep,
      retry: { timeoutMs: 100, attempts: 2 },
    });
    await harness.admin.addFaults([{ kind: 'timeout', ms: 30_000, times: 0, path: '/programs' }]);
    await expect(client.listPrograms().all()).rejects.toMatchObject({ code: 'COURSERA_TIMEOUT' });
    const connector = createCourseraConnector({ client, clock: harness.clock });
    await expect(connector.catalog.listPrograms()).rejects.toMatchObject({ code: 'CONNECTOR_TIMEOUT' });
  });

  it('a connection dropped mid-body is retried; dropped every time is COURSERA_UNAVAILABLE', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    await harness.admin.addFaults([{ kind: 'drop-connection', path: '/programs' }]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    await harness.admin.addFaults([{ kind: 'drop-connection', times: 0, path: '/programs' }]);
    await expect(client.listPrograms().all()).rejects.toMatchObject({ code: 'COURSERA_UNAVAILABLE' });
  });

  it('a failing token endpoint during a refresh is retried', async () => {
    const client = await connectedClient(harness, { sleep: recordingSleep });
    harness.clock.advance(1600 * 1000);
    await harness.admin.addFaults([{ kind: 'server-error', times: 2, path: '/oauth2/v1/token' }]);
    await expect(client.listPrograms().all()).resolves.toHaveLength(2);
    expect((await apiRequests('/oauth2/v1/token')).map((request) => request.status)).toEqual([
      200, 503, 503, 200,
    ]);
  });

  it('an empty page that repeats its start is followed, not taken for the end', async () => {
    const client = await connectedClient(harness, { pageSize: 1 });
    await harness.admin.addFaults([{ kind: 'empty-page', skip: 1, path: '/memberships' }]);
    const members = await client.listMemberships(harness.programIds.data).all();
    expect(members).toHaveLength(4);
    expect((await apiRequests('/memberships')).map((request) => request.fault ?? '-')).toEqual([
      '-',
      'empty-page',
      '-',
      '-',
      '-',
    ]);
  });

  it('empty pages forever: COURSERA_BAD_RESPONSE instead of an endless crawl', async () => {
    const client = await connectedClient(harness, { pageSize: 1 });
    await harness.admin.addFaults([{ kind: 'empty-page', skip: 1, times: 0, path: '/memberships' }]);
    await expect(client.listMemberships(harness.programIds.data).all()).rejects.toMatchObject({
      code: 'COURSERA_BAD_RESPONSE',
    });
  });

  const collections = [
    {
      name: 'programs',
      suffix: '/programs',
      expected: 3,
      pageSize: 1,
      list: (_harness: Harness, c: Client) => c.listPrograms().all(),
    },
    {
      name: 'contents',
      suffix: '/contents',
      expected: 5,
      list: (h: Harness, c: Client) => c.listContents([h.programIds.data]).all(),
    },
    {
      name: 'memberships',
      suffix: '/memberships',
      expected: 5,
      list: (h: Harness, c: Client) => c.listMemberships(h.programIds.data).all(),
    },
    {
      name: 'enrollment reports',
      suffix: '/enrollmentReports',
      expected: 5,
      list: (h: Harness, c: Client) => c.listEnrollmentReports({ programId: h.programIds.data }).all(),
    },
    {
      name: 'items (modelled)',
      suffix: '/items',
      expected: 6,
      list: (h: Harness, c: Client) =>
        c.listContentItems(h.world.organizations[0]!.programs[0]!.contents[0]!.id).all(),
    },
  ];
  type Client = Awaited<ReturnType<typeof connectedClient>>;

  it.each(collections)(
    'a total that changes mid-crawl restarts the crawl: $name, each element once',
    async (collection) => {
      const client = await connectedClient(harness, { pageSize: collection.pageSize ?? 2 });
      await harness.admin.addFaults([{ kind: 'total-change', skip: 1, path: collection.suffix }]);
      const elements = (await collection.list(harness, client)) as object[];
      expect(elements).toHaveLength(collection.expected);
      expect(new Set(elements.map((element) => JSON.stringify(element))).size).toBe(collection.expected);
      const starts = (await harness.admin.requests())
        .filter((request) => request.path.endsWith(collection.suffix))
        .map((request) => request.fault ?? '-');
      expect(starts[1]).toBe('total-change');
    },
  );

  it('item grades: a grade added mid-crawl is read once, nothing is lost', async () => {
    const client = await connectedClient(harness, { pageSize: 2 });
    const before = await client.listItemGrades({ programId: harness.programIds.data }).all();
    await harness.admin.addFaults([{ kind: 'total-change', skip: 1, path: '/itemGrades' }]);
    const after = await client.listItemGrades({ programId: harness.programIds.data }).all();
    expect(after).toHaveLength(before.length + 1);
    const keys = after.map((grade) => `${grade.externalId}/${grade.itemId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
