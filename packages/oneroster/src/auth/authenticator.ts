/**
 * The API's authenticator: OAuth 2.0 bearer tokens issued by the token endpoint, and OAuth 1.0a two-legged
 * signatures (HMAC-SHA1 or HMAC-SHA256). Either way the principal is the credential's tenant and scopes.
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
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? (() => new Date());
  const sealingKey = options.sealingKey === undefined ? undefined : sealingKeyFrom(options.sealingKey);
  const window = options.timestampWindowSeconds ?? 300;

  async function bearer(token: string): Promise<Principal> {
    const issued = await options.tokens.find(sha256(token));
    if (issued === undefined)
      throw new AuthError('ONEROSTER_AUTH_TOKEN_INVALID', 'The bearer token is not valid.');
    if (Date.parse(issued.expiresAt) <= now().getTime()) {
      throw new AuthError('ONEROSTER_AUTH_TOKEN_EXPIRED', 'The bearer token has expired; request a new one.');
    }
    const credential = await options.credentials.find(issued.clientId);
    if (
      credential === undefined ||
      credential.revokedAt !== undefined ||
      credential.tenantId !== issued.tenantId
    ) {
      throw new AuthError('ONEROSTER_AUTH_TOKEN_INVALID', 'The bearer token is not valid.');
    }
    return {
      tenantId: issued.tenantId,
      clientId: issued.clientId,
      scopes: new Set(issued.scopes),
      method: 'oauth2',
    };
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
