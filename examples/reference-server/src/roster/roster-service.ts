import {
  type Authenticator,
  type CredentialStore,
  createAuthenticator,
  createOneRosterHandler,
  createTokenEndpoint,
  type ImportPackageOptions,
  type ImportPackageResult,
  type IssuedCredential,
  importPackage,
  issueCredential,
  type OneRosterHandler,
  type RosterStore,
  type TokenEndpoint,
} from '@passport/oneroster';
import {
  createPostgresCredentialStore,
  createPostgresNonceStore,
  createPostgresRosterStore,
  createPostgresTokenStore,
} from '@passport/oneroster/postgres';
import type { DatabaseHandle } from '../db/open-database.ts';
import { ServerError } from '../errors.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
import { createUsageCounter } from './usage-counter.ts';

/** The OneRoster API's path on this server. */
export const oneRosterBasePath = '/ims/oneroster/v1p1';

export interface RosterService {
  store: RosterStore;
  credentials: CredentialStore;
  authenticator: Authenticator;
  tokenEndpoint: TokenEndpoint;
  /** The OneRoster 1.1 REST API, answering under `/ims/oneroster/v1p1` of whatever origin the request names. */
  api: OneRosterHandler;
  /** Validates and imports a package into a tenant that must exist. */
  importPackage(tenantId: string, path: string, options?: ImportPackageOptions): Promise<ImportPackageResult>;
  /** Writes the API request counts gathered in memory to `api_usage` (before reading it, and at shutdown). */
  flushUsage(): Promise<void>;
  /** Issues a client id and secret for one tenant and a set of scopes; the secret is returned this once. */
  createCredential(input: { tenantId: string; scopes: string[]; name?: string }): Promise<IssuedCredential>;
}

/**
 * @passport/oneroster wired on the server's database: the roster store and OAuth stores through `handle.sql`, the
 * API handler and the token endpoint (`/oauth/token`). `publicUrl`, when set, is where clients reach the server
 * (hrefs and Link headers use it); otherwise each request's own origin is used.
 */
export function createRosterService(options: {
  database: DatabaseHandle;
  sealingKey: Uint8Array;
  publicUrl?: string | undefined;
  onError?: (error: unknown, request: Request) => void;
  /** Counts API requests per credential and day in `api_usage` (the partner's usage page). Default true. */
  recordUsage?: boolean;
  /** Told when counts could not be written (they are dropped; requests are never failed for it). */
  onUsageError?: (error: unknown) => void;
  /** Seconds a token's credential is trusted without reading it again (`PASSPORT_CREDENTIAL_RECHECK_SECONDS`). */
  credentialRecheckSeconds?: number;
}): RosterService {
  const { database, sealingKey } = options;
  const adapterOptions = {
    client: database.sql,
    ...(database.schema === 'public' ? {} : { schema: database.schema }),
  };
  const store = createPostgresRosterStore(adapterOptions);
  const credentials = createPostgresCredentialStore(adapterOptions);
  const tokens = createPostgresTokenStore(adapterOptions);
  const nonces = createPostgresNonceStore(adapterOptions);
  const verifier = createAuthenticator({
    credentials,
    tokens,
    nonces,
    sealingKey,
    tokenCache: { credentialRecheckSeconds: options.credentialRecheckSeconds ?? 0 },
  });
  // A failed count is logged and never fails a request.
  const usage =
    options.recordUsage === false
      ? undefined
      : createUsageCounter({
          db: database.db,
          ...(options.onUsageError === undefined ? {} : { onError: options.onUsageError }),
        });
  const authenticator: Authenticator =
    options.recordUsage === false
      ? verifier
      : {
          async authenticate(request) {
            const principal = await verifier.authenticate(request);
            // Counted after authentication, so only a credential's own requests count; a failed count is
            // logged by the caller's error hook and never fails the request.
            usage?.count(principal.clientId, principal.tenantId);
            return principal;
          },
        };
  const tenants = createTenantStore({ db: database.db });

  const handlers = new Map<string, OneRosterHandler>();
  const handlerFor = (origin: string): OneRosterHandler => {
    let handler = handlers.get(origin);
    if (handler === undefined) {
      handler = createOneRosterHandler({
        store,
        auth: authenticator,
        baseUrl: `${origin}${oneRosterBasePath}`,
        ...(options.onError === undefined ? {} : { onError: options.onError }),
      });
      // Bounded: only a handful of origins ever reach one server; a flood of Host headers must not grow this.
      if (handlers.size < 16) handlers.set(origin, handler);
    }
    return handler;
  };
  const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin;

  const requireTenant = async (tenantId: string) => {
    if ((await tenants.get(tenantId)) === undefined) {
      throw new ServerError(
        'SERVER_TENANT_NOT_FOUND',
        `No tenant ${tenantId}. Create it first: passport tenant create ${tenantId} --name <name>`,
        { status: 404 },
      );
    }
  };

  return {
    store,
    credentials,
    authenticator,
    tokenEndpoint: createTokenEndpoint({ credentials, tokens }),
    api: (request) => handlerFor(publicOrigin ?? new URL(request.url).origin)(request),
    async importPackage(tenantId, path, importOptions) {
      await requireTenant(tenantId);
      return await importPackage(store, tenantId, path, importOptions);
    },
    flushUsage: () => usage?.flush() ?? Promise.resolve(),
    async createCredential(input) {
      await requireTenant(input.tenantId);
      return await issueCredential(
        {
          tenantId: input.tenantId,
          scopes: input.scopes,
          ...(input.name === undefined ? {} : { name: input.name }),
        },
        { credentials, sealingKey },
      );
    },
  };
}
