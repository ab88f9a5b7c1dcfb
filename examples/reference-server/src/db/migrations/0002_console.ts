import { type Kysely, sql } from 'kysely';

/**
 * The console: the people who administer Passport (platform operators, district admins, partner developers),
 * application partners and what each district granted them, the history of roster imports, and API usage per
 * credential and day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_accounts')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('username', 'text', (column) => column.notNull().unique())
    .addColumn('display_name', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) =>
      column.notNull().check(sql`role in ('operator', 'district_admin', 'partner_developer')`),
    )
    .addColumn('tenant_id', 'text', (column) => column.references('tenants.id').onDelete('cascade'))
    .addColumn('partner_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'console_accounts_scope',
      sql`(role = 'operator' and tenant_id is null and partner_id is null)
        or (role = 'district_admin' and tenant_id is not null and partner_id is null)
        or (role = 'partner_developer' and partner_id is not null and tenant_id is null)`,
    )
    .execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('app_name', 'text', (column) => column.notNull())
    .addColumn('app_description', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  // One row per partner and district: who asked, what the district granted, and the credential issued for it.
  await db.schema
    .createTable('partner_access')
    .addColumn('partner_id', 'text', (column) =>
      column.notNull().references('partners.id').onDelete('cascade'),
    )
    .addColumn('tenant_id', 'text', (column) => column.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('status', 'text', (column) =>
      column.notNull().check(sql`status in ('requested', 'invited', 'granted', 'declined', 'revoked')`),
    )
    .addColumn('requested_scopes', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('granted_scopes', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('client_id', 'text')
    .addColumn('message', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('partner_access_pk', ['partner_id', 'tenant_id'])
    .execute();

  await db.schema
    .createTable('roster_imports')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('tenant_id', 'text', (column) => column.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('actor', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) =>
      column.notNull().check(sql`status in ('applied', 'held', 'invalid', 'failed')`),
    )
    .addColumn('counts', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('finding_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('findings', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('message', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('started_at', 'timestamptz', (column) => column.notNull())
    .addColumn('finished_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('roster_imports_tenant_started')
    .on('roster_imports')
    .columns(['tenant_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('api_usage')
    .addColumn('client_id', 'text', (column) => column.notNull())
    .addColumn('tenant_id', 'text', (column) => column.notNull())
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('requests', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('refused', 'integer', (column) => column.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('api_usage_pk', ['client_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_usage').execute();
  await db.schema.dropTable('roster_imports').execute();
  await db.schema.dropTable('partner_access').execute();
  await db.schema.dropTable('partners').execute();
  await db.schema.dropTable('console_accounts').execute();
}
