import { type Kysely, sql } from 'kysely';

/**
 * The teacher and grade path: the LMS instances that launch the tool (each belongs to a district), the AGS and NRPS
 * endpoints of each LMS course from its latest launch, each district's Coursera connection, the deep linking
 * sessions of the content picker, and the items a teacher deep-linked one by one (option A) until their LMS line
 * items are known. The grade sync engine and the Coursera connector keep their own tables (package migrations).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lms_instances')
    .addColumn('lms_id', 'text', (column) => column.primaryKey())
    .addColumn('issuer', 'text', (column) => column.notNull())
    .addColumn('client_id', 'text', (column) => column.notNull())
    .addColumn('deployment_id', 'text', (column) => column.notNull())
    .addColumn('tenant_id', 'text', (column) => column.references('tenants.id').onDelete('set null'))
    .addColumn('name', 'text')
    .addColumn('first_launch_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('last_launch_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('lms_instances_platform', ['issuer', 'client_id', 'deployment_id'])
    .execute();

  await db.schema
    .createTable('lms_course_services')
    .addColumn('lms_id', 'text', (column) =>
      column.notNull().references('lms_instances.lms_id').onDelete('cascade'),
    )
    .addColumn('context_id', 'text', (column) => column.notNull())
    .addColumn('title', 'text')
    .addColumn('ags', 'jsonb')
    .addColumn('nrps', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('lms_course_services_pk', ['lms_id', 'context_id'])
    .execute();

  await db.schema
    .createTable('coursera_connections')
    .addColumn('tenant_id', 'text', (column) =>
      column.primaryKey().references('tenants.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('client_id', 'text', (column) => column.notNull())
    /** Sealed with the server's sealing key (AES-GCM), never stored in the clear. */
    .addColumn('client_secret', 'text', (column) => column.notNull())
    .addColumn('api_url', 'text')
    .addColumn('accounts_url', 'text')
    .addColumn('redirect_uri', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('deep_link_sessions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('lms_id', 'text', (column) =>
      column.notNull().references('lms_instances.lms_id').onDelete('cascade'),
    )
    .addColumn('request', 'jsonb', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('deep_link_sessions_expiry')
    .on('deep_link_sessions')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('deep_link_items')
    .addColumn('binding_id', 'text', (column) => column.notNull())
    .addColumn('item_id', 'text', (column) => column.notNull())
    .addColumn('resource_id', 'text', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('line_item_id', 'text')
    .addColumn('linked_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deep_link_items_pk', ['binding_id', 'item_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deep_link_items').execute();
  await db.schema.dropTable('deep_link_sessions').execute();
  await db.schema.dropTable('coursera_connections').execute();
  await db.schema.dropTable('lms_course_services').execute();
  await db.schema.dropTable('lms_instances').execute();
}
