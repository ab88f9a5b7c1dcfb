import type { SqlClient } from '@passport/core';

/**
 * The tables of the grade sync PostgreSQL adapters. Unqualified names: the connection's `search_path` picks the
 * schema. Times are epoch milliseconds (`bigint`), as the ports speak them. Idempotent: safe to run at every start.
 */
export const gradeSyncSchemaStatements: readonly string[] = [
  `create table if not exists gradesync_outbox (
    id text primary key,
    lms_id text not null,
    context_id text not null,
    binding_id text not null,
    run_id text not null,
    slot text not null,
    line_item_id text not null,
    user_id text not null,
    learner_external_id text not null,
    score jsonb not null,
    fingerprint text not null,
    source_updated_at bigint not null,
    resend boolean not null default false,
    version integer not null default 1,
    attempts integer not null default 0,
    available_at bigint not null,
    enqueued_at bigint not null,
    last_error text,
    claim_token text,
    unique (line_item_id, user_id)
  )`,
  'create index if not exists gradesync_outbox_due on gradesync_outbox (lms_id, available_at)',
  'create index if not exists gradesync_outbox_binding on gradesync_outbox (binding_id)',
  `create table if not exists gradesync_sent (
    line_item_id text not null,
    user_id text not null,
    fingerprint text not null,
    score_timestamp bigint not null,
    source_updated_at bigint not null,
    score jsonb not null,
    sent_at bigint not null,
    primary key (line_item_id, user_id)
  )`,
  `create table if not exists gradesync_watermarks (
    key text primary key,
    value text not null
  )`,
  `create table if not exists gradesync_bindings (
    id text primary key,
    tenant_id text not null,
    lms_id text not null,
    binding jsonb not null
  )`,
  `create table if not exists gradesync_modes (
    lms_id text primary key,
    mode text not null
  )`,
  `create table if not exists gradesync_line_item_slots (
    binding_id text not null,
    slot text not null,
    line_item_id text not null,
    score_maximum double precision not null,
    created_by_engine boolean not null,
    primary key (binding_id, slot)
  )`,
  `create table if not exists gradesync_leases (
    key text primary key,
    owner text not null,
    until bigint not null
  )`,
  `create table if not exists gradesync_circuits (
    lms_id text primary key,
    state text not null check (state in ('closed', 'open')),
    failures integer not null,
    opened_at bigint,
    probe_until bigint,
    version integer not null
  )`,
  `create table if not exists gradesync_dead_letters (
    id text primary key,
    lms_id text not null,
    binding_id text not null,
    run_id text not null,
    entry jsonb not null,
    reason text not null,
    message text not null,
    failed_at bigint not null
  )`,
  `create table if not exists gradesync_audit (
    key text primary key,
    seq bigserial,
    at bigint not null,
    kind text not null,
    lms_id text not null,
    binding_id text,
    run_id text,
    line_item_id text,
    user_id text,
    actor text,
    detail jsonb not null
  )`,
  'create index if not exists gradesync_audit_run on gradesync_audit (run_id, kind)',
  `create table if not exists gradesync_runs (
    id text primary key,
    tenant_id text not null,
    binding_id text not null,
    started_at bigint not null,
    run jsonb not null
  )`,
  `create table if not exists gradesync_launches (
    lms_id text not null,
    user_id text not null,
    email text,
    sourced_id text,
    at bigint not null,
    primary key (lms_id, user_id)
  )`,
  `create table if not exists gradesync_account_links (
    lms_id text not null,
    platform text not null,
    external_id text not null,
    user_id text not null,
    at bigint not null,
    primary key (lms_id, platform, external_id)
  )`,
  `create table if not exists gradesync_partner_assignments (
    id text primary key,
    app_id text not null,
    class_id text not null,
    created_at bigint not null,
    assignment jsonb not null
  )`,
  'create index if not exists gradesync_partner_assignments_app on gradesync_partner_assignments (app_id, class_id)',
  `create table if not exists gradesync_partner_submissions (
    assignment_id text not null,
    user_id text not null,
    submission jsonb not null,
    primary key (assignment_id, user_id)
  )`,
];

export async function migrateGradeSyncSchema(sql: SqlClient): Promise<void> {
  for (const statement of gradeSyncSchemaStatements) await sql.query(statement);
}

/** PostgreSQL `bigint` arrives as a string (pg) or a bigint (PGlite): both become numbers of milliseconds. */
export const toNumber = (value: unknown): number => Number(value);

/** `jsonb` arrives parsed from both drivers; a string is parsed (a driver configured to leave JSON alone). */
export function fromJson<Value>(value: unknown): Value {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Value;
}
