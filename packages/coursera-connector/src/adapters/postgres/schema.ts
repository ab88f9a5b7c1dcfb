import type { SqlClient } from '@passport/core';

/**
 * The tables the connector's PostgreSQL adapters use. Unqualified names: the connection's `search_path` picks the
 * schema. Idempotent: safe to run at every start.
 */
export const connectorSchemaStatements: readonly string[] = [
  `create table if not exists passport_connector_tokens (
    key text primary key,
    access_token text not null,
    access_token_expires_at timestamptz not null,
    refresh_token text not null,
    refresh_token_expires_at timestamptz not null,
    scope text not null,
    consented_at timestamptz not null,
    updated_at timestamptz not null default now()
  )`,
  `create table if not exists passport_connector_catalog_snapshots (
    platform text not null,
    organization_id text not null,
    taken_at timestamptz not null,
    snapshot jsonb not null,
    primary key (platform, organization_id)
  )`,
  `create table if not exists passport_connector_license_programs (
    platform text not null,
    organization_id text not null,
    program_id text not null,
    seats integer check (seats is null or seats >= 0),
    used integer not null default 0 check (used >= 0),
    primary key (platform, organization_id, program_id)
  )`,
  `create table if not exists passport_connector_license_seats (
    platform text not null,
    organization_id text not null,
    program_id text not null,
    learner_external_id text not null,
    taken_at timestamptz not null,
    primary key (platform, organization_id, program_id, learner_external_id)
  )`,
];

export async function migrateConnectorSchema(sql: SqlClient): Promise<void> {
  for (const statement of connectorSchemaStatements) await sql.query(statement);
}
