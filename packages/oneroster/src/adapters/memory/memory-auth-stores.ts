/** The auth ports in memory: for tests and single-process demos. */
import type {
  ClientCredential,
  CredentialStore,
  IssuedToken,
  NonceStore,
  TokenStore,
} from '../../auth/ports.ts';

export function createMemoryCredentialStore(): CredentialStore {
  const credentials = new Map<string, ClientCredential>();
  return {
    async save(credential) {
      if (credentials.has(credential.clientId))
        throw new Error(`Credential ${credential.clientId} already exists.`);
      credentials.set(credential.clientId, structuredClone(credential));
    },
    async find(clientId) {
      const credential = credentials.get(clientId);
      return credential === undefined ? undefined : structuredClone(credential);
    },
    async revoke(clientId, at) {
      const credential = credentials.get(clientId);
      if (credential === undefined || credential.revokedAt !== undefined) return false;
      credential.revokedAt = at;
      return true;
    },
    async list(tenantId) {
      return [...credentials.values()]
        .filter((credential) => credential.tenantId === tenantId)
        .sort((left, right) => left.createdAt.localeCompare(right.createdAt))
        .map((credential) => structuredClone(credential));
    },
  };
}

export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, IssuedToken>();
  return {
    async save(token) {
      tokens.set(token.tokenHash, structuredClone(token));
    },
    async find(tokenHash) {
      const token = tokens.get(tokenHash);
      return token === undefined ? undefined : structuredClone(token);
    },
    async deleteExpired(now) {
      let deleted = 0;
      for (const [hash, token] of tokens) {
        if (Date.parse(token.expiresAt) <= now.getTime()) {
          tokens.delete(hash);
          deleted++;
        }
      }
      return deleted;
    },
  };
}

export function createMemoryNonceStore(options: { now?: () => Date } = {}): NonceStore {
  const now = options.now ?? (() => new Date());
  const nonces = new Map<string, number>();
  return {
    async useOnce(key, expiresAt) {
      const current = now().getTime();
      if (nonces.size > 10_000) {
        for (const [seen, until] of nonces) if (until <= current) nonces.delete(seen);
      }
      const until = nonces.get(key);
      if (until !== undefined && until > current) return false;
      nonces.set(key, expiresAt.getTime());
      return true;
    },
  };
}
