import { type Kysely, sql } from 'kysely';

/**
 * A student's way from an LMS launch to the learning platform: the SSO hand-off settings of a district's Coursera
 * connection (the learner-facing site and the shared secret, sealed), and one-time tickets that carry a verified
 * launch out of the LMS frame into a first-party window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table coursera_connections add column hand_off_url text`.execute(db);
  await sql`alter table coursera_connections add column hand_off_secret text`.execute(db);
  await db.schema
    .createTable('launch_tickets')
    .addColumn('ticket_hash', 'text', (column) => column.primaryKey())
    .addColumn('tenant_id', 'text', (column) => column.notNull())
    .addColumn('launch', 'jsonb', (column) => column.notNull())
    .addColumn('target', 'jsonb', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('launch_tickets_expires').on('launch_tickets').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('launch_tickets').execute();
  await sql`alter table coursera_connections drop column hand_off_secret`.execute(db);
  await sql`alter table coursera_connections drop column hand_off_url`.execute(db);
}
