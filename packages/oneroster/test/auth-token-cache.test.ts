/**
 * Bearer tokens remembered by the authenticator (memory, PGlite and the real PostgreSQL stores): a token found valid
 * is not looked up again until it expires, and a credential revoked after its token was remembered, by another
 * process sharing the stores, is refused at once by default, or within `credentialRecheckSeconds` when that is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryCredentialStore,
  createMemoryTokenStore,
} from '../src/adapters/memory/memory-auth-stores.ts';
import {
  createPostgresCredentialStore,
  createPostgresTokenStore,
} from '../src/adapters/postgres/postgres-auth-stores.ts';
import { type AuthenticatorOptions, createAuthenticator } from '../src/auth/authenticator.ts';
import { issueCredential } from '../src/auth/issue-credential.ts';
import type { CredentialStore, TokenStore } from '../src/auth/ports.ts';
import { sha256 } from '../src/auth/secrets.ts';
import { storeFactories } from './support/stores.ts';

let clock = new Date('2026-03-10T12:00:00.000Z');
const now = () => new Date(clock);
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

interface Stores {
  credentials: CredentialStore;
  tokens: TokenStore;
  close(): Promise<void>;
}

const factories = storeFactories().map((factory) => ({
  name: factory.name,
  async open(): Promise<Stores> {
    if (factory.name === 'memory') {
      return {
        credentials: createMemoryCredentialStore(),
        tokens: createMemoryTokenStore(),
        close: async () => {},
      };
    }
    const opened = await factory.open();
    if (opened.client === undefined) throw new Error('an SQL store has a client');
    const options = {
      client: opened.client,
      ...(opened.schema === undefined ? {} : { schema: opened.schema }),
    };
    return {
      credentials: createPostgresCredentialStore(options),
      tokens: createPostgresTokenStore(options),
      close: opened.close,
    };
  },
}));

/** The stores with a count of the lookups made through them (one process's view of the shared database). */
function counted(stores: Stores) {
  const lookups = { tokens: 0, credentials: 0 };
  const credentials: CredentialStore = {
    ...stores.credentials,
    find: (clientId) => {
      lookups.credentials += 1;
      return stores.credentials.find(clientId);
    },
  };
  const tokens: TokenStore = {
    ...stores.tokens,
    find: (hash) => {
      lookups.tokens += 1;
      return stores.tokens.find(hash);
    },
  };
  return { lookups, credentials, tokens };
}

async function outcome(
  authenticator: ReturnType<typeof createAuthenticator>,
  token: string,
): Promise<string> {
  try {
    const principal = await authenticator.authenticate(
      new Request('http://api.test/ims/oneroster/v1p1/users', {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    return `ok ${principal.tenantId}`;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe.each(factories)('remembered bearer tokens: $name', (factory) => {
  let stores: Stores;
  let serial = 0;

  beforeAll(async () => {
    stores = await factory.open();
  });
  afterAll(async () => {
    await stores?.close();
  });

  /** A credential and a token of it, valid for an hour from now. */
  async function tokenOf(): Promise<{ clientId: string; token: string }> {
    serial += 1;
    const issued = await issueCredential(
      { tenantId: 'district-a', scopes: ['roster.readonly'] },
      { credentials: stores.credentials, now },
    );
    const token = `token-${factory.name}-${serial}`;
    await stores.tokens.save({
      tokenHash: sha256(token),
      clientId: issued.clientId,
      tenantId: 'district-a',
      scopes: ['roster.readonly'],
      expiresAt: new Date(clock.getTime() + 3600_000).toISOString(),
    });
    return { clientId: issued.clientId, token };
  }

  function authenticator(options: Partial<AuthenticatorOptions> = {}) {
    const view = counted(stores);
    return {
      lookups: view.lookups,
      authenticator: createAuthenticator({
        credentials: view.credentials,
        tokens: view.tokens,
        now,
        ...options,
      }),
    };
  }

  it('looks a token up once, checks its credential on every request, and refuses it once expired', async () => {
    const { token } = await tokenOf();
    const { lookups, authenticator: auth } = authenticator();
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(lookups).toEqual({ tokens: 1, credentials: 3 });
    advance(3599);
    expect(await outcome(auth, token)).toBe('ok district-a');
    advance(1);
    expect(await outcome(auth, token)).toBe('ONEROSTER_AUTH_TOKEN_EXPIRED');
    // Forgotten once expired: the store is asked again, and says the same.
    expect(await outcome(auth, token)).toBe('ONEROSTER_AUTH_TOKEN_EXPIRED');
    expect(lookups.tokens).toBe(2);
  });

  it('refuses a remembered token at once when another process revokes its credential', async () => {
    const { clientId, token } = await tokenOf();
    const { authenticator: auth } = authenticator();
    expect(await outcome(auth, token)).toBe('ok district-a');
    // Revoked through the shared stores, not through this authenticator.
    expect(await stores.credentials.revoke(clientId, now().toISOString())).toBe(true);
    expect(await outcome(auth, token)).toBe('ONEROSTER_AUTH_TOKEN_INVALID');
    expect(await outcome(auth, token)).toBe('ONEROSTER_AUTH_TOKEN_INVALID');
  });

  it('with credentialRecheckSeconds, trusts a remembered credential that long and no longer', async () => {
    const { clientId, token } = await tokenOf();
    const { lookups, authenticator: auth } = authenticator({ tokenCache: { credentialRecheckSeconds: 30 } });
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(lookups).toEqual({ tokens: 1, credentials: 1 });
    await stores.credentials.revoke(clientId, now().toISOString());
    advance(29);
    expect(await outcome(auth, token)).toBe('ok district-a');
    advance(1);
    expect(await outcome(auth, token)).toBe('ONEROSTER_AUTH_TOKEN_INVALID');
    expect(lookups.credentials).toBe(2);
  });

  it('looks every token up with tokenCache: false', async () => {
    const { token } = await tokenOf();
    const { lookups, authenticator: auth } = authenticator({ tokenCache: false });
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(await outcome(auth, token)).toBe('ok district-a');
    expect(lookups).toEqual({ tokens: 2, credentials: 2 });
  });

  it('never remembers an unknown token', async () => {
    const { lookups, authenticator: auth } = authenticator();
    expect(await outcome(auth, 'not-issued')).toBe('ONEROSTER_AUTH_TOKEN_INVALID');
    expect(await outcome(auth, 'not-issued')).toBe('ONEROSTER_AUTH_TOKEN_INVALID');
    expect(lookups.tokens).toBe(2);
  });
});

describe('token cache options', () => {
  const stores = { credentials: createMemoryCredentialStore(), tokens: createMemoryTokenStore() };
  it('are refused with ONEROSTER_AUTH_INVALID_OPTIONS, naming the option', () => {
    for (const [tokenCache, name] of [
      [{ maxEntries: 0 }, 'tokenCache.maxEntries'],
      [{ credentialRecheckSeconds: -1 }, 'tokenCache.credentialRecheckSeconds'],
    ] as const) {
      expect(() => createAuthenticator({ ...stores, tokenCache })).toThrow(
        expect.objectContaining({
          code: 'ONEROSTER_AUTH_INVALID_OPTIONS',
          message: expect.stringContaining(name),
        }),
      );
    }
  });
});
