/** The auth ports on PostgreSQL or PGlite (tables from `oneroster_0002_auth`). */
import type { SqlClient } from '@passport/core';
import type {
  ClientCredential,
  CredentialStore,
  IssuedToken,
  NonceStore,
  TokenStore,
} from '../../auth/ports.ts';
import type { OneRosterScope } from '../../auth/scopes.ts';
import { qualify } from './sql.ts';

export interface PostgresAuthStoreOptions {
  client: SqlClient;
  schema?: string;
}

interface CredentialRow {
  client_id: string;
  tenant_id: string;
  scopes: string[];
  secret_hash: string;
  sealed_secret: string | null;
  name: string | null;
  created_at: string;
  revoked_at: string | null;
}

const iso = 'to_char(%s at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')';
const isoOf = (column: string) => iso.replace('%s', column);

function credentialOf(row: CredentialRow): ClientCredential {
  return {
    clientId: row.client_id,
    tenantId: row.tenant_id,
    scopes: row.scopes as OneRosterScope[],
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    ...(row.sealed_secret === null ? {} : { sealedSecret: row.sealed_secret }),
    ...(row.name === null ? {} : { name: row.name }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

export function createPostgresCredentialStore(options: PostgresAuthStoreOptions): CredentialStore {
  const { client } = options;
  const table = qualify(options.schema, 'oneroster_credentials');
  const columns =
    `client_id, tenant_id, scopes, secret_hash, sealed_secret, name, ${isoOf('created_at')} as created_at, ` +
    `${isoOf('revoked_at')} as revoked_at`;
  return {
    async save(credential) {
      await client.query(
        `insert into ${table} (client_id, tenant_id, scopes, secret_hash, sealed_secret, name, created_at, revoked_at) ` +
          'values ($1, $2, $3::text[], $4, $5, $6, $7::text::timestamptz, $8::text::timestamptz)',
        [
          credential.clientId,
          credential.tenantId,
          credential.scopes,
          credential.secretHash,
          credential.sealedSecret ?? null,
          credential.name ?? null,
          credential.createdAt,
          credential.revokedAt ?? null,
        ],
      );
    },
    async find(clientId) {
      const { rows } = await client.query<CredentialRow>(
        `select ${columns} from ${table} where client_id = $1`,
        [clientId],
      );
      return rows[0] === undefined ? undefined : credentialOf(rows[0]);
    },
    async revoke(clientId, at) {
      const { rows } = await client.query(
        `update ${table} set revoked_at = $2::text::timestamptz where client_id = $1 and revoked_at is null returning 1`,
        [clientId, at],
      );
      return rows.length > 0;
    },
    async list(tenantId) {
      const { rows } = await client.query<CredentialRow>(
        `select ${columns} from ${table} where tenant_id = $1 order by created_at, client_id`,
        [tenantId],
      );
      return rows.map(credentialOf);
    },
  };
}

export function createPostgresTokenStore(options: PostgresAuthStoreOptions): TokenStore {
  const { client } = options;
  const table = qualify(options.schema, 'oneroster_tokens');
  return {
    async save(token) {
      await client.query(
        `insert into ${table} (token_hash, client_id, tenant_id, scopes, expires_at) values ($1, $2, $3, $4::text[], $5::text::timestamptz)`,
        [token.tokenHash, token.clientId, token.tenantId, token.scopes, token.expiresAt],
      );
    },
    async find(tokenHash) {
      const { rows } = await client.query<{
        token_hash: string;
        client_id: string;
        tenant_id: string;
        scopes: string[];
        expires_at: string;
      }>(
        `select token_hash, client_id, tenant_id, scopes, ${isoOf('expires_at')} as expires_at from ${table} where token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        tokenHash: row.token_hash,
        clientId: row.client_id,
        tenantId: row.tenant_id,
        scopes: row.scopes as OneRosterScope[],
        expiresAt: row.expires_at,
      } satisfies IssuedToken;
    },
    async deleteExpired(now) {
      const { rows } = await client.query(
        `delete from ${table} where expires_at <= $1::text::timestamptz returning 1`,
        [now.toISOString()],
      );
      return rows.length;
    },
  };
}

export function createPostgresNonceStore(
  options: PostgresAuthStoreOptions & { now?: () => Date },
): NonceStore {
  const { client } = options;
  const now = options.now ?? (() => new Date());
  const table = qualify(options.schema, 'oneroster_nonces');
  let uses = 0;
  return {
    async useOnce(key, expiresAt) {
      const current = now().toISOString();
      if (++uses % 1000 === 0) {
        await client.query(`delete from ${table} where expires_at <= $1::text::timestamptz`, [current]);
      }
      // A new key is inserted; a key whose record expired is taken over; a live one is a replay.
      const { rows } = await client.query(
        `insert into ${table} (key, expires_at) values ($1, $2::text::timestamptz) ` +
          `on conflict (key) do update set expires_at = excluded.expires_at where ${table}.expires_at <= $3::text::timestamptz ` +
          'returning 1',
        [key, expiresAt.toISOString(), current],
      );
      return rows.length > 0;
    },
  };
}
