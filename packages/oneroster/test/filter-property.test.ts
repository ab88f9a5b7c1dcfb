/**
 * Property: any generated filter, sent by the client over HTTP to the server, returns exactly the users the
 * in-memory evaluation of the same filter selects from the same data, on every store (memory, PGlite, PostgreSQL).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneRosterScopes } from '../src/auth/scopes.ts';
import { createOneRosterClient, type OneRosterClient } from '../src/client/client.ts';
import { formatFilter } from '../src/filter/ast.ts';
import { compareEntities, matchesFilter } from '../src/filter/evaluate.ts';
import { resolveFilter } from '../src/filter/resolve-filter.ts';
import { csvRowToEntity } from '../src/model/convert.ts';
import { filterArbitrary } from './support/filter-arbitrary.ts';
import { importedAt, loadFixture, rowsOf, tenantA } from './support/fixture.ts';
import { type ServedHandler, serve } from './support/node-host.ts';
import { storeFactories } from './support/stores.ts';
import { basePath, createTestApi } from './support/test-api.ts';

describe.each(storeFactories())('filters through the client on the $name store', (factory) => {
  let served: ServedHandler;
  let client: OneRosterClient;
  let users: Record<string, unknown>[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await factory.open();
    close = opened.close;
    const { a } = await loadFixture(opened.store);
    users = rowsOf(a, 'users').map((row) => ({
      ...(csvRowToEntity('users', row, { baseUrl: '' }) as Record<string, unknown>),
      status: 'active',
      dateLastModified: importedAt.toISOString(),
    }));
    let service: ReturnType<typeof createTestApi> | undefined;
    served = await serve((request) => (service as ReturnType<typeof createTestApi>).handle(request));
    service = createTestApi({ store: opened.store, origin: served.origin, maxLimit: 1000 });
    const credential = await service.issue(tenantA, oneRosterScopes);
    client = createOneRosterClient({
      baseUrl: `${served.origin}${basePath}`,
      auth: {
        type: 'oauth2',
        tokenUrl: `${served.origin}/oauth/token`,
        clientId: credential.clientId,
        clientSecret: credential.clientSecret,
      },
      now: () => service?.now().getTime() ?? Date.now(),
    });
  });

  afterAll(async () => {
    await served?.close();
    await close?.();
  });

  it('returns exactly what the in-memory evaluation returns', async () => {
    await fc.assert(
      fc.asyncProperty(filterArbitrary(users), async (filter) => {
        const expected = users
          .filter((user) => matchesFilter(user, resolveFilter('users', filter)))
          .sort(compareEntities(undefined))
          .map((user) => user.sourcedId);
        const page = await client.users.list({ filter, limit: 1000 });
        expect(
          page.items.map((user) => user.sourcedId),
          formatFilter(filter),
        ).toEqual(expected);
        expect(page.total).toBe(expected.length);
      }),
      { numRuns: factory.runs },
    );
  });
});
