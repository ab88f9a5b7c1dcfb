/** The auth ports' contract on memory, PGlite and the real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryCredentialStore,
  createMemoryNonceStore,
  createMemoryTokenStore,
} from '../src/adapters/memory/memory-auth-stores.ts';
import {
  createPostgresCredentialStore,
  createPostgresNonceStore,
  createPostgresTokenStore,
} from '../src/adapters/postgres/postgres-auth-stores.ts';
import type { ClientCredential, CredentialStore, NonceStore, TokenStore } from '../src/auth/ports.ts';
import { storeFactories } from './support/stores.ts';

let clock = new Date('2026-03-10T12:00:00.000Z');
const now = () => clock;

interface AuthStores {
  credentials: CredentialStore;
  tokens: TokenStore;
  nonces: NonceStore;
  close(): Promise<void>;
}

const factories = storeFactories().map((factory) => ({
  name: factory.name,
  async open(): Promise<AuthStores> {
    if (factory.name === 'memory') {
      return {
        credentials: createMemoryCredentialStore(),
        tokens: createMemoryTokenStore(),
        nonces: createMemoryNonceStore({ now }),
        close: async () => {},
      };
    }
    const opened = await factory.open();
    const options = {
      client: opened.client!,
      ...(opened.schema === undefined ? {} : { schema: opened.schema }),
    };
    return {
      credentials: createPostgresCredentialStore(options),
      tokens: createPostgresTokenStore(options),
      nonces: createPostgresNonceStore({ ...options, now }),
      close: opened.close,
    };
  },
}));

describe.each(factories)('auth stores: $name', (factory) => {
  let stores: AuthStores;
  beforeAll(async () => {
    stores = await factory.open();
  });
  afterAll(async () => {
    await stores?.close();
  });

  const credential: ClientCredential = {
    clientId: 'client-1',
    tenantId: 'district-a',
    scopes: ['roster-core.readonly', 'gradebook.createput'],
    secretHash: 'sha256$salt$hash',
    sealedSecret: 'v1.a.b.c',
    name: 'Reading app',
    createdAt: '2026-03-01T00:00:00.000Z',
  };

  it('saves, finds, lists per tenant and revokes credentials', async () => {
    await stores.credentials.save(credential);
    await stores.credentials.save({
      ...credential,
      clientId: 'client-2',
      tenantId: 'district-b',
      createdAt: '2026-03-02T00:00:00.000Z',
    });
    const { sealedSecret: _sealed, name: _name, ...bare } = credential;
    await stores.credentials.save({ ...bare, clientId: 'client-3', createdAt: '2026-03-03T00:00:00.000Z' });
    expect(await stores.credentials.find('client-1')).toEqual(credential);
    expect(await stores.credentials.find('client-3')).toEqual({
      ...bare,
      clientId: 'client-3',
      createdAt: '2026-03-03T00:00:00.000Z',
    });
    expect(await stores.credentials.find('nobody')).toBeUndefined();
    expect((await stores.credentials.list('district-a')).map((item) => item.clientId)).toEqual([
      'client-1',
      'client-3',
    ]);
    await expect(stores.credentials.save(credential)).rejects.toThrow();
    expect(await stores.credentials.revoke('client-1', '2026-03-05T00:00:00.000Z')).toBe(true);
    expect(await stores.credentials.revoke('client-1', '2026-03-06T00:00:00.000Z')).toBe(false);
    expect((await stores.credentials.find('client-1'))?.revokedAt).toBe('2026-03-05T00:00:00.000Z');
  });

  it('saves and finds tokens by hash, and forgets expired ones', async () => {
    const token = {
      tokenHash: 'h1',
      clientId: 'client-1',
      tenantId: 'district-a',
      scopes: ['roster.readonly' as const],
      expiresAt: '2026-03-10T13:00:00.000Z',
    };
    await stores.tokens.save(token);
    await stores.tokens.save({ ...token, tokenHash: 'h2', expiresAt: '2026-03-10T11:00:00.000Z' });
    expect(await stores.tokens.find('h1')).toEqual(token);
    expect(await stores.tokens.deleteExpired(new Date('2026-03-10T12:00:00.000Z'))).toBe(1);
    expect(await stores.tokens.find('h2')).toBeUndefined();
    expect(await stores.tokens.find('h1')).toEqual(token);
  });

  it('accepts a nonce once until it expires', async () => {
    const expires = new Date(clock.getTime() + 60_000);
    expect(await stores.nonces.useOnce('key:1', expires)).toBe(true);
    expect(await stores.nonces.useOnce('key:1', expires)).toBe(false);
    expect(await stores.nonces.useOnce('key:2', expires)).toBe(true);
    clock = new Date(clock.getTime() + 61_000);
    expect(await stores.nonces.useOnce('key:1', new Date(clock.getTime() + 60_000))).toBe(true);
    expect(await stores.nonces.useOnce('key:1', new Date(clock.getTime() + 60_000))).toBe(false);
  });
});
