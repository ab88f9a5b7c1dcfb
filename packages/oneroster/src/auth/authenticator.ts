/**
 * The API's authenticator: OAuth 2.0 bearer tokens issued by the token endpoint, and OAuth 1.0a two-legged
 * signatures (HMAC-SHA1 or HMAC-SHA256). Either way the principal is the credential's tenant and scopes.
 *
 * A bearer token found valid is remembered in memory until it expires (`tokenCache`), so a partner paging through a
 * district costs no token lookup per request. Revocation is a credential's (`CredentialStore.revoke`), and a
 * remembered token's credential is still read again before each request by default, so a revoked credential's
 * tokens are refused at once on every process; `credentialRecheckSeconds` trades that for fewer reads (a revocation
 * then takes effect within that many seconds).
 */
import { AuthError } from './auth-error.ts';
import type { CredentialStore, NonceStore, TokenStore } from './ports.ts';
import type { Authenticator, Principal } from './principal.ts';
import { sealingKeyFrom, sha256 } from './secrets.ts';
import { hasOAuth1Parameters, verifyOAuth1 } from './verify-oauth1.ts';

export interface AuthenticatorOptions {
  credentials: CredentialStore;
  tokens: TokenStore;
  /** Needed for OAuth 1.0a; without it (or without `sealingKey`) signed requests are refused. */
  nonces?: NonceStore;
  /** The key that sealed the credentials' secrets (see `issueCredential`); enables OAuth 1.0a. */
  sealingKey?: string | Uint8Array;
  /** How far an OAuth 1.0a timestamp may be from the server clock, in seconds. Default 300. */
  timestampWindowSeconds?: number;
  now?: () => Date;
  /** Bearer tokens found valid, remembered until they expire; `false` looks every token up. */
  tokenCache?: TokenCacheOptions | false;
}

export interface TokenCacheOptions {
  /** Tokens remembered at once (least recently used forgotten first). Default 10,000. */
  maxEntries?: number;
  /**
   * How long a remembered token's credential is trusted without reading it again, in seconds. Default 0: read on
   * every request, so a revocation on any process is honoured at once. With more, a revoked credential's tokens keep
   * working on other processes for at most this long.
   */
  credentialRecheckSeconds?: number;
}

interface RememberedToken {
  principal: Principal;
  expiresAt: number;
  /** When the credential was last read and found active. */
  checkedAt: number;
}

function invalidToken(): AuthError {
  return new AuthError('ONEROSTER_AUTH_TOKEN_INVALID', 'The bearer token is not valid.');
}

function expiredToken(): AuthError {
  return new AuthError('ONEROSTER_AUTH_TOKEN_EXPIRED', 'The bearer token has expired; request a new one.');
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? (() => new Date());
  const sealingKey = options.sealingKey === undefined ? undefined : sealingKeyFrom(options.sealingKey);
  const window = options.timestampWindowSeconds ?? 300;

  const cacheOptions = options.tokenCache === false ? undefined : (options.tokenCache ?? {});
  const maxEntries = cacheOptions?.maxEntries ?? 10_000;
  const recheckMs = (cacheOptions?.credentialRecheckSeconds ?? 0) * 1000;
  if (cacheOptions !== undefined && (!Number.isSafeInteger(maxEntries) || maxEntries < 1)) {
    throw new AuthError(
      'ONEROSTER_AUTH_INVALID_OPTIONS',
      `Invalid option tokenCache.maxEntries: a positive whole number, got ${String(maxEntries)}.`,
    );
  }
  if (!Number.isFinite(recheckMs) || recheckMs < 0) {
    throw new AuthError(
      'ONEROSTER_AUTH_INVALID_OPTIONS',
      'Invalid option tokenCache.credentialRecheckSeconds: a number of seconds, 0 or more.',
    );
  }
  /** By token hash; least recently used first. */
  const remembered = new Map<string, RememberedToken>();

  /** Whether the credential still stands for a token of `tenantId`. */
  async function credentialActive(clientId: string, tenantId: string): Promise<boolean> {
    const credential = await options.credentials.find(clientId);
    return credential !== undefined && credential.revokedAt === undefined && credential.tenantId === tenantId;
  }

  async function bearer(token: string): Promise<Principal> {
    const hash = sha256(token);
    const at = now().getTime();
    const known = remembered.get(hash);
    if (known !== undefined) {
      if (known.expiresAt <= at) {
        remembered.delete(hash);
        throw expiredToken();
      }
      if (at - known.checkedAt >= recheckMs || at < known.checkedAt) {
        if (!(await credentialActive(known.principal.clientId, known.principal.tenantId))) {
          remembered.delete(hash);
          throw invalidToken();
        }
        known.checkedAt = at;
      }
      remembered.delete(hash);
      remembered.set(hash, known);
      return known.principal;
    }
    const issued = await options.tokens.find(hash);
    if (issued === undefined) throw invalidToken();
    const expiresAt = Date.parse(issued.expiresAt);
    if (expiresAt <= at) throw expiredToken();
    if (!(await credentialActive(issued.clientId, issued.tenantId))) throw invalidToken();
    const principal: Principal = {
      tenantId: issued.tenantId,
      clientId: issued.clientId,
      scopes: new Set(issued.scopes),
      method: 'oauth2',
    };
    if (cacheOptions !== undefined) {
      remembered.set(hash, { principal, expiresAt, checkedAt: at });
      if (remembered.size > maxEntries) {
        const oldest = remembered.keys().next().value;
        if (oldest !== undefined) remembered.delete(oldest);
      }
    }
    return principal;
  }

  return {
    async authenticate(request) {
      const authorization = request.headers.get('authorization') ?? '';
      const token = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization)?.[1];
      if (token !== undefined) return await bearer(token);
      if (hasOAuth1Parameters(request)) {
        if (sealingKey === undefined || options.nonces === undefined) {
          throw new AuthError(
            'ONEROSTER_AUTH_SIGNATURE_INVALID',
            'OAuth 1.0a signing is not enabled on this server.',
          );
        }
        return await verifyOAuth1(request, {
          credentials: options.credentials,
          nonces: options.nonces,
          sealingKey,
          now,
          timestampWindowSeconds: window,
        });
      }
      throw new AuthError(
        'ONEROSTER_AUTH_MISSING',
        'Authenticate with a bearer token or an OAuth 1.0a signature.',
      );
    },
  };
}
