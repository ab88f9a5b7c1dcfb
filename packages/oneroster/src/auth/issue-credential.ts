/**
 * Creating a credential: one application's grant on one tenant, with its scopes. The secret is returned once and
 * stored only hashed (and, when OAuth 1.0a signing is allowed, sealed under the server's key).
 */
import { type GenerateId, randomId } from '@passport/core';
import { AuthError } from './auth-error.ts';
import type { ClientCredential, CredentialStore } from './ports.ts';
import { type OneRosterScope, parseScope } from './scopes.ts';
import { generateSecret, hashSecret, sealingKeyFrom, sealSecret } from './secrets.ts';

export interface IssueCredentialInput {
  tenantId: string;
  /** Short names or URIs; at least one. */
  scopes: readonly string[];
  name?: string;
  /** Allow OAuth 1.0a request signing with this credential (needs `sealingKey`). Default: when a key is given. */
  oauth1?: boolean;
}

export interface IssueCredentialContext {
  credentials: CredentialStore;
  /** 32 bytes (base64 text or bytes) that seal secrets for OAuth 1.0a; keep it outside the database. */
  sealingKey?: string | Uint8Array;
  generateId?: GenerateId;
  now?: () => Date;
}

export interface IssuedCredential {
  clientId: string;
  /** Shown once; only its hash is kept. */
  clientSecret: string;
  credential: ClientCredential;
}

/** Parses scope names or URIs; throws `ONEROSTER_AUTH_INVALID_SCOPE` naming an unknown one. */
export function parseScopes(texts: readonly string[]): OneRosterScope[] {
  const scopes = new Set<OneRosterScope>();
  for (const text of texts) {
    const scope = parseScope(text.trim());
    if (scope === undefined) {
      throw new AuthError('ONEROSTER_AUTH_INVALID_SCOPE', `Unknown OneRoster scope ${JSON.stringify(text)}.`);
    }
    scopes.add(scope);
  }
  return [...scopes];
}

export async function issueCredential(
  input: IssueCredentialInput,
  context: IssueCredentialContext,
): Promise<IssuedCredential> {
  if (input.tenantId.trim() === '') {
    throw new AuthError('ONEROSTER_AUTH_INVALID_OPTIONS', 'A credential needs a tenant id.');
  }
  const scopes = parseScopes(input.scopes);
  if (scopes.length === 0)
    throw new AuthError('ONEROSTER_AUTH_INVALID_SCOPE', 'A credential needs at least one scope.');
  const oauth1 = input.oauth1 ?? context.sealingKey !== undefined;
  if (oauth1 && context.sealingKey === undefined) {
    throw new AuthError('ONEROSTER_AUTH_INVALID_OPTIONS', 'OAuth 1.0a credentials need a sealing key.');
  }
  const clientId = (context.generateId ?? randomId)();
  const clientSecret = generateSecret();
  const credential: ClientCredential = {
    clientId,
    tenantId: input.tenantId,
    scopes,
    secretHash: hashSecret(clientSecret),
    createdAt: (context.now?.() ?? new Date()).toISOString(),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(oauth1 && context.sealingKey !== undefined
      ? { sealedSecret: sealSecret(clientSecret, sealingKeyFrom(context.sealingKey), clientId) }
      : {}),
  };
  await context.credentials.save(credential);
  return { clientId, clientSecret, credential };
}
