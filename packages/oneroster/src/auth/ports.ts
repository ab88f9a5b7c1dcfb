/**
 * The storage the OneRoster auth needs: credentials (one application's grant on one tenant), the bearer tokens
 * issued for them, and the OAuth 1.0a nonces already seen. Memory adapters in `adapters/memory/`, PostgreSQL ones
 * in `adapters/postgres/`.
 */
import type { OneRosterScope } from './scopes.ts';

export interface ClientCredential {
  clientId: string;
  /** The one tenant this credential reads. */
  tenantId: string;
  scopes: OneRosterScope[];
  /** The client secret, hashed (`sha256$<salt>$<hash>`, base64url); the secret itself is never stored. */
  secretHash: string;
  /**
   * For OAuth 1.0a request signing only: the secret sealed with AES-256-GCM under the server's sealing key. HMAC
   * signatures need the shared secret itself, so a hash cannot verify them; absent when the credential may not sign.
   */
  sealedSecret?: string;
  /** A label for admins (the application's name). */
  name?: string;
  createdAt: string;
  revokedAt?: string;
}

export interface CredentialStore {
  /** Stores a new credential. */
  save(credential: ClientCredential): Promise<void>;
  find(clientId: string): Promise<ClientCredential | undefined>;
  /** Marks a credential revoked; its tokens stop working. Resolves false when there is no such active credential. */
  revoke(clientId: string, at: string): Promise<boolean>;
  /** The tenant's credentials, revoked ones included, oldest first. */
  list(tenantId: string): Promise<ClientCredential[]>;
}

export interface IssuedToken {
  /** SHA-256 of the token (base64url); the token itself is never stored. */
  tokenHash: string;
  clientId: string;
  tenantId: string;
  scopes: OneRosterScope[];
  expiresAt: string;
}

export interface TokenStore {
  save(token: IssuedToken): Promise<void>;
  find(tokenHash: string): Promise<IssuedToken | undefined>;
  /** Forgets tokens that expired before `now`; resolves how many. */
  deleteExpired(now: Date): Promise<number>;
}

export interface NonceStore {
  /**
   * Records a nonce until `expiresAt`. Resolves true the first time, false when the same key is already recorded
   * and not yet expired (a replay).
   */
  useOnce(key: string, expiresAt: Date): Promise<boolean>;
}
