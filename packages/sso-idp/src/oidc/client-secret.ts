import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppRegistration } from '../ports.ts';

/**
 * OIDC client secrets at rest. `registerApp` stores `sha256$<base64url>` instead of the secret (RFC 6819
 * §5.1.4.1.3), and oidc-provider compares a presented `client_secret_basic`/`client_secret_post` secret through
 * `matchesClientSecret`, installed as its `Client.prototype.compareClientSecret` (the extension point its
 * maintainer offers for hashed secrets). Secrets must have 32 characters or more, so one SHA-256 is enough; a slow
 * hash would only slow every token request. The price: nothing may use the secret as a key (HS* signatures,
 * `client_secret_jwt`, symmetric encryption), and the provider configuration allows none of them.
 */
const prefix = 'sha256$';

export function hashClientSecret(secret: string): string {
  return `${prefix}${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

export const isHashedClientSecret = (value: string): boolean =>
  value.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(prefix.length));

/**
 * Whether a presented secret matches the stored one, in constant time: a hash compares hashes; a plaintext secret
 * (registered before secrets were hashed, or saved straight into the registry) compares digests of both.
 */
export function matchesClientSecret(stored: unknown, presented: unknown): boolean {
  if (typeof stored !== 'string' || typeof presented !== 'string' || stored === '') return false;
  const expected = isHashedClientSecret(stored) ? stored : hashClientSecret(stored);
  const actual = Buffer.from(hashClientSecret(presented));
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** The registration as stored: a plaintext `clientSecret` replaced by its `clientSecretHash`. */
export function withHashedClientSecret(app: AppRegistration): AppRegistration {
  if (app.oidc?.clientSecret === undefined) return app;
  const { clientSecret, ...oidc } = app.oidc;
  return { ...app, oidc: { ...oidc, clientSecretHash: hashClientSecret(clientSecret) } };
}
