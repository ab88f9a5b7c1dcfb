import type { SqlClient } from '@passport/core';

/**
 * The tables of the PostgreSQL adapters, as ordered migrations of single statements (PGlite's `query` runs one
 * statement at a time). Every statement is idempotent, so running them twice, or from two processes, is harmless.
 * A host with its own migration tool can run `ssoMigrations` itself.
 */
export interface SsoMigration {
  readonly id: string;
  readonly statements: readonly string[];
}

export const ssoMigrations: readonly SsoMigration[] = [
  {
    id: '0001_sso_idp',
    statements: [
      `CREATE TABLE IF NOT EXISTS sso_apps (
        app_id text PRIMARY KEY,
        partner_id text NOT NULL,
        name text NOT NULL,
        client_id text UNIQUE,
        saml_entity_id text UNIQUE,
        registration jsonb NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS sso_grants (
        district_id text NOT NULL,
        app_id text NOT NULL REFERENCES sso_apps (app_id) ON DELETE CASCADE,
        grant_record jsonb NOT NULL,
        PRIMARY KEY (district_id, app_id)
      )`,
      `CREATE TABLE IF NOT EXISTS sso_districts (
        district_id text PRIMARY KEY,
        name text NOT NULL,
        district jsonb NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS sso_sessions (
        session_id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        previous_token_hash text,
        previous_token_valid_until timestamptz,
        user_id text NOT NULL,
        district_id text NOT NULL,
        sign_in_method_id text NOT NULL,
        amr jsonb NOT NULL,
        auth_time timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        rotated_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        saml_participants jsonb NOT NULL DEFAULT '[]'::jsonb
      )`,
      'CREATE INDEX IF NOT EXISTS sso_sessions_previous_token_hash ON sso_sessions (previous_token_hash)',
      'CREATE INDEX IF NOT EXISTS sso_sessions_expires_at ON sso_sessions (expires_at)',
      'CREATE INDEX IF NOT EXISTS sso_sessions_user_id ON sso_sessions (user_id)',
      `CREATE TABLE IF NOT EXISTS sso_one_time (
        key text PRIMARY KEY,
        value text NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      'CREATE INDEX IF NOT EXISTS sso_one_time_expires_at ON sso_one_time (expires_at)',
      `CREATE TABLE IF NOT EXISTS sso_attempts (
        key text PRIMARY KEY,
        count integer NOT NULL,
        window_ends_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS sso_audit_events (
        event_id text PRIMARY KEY,
        seq bigserial,
        at timestamptz NOT NULL,
        type text NOT NULL,
        district_id text,
        user_id text,
        app_id text,
        code text,
        via text,
        ip text,
        detail jsonb
      )`,
      'CREATE INDEX IF NOT EXISTS sso_audit_events_user ON sso_audit_events (user_id, at DESC)',
      'CREATE INDEX IF NOT EXISTS sso_audit_events_district ON sso_audit_events (district_id, at DESC)',
      `CREATE TABLE IF NOT EXISTS sso_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        retired_at timestamptz
      )`,
      `CREATE TABLE IF NOT EXISTS sso_passwords (
        district_id text NOT NULL,
        username text NOT NULL,
        user_id text NOT NULL,
        password_hash text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (district_id, username)
      )`,
      `CREATE TABLE IF NOT EXISTS sso_oidc_artifacts (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        expires_at timestamptz,
        grant_id text,
        uid text,
        user_code text,
        PRIMARY KEY (model, id)
      )`,
      'CREATE INDEX IF NOT EXISTS sso_oidc_artifacts_grant_id ON sso_oidc_artifacts (grant_id)',
      'CREATE INDEX IF NOT EXISTS sso_oidc_artifacts_uid ON sso_oidc_artifacts (model, uid)',
      'CREATE INDEX IF NOT EXISTS sso_oidc_artifacts_user_code ON sso_oidc_artifacts (model, user_code)',
      'CREATE INDEX IF NOT EXISTS sso_oidc_artifacts_expires_at ON sso_oidc_artifacts (expires_at)',
      `CREATE TABLE IF NOT EXISTS sso_account_links (
        user_id text NOT NULL,
        app_id text NOT NULL,
        external_account_id text NOT NULL,
        method text NOT NULL CHECK (method IN ('verified', 'created')),
        linked_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, app_id),
        UNIQUE (app_id, external_account_id)
      )`,
    ],
  },
  {
    id: '0002_sso_badges',
    statements: [
      `CREATE TABLE IF NOT EXISTS sso_badges (
        badge_id text PRIMARY KEY,
        district_id text NOT NULL,
        user_id text NOT NULL,
        secret_hash text NOT NULL,
        issued_at timestamptz NOT NULL,
        issued_by text,
        expires_at timestamptz,
        revoked_at timestamptz
      )`,
      'CREATE INDEX IF NOT EXISTS sso_badges_user ON sso_badges (district_id, user_id, issued_at DESC)',
    ],
  },
];

/** Applies the migrations not yet recorded in `sso_schema_migrations`; resolves the ids it applied. */
export async function migrateSsoSchema(client: SqlClient): Promise<string[]> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS sso_schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query<{ id: string }>('SELECT id FROM sso_schema_migrations');
  const applied = new Set(rows.map((row) => row.id));
  const ran: string[] = [];
  for (const migration of ssoMigrations) {
    if (applied.has(migration.id)) continue;
    for (const statement of migration.statements) await client.query(statement);
    await client.query('INSERT INTO sso_schema_migrations (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
      migration.id,
    ]);
    ran.push(migration.id);
  }
  return ran;
}
