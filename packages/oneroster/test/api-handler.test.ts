/**
 * The OneRoster API handler called in process (no sockets) on the memory store: routing, JSON binding, paging
 * headers, query parameters, errors as status info payloads, deltas, gradebook writes and scopes. The same handler
 * is driven over real HTTP by the client tests.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRosterStore } from '../src/adapters/memory/memory-roster-store.ts';
import { createOneRosterHandler, type OneRosterHandler } from '../src/api/handler.ts';
import type { CsvDataset } from '../src/csv/dataset.ts';
import { importDataset } from '../src/store/import-dataset.ts';
import type { RosterStore } from '../src/store/roster-store.ts';
import { collectionCases, singleCases } from './support/endpoint-cases.ts';
import { importedAt, loadFixture, rowsOf, tenantA, tenantB } from './support/fixture.ts';
import { principal, staticAuthenticator } from './support/principals.ts';

const baseUrl = 'http://api.test/ims/oneroster/v1p1';
const writeTime = new Date('2026-04-01T08:00:00.000Z');

/** A line item body a gradebook PUT accepts. */
const lineItem = {
  title: 'Quiz 9',
  assignDate: '2026-04-01T00:00:00.000Z',
  dueDate: '2026-04-08T00:00:00.000Z',
  class: { sourcedId: 'class-2', type: 'class' },
  category: { sourcedId: 'category-1', type: 'category' },
  gradingPeriod: { sourcedId: 'gp-2026-3', type: 'academicSession' },
  resultValueMin: 0,
  resultValueMax: 20,
};

let store: RosterStore;
let handler: OneRosterHandler;
let a: CsvDataset;

const authenticator = staticAuthenticator({
  a: principal(tenantA),
  b: principal(tenantB),
  core: principal(tenantA, ['roster-core.readonly']),
  demographicsOnly: principal(tenantA, ['roster-demographics.readonly']),
  gradebookRead: principal(tenantA, ['gradebook.readonly']),
});

beforeEach(async () => {
  store = createMemoryRosterStore();
  ({ a } = await loadFixture(store));
  handler = createOneRosterHandler({
    store,
    auth: authenticator,
    baseUrl,
    maxLimit: 500,
    now: () => writeTime,
  });
});

async function call(
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await handler(
    new Request(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? 'a'}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
}

function ids(body: Record<string, unknown>, key: string): string[] {
  return (body[key] as { sourcedId: string }[]).map((entity) => entity.sourcedId);
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('every rostering, gradebook and resources read', () => {
  it('answers each collection under its wrapper key with exactly the expected rows', async () => {
    const cases = collectionCases(a);
    for (const { path, key, ids: expected } of cases) {
      const { status, headers, body } = await call(`${path}?limit=500`);
      expect(status, path).toBe(200);
      expect(Object.keys(body), path).toEqual([key]);
      expect(sorted(ids(body, key)), path).toEqual(sorted(new Set(expected)));
      expect(expected.length, `${path} has rows to compare`).toBeGreaterThan(0);
      expect(headers.get('x-total-count'), path).toBe(String(new Set(expected).size));
    }
  });

  it('answers each single-object read under its singular key, and 404 unknownobject for the wrong type', async () => {
    const cases = singleCases;
    for (const [path, key] of cases) {
      const { status, body } = await call(path);
      expect(status, path).toBe(200);
      expect(Object.keys(body), path).toEqual([key]);
      expect((body[key] as { sourcedId: string }).sourcedId, path).toBe(
        decodeURIComponent(path.split('/')[2] ?? ''),
      );
    }
    for (const path of ['/schools/district-1', '/students/teacher-1', '/terms/sem-2026-2', '/users/nobody']) {
      const { status, body } = await call(path);
      expect(status, path).toBe(404);
      expect(body).toMatchObject({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_CodeMinor: {
          imsx_codeMinorField: [
            { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'unknownobject' },
          ],
        },
      });
    }
  });

  it('answers 404 unknownobject for a relationship read whose parent does not exist or is elsewhere', async () => {
    for (const path of [
      '/classes/nope/students',
      '/schools/district-1/classes',
      '/schools/school-2/classes/class-2/students',
      '/classes/class-22/lineItems/lineitem-2-1/results',
      '/terms/sem-2026-2/classes',
    ]) {
      const { status, body } = await call(path);
      expect(status, path).toBe(404);
      expect(JSON.stringify(body), path).toContain('unknownobject');
    }
  });
});

describe('JSON binding', () => {
  it('writes GUIDRefs with hrefs on this server, derived children, and status/dateLastModified of the import', async () => {
    const { body } = await call('/classes/class-11');
    const entity = body.class as Record<string, unknown>;
    expect(entity.status).toBe('active');
    expect(entity.dateLastModified).toBe(importedAt.toISOString());
    expect(entity.course).toEqual({
      href: `${baseUrl}/courses/course-11`,
      sourcedId: 'course-11',
      type: 'course',
    });
    expect(entity.school).toEqual({ href: `${baseUrl}/orgs/school-1`, sourcedId: 'school-1', type: 'org' });
    expect(entity.terms).toEqual(
      expect.arrayContaining([
        { href: `${baseUrl}/academicSessions/sem-2026-1`, sourcedId: 'sem-2026-1', type: 'academicSession' },
      ]),
    );
    expect(entity.resources).toEqual([
      { href: `${baseUrl}/resources/resource-4`, sourcedId: 'resource-4', type: 'resource' },
    ]);
    const district = (await call('/orgs/district-1')).body.org as { children: { sourcedId: string }[] };
    expect(district.children.map((child) => child.sourcedId)).toEqual(['school-1', 'school-2', 'school-3']);
  });

  it('sends text beyond ASCII as UTF-8 bytes that decode to what was stored', async () => {
    const title = 'Zoë’s quiz 😀 — Ünïcode';
    const put = await call('/lineItems/quiz-utf8', {
      method: 'PUT',
      body: { lineItem: { ...lineItem, title } },
    });
    expect(put.status).toBe(201);
    const response = await handler(
      new Request(`${baseUrl}/lineItems?filter=${encodeURIComponent("sourcedId='quiz-utf8'")}`, {
        headers: { authorization: 'Bearer a' },
      }),
    );
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(bytes.length).toBe(new TextEncoder().encode(text).length);
    expect(JSON.parse(text).lineItems[0].title).toBe(title);
  });

  it('answers an empty result as 200 with an empty array', async () => {
    const { status, body, headers } = await call(`/users?filter=${encodeURIComponent("givenName='Nobody'")}`);
    expect(status).toBe(200);
    expect(body).toEqual({ users: [] });
    expect(headers.get('x-total-count')).toBe('0');
  });
});

describe('paging', () => {
  it('sets X-Total-Count and RFC 8288 Link with next, prev, first and last', async () => {
    const total = rowsOf(a, 'users').length;
    const { headers, body } = await call('/users?limit=10&offset=20&sort=familyName');
    expect(ids(body, 'users')).toHaveLength(10);
    expect(headers.get('x-total-count')).toBe(String(total));
    const link = headers.get('link') ?? '';
    const lastOffset = Math.floor((total - 1) / 10) * 10;
    expect(link).toContain(`<${baseUrl}/users?limit=10&offset=30&sort=familyName>; rel="next"`);
    expect(link).toContain(`<${baseUrl}/users?limit=10&offset=10&sort=familyName>; rel="prev"`);
    expect(link).toContain(`<${baseUrl}/users?limit=10&offset=0&sort=familyName>; rel="first"`);
    expect(link).toContain(`<${baseUrl}/users?limit=10&offset=${lastOffset}&sort=familyName>; rel="last"`);
    const first = await call('/users?limit=10');
    expect(first.headers.get('link')).not.toContain('rel="prev"');
    const last = await call(`/users?limit=10&offset=${lastOffset}`);
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  it('pages through every row exactly once in a stable order, and defaults to 100 rows', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = ids(
        (await call(`/enrollments?limit=7&offset=${offset}&sort=role&orderBy=desc`)).body,
        'enrollments',
      );
      if (page.length === 0) break;
      seen.push(...page);
    }
    expect(sorted(seen)).toEqual(sorted(rowsOf(a, 'enrollments').map((row) => row.sourcedId ?? '')));
    expect(ids((await call('/enrollments')).body, 'enrollments')).toHaveLength(100);
    expect(ids((await call('/enrollments?limit=100000')).body, 'enrollments')).toHaveLength(
      Math.min(500, rowsOf(a, 'enrollments').length),
    );
  });
});

describe('query parameters', () => {
  it('filters, sorts and selects fields', async () => {
    const filter = encodeURIComponent("role='student' AND familyName>='M'");
    const { body } = await call(
      `/users?filter=${filter}&sort=familyName&orderBy=desc&fields=sourcedId,familyName&limit=500`,
    );
    const users = body.users as { sourcedId: string; familyName: string }[];
    const expected = rowsOf(a, 'users').filter(
      (row) => row.role === 'student' && (row.familyName ?? '') >= 'M',
    );
    expect(users).toHaveLength(expected.length);
    for (const user of users) expect(Object.keys(user)).toEqual(['sourcedId', 'familyName']);
    const names = users.map((user) => user.familyName);
    expect(names).toEqual([...names].sort().reverse());
  });

  it('reports an unknown sort field as a warning statusInfoSet in a 200', async () => {
    const { status, body } = await call('/users?sort=shoeSize&limit=3');
    expect(status).toBe(200);
    expect(ids(body, 'users')).toEqual(
      rowsOf(a, 'users')
        .map((row) => row.sourcedId)
        .sort()
        .slice(0, 3),
    );
    expect(body.statusInfoSet).toEqual([
      {
        imsx_codeMajor: 'success',
        imsx_severity: 'warning',
        imsx_description: expect.stringContaining('shoeSize'),
        imsx_CodeMinor: {
          imsx_codeMinorField: [
            { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invalid_sort_field' },
          ],
        },
      },
    ]);
  });

  it('reports unknown selected fields as invalid_selection_field and returns all fields', async () => {
    const { status, body } = await call('/users/student-1?fields=shoeSize');
    expect(status).toBe(200);
    expect(Object.keys(body.user as object)).toContain('givenName');
    expect(JSON.stringify(body.statusInfoSet)).toContain('invalid_selection_field');
  });

  it('answers a bad filter field with 400 invalid_filter_field as a status info payload', async () => {
    const { status, body } = await call(`/users?filter=${encodeURIComponent("shoeSize='9'")}`);
    expect(status).toBe(400);
    expect(body).toEqual({
      imsx_codeMajor: 'failure',
      imsx_severity: 'error',
      imsx_description: expect.stringContaining('shoeSize'),
      imsx_CodeMinor: {
        imsx_codeMinorField: [
          { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invalid_filter_field' },
        ],
      },
    });
    const mixed = await call(`/users?filter=${encodeURIComponent("role='a' AND role='b' OR role='c'")}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.imsx_description).toMatch(/mixes AND and OR/);
    const paging = await call('/users?limit=none');
    expect(paging.status).toBe(400);
    expect(JSON.stringify(paging.body)).toContain('invaliddata');
  });

  it('answers 404 for a path that is no endpoint and 405 with Allow for a method it does not take', async () => {
    expect((await call('/shoes')).status).toBe(404);
    const post = await call('/users', { method: 'POST', body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const patch = await call('/lineItems/x', { method: 'PATCH', body: {} });
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});

describe('deltas', () => {
  it('returns changes since a time, including rows marked tobedeleted, which plain reads leave out', async () => {
    const later = '2026-03-05T00:00:00.000Z';
    const delta = {
      manifest: { ...a.manifest, files: { ...a.manifest.files } },
      tables: {
        users: {
          mode: 'delta' as const,
          columns: a.tables.users?.columns ?? [],
          rows: [
            {
              ...rowsOf(a, 'users').find((row) => row.sourcedId === 'student-2')!,
              status: 'tobedeleted',
              dateLastModified: later,
            },
            {
              ...rowsOf(a, 'users').find((row) => row.sourcedId === 'student-3')!,
              givenName: 'Renamed',
              status: 'active',
              dateLastModified: later,
            },
          ],
        },
      },
    } satisfies CsvDataset;
    for (const file of Object.keys(delta.manifest.files) as (keyof typeof delta.manifest.files)[]) {
      delta.manifest.files[file] = file === 'users' ? 'delta' : 'absent';
    }
    const outcome = await importDataset(store, tenantA, delta, { importedAt: new Date(later) });
    expect(outcome).toMatchObject({ status: 'applied', counts: { users: { deleted: 1, updated: 1 } } });
    const since = encodeURIComponent("dateLastModified>'2026-03-02T00:00:00Z'");
    const { body } = await call(`/users?filter=${since}`);
    const changed = body.users as { sourcedId: string; status: string; givenName: string }[];
    expect(changed.map((user) => [user.sourcedId, user.status])).toEqual([
      ['student-2', 'tobedeleted'],
      ['student-3', 'active'],
    ]);
    const plain = ids((await call('/users?limit=500')).body, 'users');
    expect(plain).not.toContain('student-2');
    expect(plain).toContain('student-3');
    expect((await call('/users/student-2')).body.user).toMatchObject({ status: 'tobedeleted' });
  });
});

describe('gradebook writes', () => {
  it('creates with 201, replaces with 200, and stamps status and dateLastModified', async () => {
    const created = await call('/lineItems/quiz-9', { method: 'PUT', body: { lineItem } });
    expect(created.status).toBe(201);
    expect(created.body.lineItem).toMatchObject({
      sourcedId: 'quiz-9',
      status: 'active',
      dateLastModified: writeTime.toISOString(),
      class: { href: `${baseUrl}/classes/class-2`, sourcedId: 'class-2', type: 'class' },
    });
    const replaced = await call('/lineItems/quiz-9', {
      method: 'PUT',
      body: { lineItem: { ...lineItem, title: 'Quiz 9b' } },
    });
    expect(replaced.status).toBe(200);
    expect((await call('/lineItems/quiz-9')).body.lineItem).toMatchObject({ title: 'Quiz 9b' });
    const result = await call('/results/quiz-9-student-1', {
      method: 'PUT',
      body: {
        result: {
          lineItem: { sourcedId: 'quiz-9', type: 'lineItem' },
          student: { sourcedId: 'student-1', type: 'user' },
          scoreStatus: 'fully graded',
          score: 17.5,
          scoreDate: '2026-04-09',
        },
      },
    });
    expect(result.status).toBe(201);
    expect(
      ids((await call('/classes/class-2/students/student-1/results?limit=500')).body, 'results'),
    ).toContain('quiz-9-student-1');
  });

  it('refuses an invalid body or a reference to nothing with 400 invaliddata', async () => {
    for (const body of [
      { lineItem: { ...lineItem, resultValueMax: 'twenty' } },
      { lineItem: { ...lineItem, sourcedId: 'other-id' } },
      { lineItem: { ...lineItem, class: { sourcedId: 'class-nope', type: 'class' } } },
      'not an object',
    ]) {
      const response = await call('/lineItems/quiz-10', { method: 'PUT', body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.body)).toContain('invaliddata');
    }
    expect((await call('/lineItems/quiz-10')).status).toBe(404);
  });

  it('deletes with 204, marking the row tobedeleted for delta readers; deleting again is 404', async () => {
    expect((await call('/lineItems/lineitem-2-1', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/lineItems/lineitem-2-1', { method: 'DELETE' })).status).toBe(404);
    expect(ids((await call('/lineItems?limit=500')).body, 'lineItems')).not.toContain('lineitem-2-1');
    const since = encodeURIComponent(`dateLastModified>='${writeTime.toISOString()}'`);
    expect((await call(`/lineItems?filter=${since}`)).body.lineItems).toEqual([
      expect.objectContaining({
        sourcedId: 'lineitem-2-1',
        status: 'tobedeleted',
        dateLastModified: writeTime.toISOString(),
      }),
    ]);
  });
});

describe('scopes and tenants', () => {
  it('hides demographics without roster-demographics.readonly or roster.readonly', async () => {
    const forbidden = await call('/demographics', { token: 'core' });
    expect(forbidden.status).toBe(403);
    expect(JSON.stringify(forbidden.body)).toContain('forbidden');
    expect((await call('/users', { token: 'core' })).status).toBe(200);
    expect((await call('/demographics/student-1', { token: 'demographicsOnly' })).status).toBe(200);
    expect((await call('/users', { token: 'demographicsOnly' })).status).toBe(403);
  });

  it('needs gradebook.createput to PUT and gradebook.delete to DELETE', async () => {
    expect(
      (
        await call('/categories/c-9', {
          method: 'PUT',
          token: 'gradebookRead',
          body: { category: { title: 'x' } },
        })
      ).status,
    ).toBe(403);
    expect((await call('/categories/category-1', { method: 'DELETE', token: 'gradebookRead' })).status).toBe(
      403,
    );
    expect((await call('/categories', { token: 'gradebookRead' })).status).toBe(200);
    expect((await call('/resources', { token: 'gradebookRead' })).status).toBe(403);
  });

  it('answers each credential from its own tenant only', async () => {
    const fromA = (await call('/users/student-1', { token: 'a' })).body.user as { givenName: string };
    const fromB = (await call('/users/student-1', { token: 'b' })).body.user as { givenName: string };
    const rowA = rowsOf(a, 'users').find((row) => row.sourcedId === 'student-1');
    expect(fromA.givenName).toBe(rowA?.givenName);
    expect(fromB.givenName).not.toBe(fromA.givenName);
    await call('/categories/only-a', { method: 'PUT', token: 'a', body: { category: { title: 'A only' } } });
    expect((await call('/categories/only-a', { token: 'b' })).status).toBe(404);
    expect((await call('/categories/only-a', { method: 'DELETE', token: 'b' })).status).toBe(404);
    expect((await call('/categories/only-a', { token: 'a' })).status).toBe(200);
  });

  it('answers 401 unauthorisedrequest with WWW-Authenticate for an unknown credential', async () => {
    const { status, headers, body } = await call('/users', { token: 'stranger' });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toContain('Bearer');
    expect(JSON.stringify(body)).toContain('unauthorisedrequest');
  });
});

describe('options', () => {
  it('names the bad option', () => {
    expect(() => createOneRosterHandler({ store, auth: authenticator, baseUrl: 'not a url' })).toThrowError(
      expect.objectContaining({
        code: 'ONEROSTER_API_INVALID_OPTIONS',
        message: expect.stringContaining('baseUrl'),
      }),
    );
  });

  it('answers an unexpected failure as 500 internal_server_error without details, and tells onError', async () => {
    const failures: unknown[] = [];
    const broken = createOneRosterHandler({
      store: { ...store, list: async () => Promise.reject(new Error('disk on fire')) },
      auth: authenticator,
      baseUrl,
      onError: (error) => failures.push(error),
    });
    const response = await broken(
      new Request(`${baseUrl}/users`, { headers: { authorization: 'Bearer a' } }),
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain('internal_server_error');
    expect(text).not.toContain('disk on fire');
    expect(failures).toHaveLength(1);
  });
});
