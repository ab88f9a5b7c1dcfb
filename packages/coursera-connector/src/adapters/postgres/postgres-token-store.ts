import type { SqlClient } from '@passport/core';
import type { StoredTokens, TokenStore } from '../../ports.ts';

/** Turns a secret into what is stored and back (encryption at rest); identity by default. */
export interface Sealing {
  seal(plain: string): string;
  unseal(sealed: string): string;
}

const identity: Sealing = { seal: (plain) => plain, unseal: (sealed) => sealed };

interface TokenRow {
  access_token: string;
  access_token_expires_at: Date | string;
  refresh_token: string;
  refresh_token_expires_at: Date | string;
  scope: string;
  consented_at: Date | string;
}

/** Tokens in PostgreSQL (or PGlite). Pass `sealing` (e.g. `createAesGcmSealing`) to encrypt them at rest. */
export function createPostgresTokenStore(sql: SqlClient, options: { sealing?: Sealing } = {}): TokenStore {
  const sealing = options.sealing ?? identity;
  return {
    async load(key) {
      const { rows } = await sql.query<TokenRow>(
        `select access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, scope, consented_at
           from passport_connector_tokens where key = $1`,
        [key],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        accessToken: sealing.unseal(row.access_token),
        accessTokenExpiresAt: new Date(row.access_token_expires_at),
        refreshToken: sealing.unseal(row.refresh_token),
        refreshTokenExpiresAt: new Date(row.refresh_token_expires_at),
        scope: row.scope,
        consentedAt: new Date(row.consented_at),
      };
    },
    async save(key, tokens: StoredTokens) {
      await sql.query(
        `insert into passport_connector_tokens
           (key, access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, scope, consented_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, now())
         on conflict (key) do update set
           access_token = excluded.access_token,
           access_token_expires_at = excluded.access_token_expires_at,
           refresh_token = excluded.refresh_token,
           refresh_token_expires_at = excluded.refresh_token_expires_at,
           scope = excluded.scope,
           consented_at = excluded.consented_at,
           updated_at = now()`,
        [
          key,
          sealing.seal(tokens.accessToken),
          tokens.accessTokenExpiresAt.toISOString(),
          sealing.seal(tokens.refreshToken),
          tokens.refreshTokenExpiresAt.toISOString(),
          tokens.scope,
          tokens.consentedAt.toISOString(),
        ],
      );
    },
    async delete(key) {
      await sql.query('delete from passport_connector_tokens where key = $1', [key]);
    },
  };
}
