import type { SqlClient } from '@passport/core';

/**
 * The tables of the PostgreSQL adapters, as ordered migrations of single statements (PGlite's `query` runs one
 * statement at a time). Every statement is idempotent, so running them twice, or from two processes, is harmless.
 * A host with its own migration tool (the reference server's Kysely migrations) can run `ltiMigrations` itself.
 */
export interface LtiMigration {
  readonly id: string;
  readonly statements: readonly string[];
}

export const ltiMigrations: readonly LtiMigration[] = [
  {
    id: '0001_lti13_tool_and_platform',
    statements: [
      `CREATE TABLE IF NOT EXISTS lti_platform_registrations (
        issuer text NOT NULL,
        client_id text NOT NULL,
        authorization_endpoint text NOT NULL,
        token_endpoint text NOT NULL,
        jwks_uri text NOT NULL,
        token_audience text,
        algorithms jsonb,
        status text NOT NULL CHECK (status IN ('active', 'pending')),
        name text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, client_id)
      )`,
      `CREATE TABLE IF NOT EXISTS lti_deployments (
        issuer text NOT NULL,
        client_id text NOT NULL,
        deployment_id text NOT NULL,
        name text,
        PRIMARY KEY (issuer, client_id, deployment_id),
        FOREIGN KEY (issuer, client_id) REFERENCES lti_platform_registrations (issuer, client_id) ON DELETE CASCADE
      )`,
      `CREATE TABLE IF NOT EXISTS lti_login_states (
        state text PRIMARY KEY,
        nonce text NOT NULL UNIQUE,
        issuer text NOT NULL,
        client_id text,
        deployment_id text,
        target_link_uri text NOT NULL,
        storage_target text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`,
      'CREATE INDEX IF NOT EXISTS lti_login_states_expires_at ON lti_login_states (expires_at)',
      `CREATE TABLE IF NOT EXISTS lti_keys (
        ring text NOT NULL,
        kid text NOT NULL,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        retired_at timestamptz,
        expires_at timestamptz,
        PRIMARY KEY (ring, kid)
      )`,
      `CREATE TABLE IF NOT EXISTS lti_access_tokens (
        cache_key text PRIMARY KEY,
        access_token text NOT NULL,
        scopes jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS lti_replay_guard (
        key text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS lti_tools (
        client_id text PRIMARY KEY,
        registration jsonb NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS lti_pending_launches (
        id text PRIMARY KEY,
        launch jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS lti_schema_migrations (
        id text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
];

/** Applies the migrations not yet recorded in `lti_schema_migrations`; resolves the ids it applied. */
export async function migrateLtiSchema(client: SqlClient): Promise<string[]> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS lti_schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query<{ id: string }>('SELECT id FROM lti_schema_migrations');
  const applied = new Set(rows.map((row) => row.id));
  const ran: string[] = [];
  for (const migration of ltiMigrations) {
    if (applied.has(migration.id)) continue;
    for (const statement of migration.statements) await client.query(statement);
    await client.query('INSERT INTO lti_schema_migrations (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
      migration.id,
    ]);
    ran.push(migration.id);
  }
  return ran;
}
