import { type Kysely, sql } from 'kysely';

/**
 * The demo LMS (`src/demo-lms`): its users and courses (copied from a tenant's roster), enrollments, sign-in
 * sessions, the activities deep-linked into courses, and the gradebook (AGS line items and the latest score of
 * each user). The LTI platform's own stores (tools, pending launches, keys) are @passport/lti13's tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('demo_lms_users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('given_name', 'text', (column) => column.notNull())
    .addColumn('family_name', 'text', (column) => column.notNull())
    .addColumn('email', 'text')
    .addColumn('username', 'text')
    .addColumn('role', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('demo_lms_courses')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('code', 'text')
    .addColumn('school_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('demo_lms_enrollments')
    .addColumn('course_id', 'text', (column) =>
      column.notNull().references('demo_lms_courses.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (column) =>
      column.notNull().references('demo_lms_users.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('demo_lms_enrollments_pkey', ['course_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('demo_lms_enrollments_user')
    .on('demo_lms_enrollments')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('demo_lms_sessions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) =>
      column.notNull().references('demo_lms_users.id').onDelete('cascade'),
    )
    .addColumn('csrf_token', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('demo_lms_activities')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('course_id', 'text', (column) =>
      column.notNull().references('demo_lms_courses.id').onDelete('cascade'),
    )
    .addColumn('client_id', 'text', (column) => column.notNull())
    .addColumn('deployment_id', 'text', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('text', 'text')
    .addColumn('url', 'text')
    .addColumn('custom', 'jsonb')
    .addColumn('line_item_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('demo_lms_activities_course')
    .on('demo_lms_activities')
    .columns(['course_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('demo_lms_line_items')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('context_id', 'text', (column) => column.notNull())
    .addColumn('client_id', 'text', (column) => column.notNull())
    .addColumn('label', 'text', (column) => column.notNull())
    .addColumn('score_maximum', 'double precision', (column) => column.notNull())
    .addColumn('resource_link_id', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('tag', 'text')
    .addColumn('start_date_time', 'text')
    .addColumn('end_date_time', 'text')
    .addColumn('grades_released', 'boolean')
    .addColumn('extensions', 'jsonb')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('demo_lms_line_items_context')
    .on('demo_lms_line_items')
    .columns(['context_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('demo_lms_scores')
    .addColumn('line_item_id', 'text', (column) =>
      column.notNull().references('demo_lms_line_items.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('score_given', 'double precision')
    .addColumn('score_maximum', 'double precision')
    .addColumn('comment', 'text')
    .addColumn('activity_progress', 'text', (column) => column.notNull())
    .addColumn('grading_progress', 'text', (column) => column.notNull())
    .addColumn('timestamp', 'text', (column) => column.notNull())
    .addColumn('extensions', 'jsonb')
    .addColumn('received_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('demo_lms_scores_pkey', ['line_item_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'demo_lms_scores',
    'demo_lms_line_items',
    'demo_lms_activities',
    'demo_lms_sessions',
    'demo_lms_enrollments',
    'demo_lms_courses',
    'demo_lms_users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
