/**
 * The whole OneRoster service as the reference server composes it, for tests: a roster store, the credential,
 * token and nonce stores in memory, the token endpoint at /oauth/token and the API handler under
 * /ims/oneroster/v1p1, on a clock the test moves.
 */
import { randomBytes } from 'node:crypto';
import {
  createMemoryCredentialStore,
  createMemoryNonceStore,
  createMemoryTokenStore,
} from '../../src/adapters/memory/memory-auth-stores.ts';
import { createOneRosterHandler } from '../../src/api/handler.ts';
import { createAuthenticator } from '../../src/auth/authenticator.ts';
import { issueCredential } from '../../src/auth/issue-credential.ts';
import { createTokenEndpoint } from '../../src/auth/token-endpoint.ts';
import type { RosterStore } from '../../src/store/roster-store.ts';

export const basePath = '/ims/oneroster/v1p1';

export interface TestApi {
  handle(request: Request): Promise<Response>;
  /** Issues a credential on a tenant; `oauth1` lets it sign requests. */
  issue(
    tenantId: string,
    scopes: readonly string[],
    oauth1?: boolean,
  ): Promise<{ clientId: string; clientSecret: string }>;
  revoke(clientId: string): Promise<void>;
  /** Moves the server clock. */
  advance(seconds: number): void;
  now(): Date;
  /** Every request the service received, in order. */
  requests: Request[];
}

export function createTestApi(options: { store: RosterStore; origin: string; maxLimit?: number }): TestApi {
  let clock = new Date('2026-03-10T12:00:00.000Z');
  const now = () => new Date(clock);
  const sealingKey = randomBytes(32).toString('base64');
  const credentials = createMemoryCredentialStore();
  const tokens = createMemoryTokenStore();
  const nonces = createMemoryNonceStore({ now });
  const tokenEndpoint = createTokenEndpoint({ credentials, tokens, now, tokenLifetimeSeconds: 3600 });
  const api = createOneRosterHandler({
    store: options.store,
    auth: createAuthenticator({ credentials, tokens, nonces, sealingKey, now }),
    baseUrl: `${options.origin}${basePath}`,
    now,
    ...(options.maxLimit === undefined ? {} : { maxLimit: options.maxLimit }),
  });
  const requests: Request[] = [];
  return {
    requests,
    async handle(request) {
      requests.push(request);
      const path = new URL(request.url).pathname;
      return path === '/oauth/token' ? await tokenEndpoint(request) : await api(request);
    },
    async issue(tenantId, scopes, oauth1 = false) {
      const issued = await issueCredential({ tenantId, scopes, oauth1 }, { credentials, sealingKey, now });
      return { clientId: issued.clientId, clientSecret: issued.clientSecret };
    },
    async revoke(clientId) {
      await credentials.revoke(clientId, now().toISOString());
    },
    advance(seconds) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    now,
  };
}
