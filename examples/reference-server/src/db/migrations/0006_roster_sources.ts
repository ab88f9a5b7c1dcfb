import { type Kysely, sql } from 'kysely';

/**
 * Where a district's roster comes from on its own: a OneRoster API to pull from, or a CSV package published at a
 * URL, each with its credentials (the secret sealed with the server's sealing key) and an optional schedule (a cron
 * expression in the district's time zone, run by pg-boss). Each run is an ordinary import in `roster_imports`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roster_sources')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('tenant_id', 'text', (column) => column.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) =>
      column.notNull().check(sql`kind in ('oneroster-api', 'package-url')`),
    )
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('auth', 'text', (column) =>
      column.notNull().check(sql`auth in ('oauth2', 'oauth1', 'bearer', 'basic', 'none')`),
    )
    .addColumn('token_url', 'text')
    .addColumn('client_id', 'text')
    .addColumn('secret', 'text')
    .addColumn('schedule', 'text')
    .addColumn('time_zone', 'text', (column) => column.notNull().defaultTo('UTC'))
    .addColumn('confirm_held', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_import_id', 'text')
    .addColumn('last_status', 'text')
    .execute();
  await db.schema.createIndex('roster_sources_tenant').on('roster_sources').column('tenant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('roster_sources').execute();
}
