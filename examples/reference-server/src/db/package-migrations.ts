import { migrateGradeSyncSchema } from '@passport/ags-gradesync';
import type { SqlClient } from '@passport/core';
import { migrateConnectorSchema } from '@passport/coursera-connector/postgres';
import { migrateLtiSchema } from '@passport/lti13/postgres';
import { migrateOneRosterStore } from '@passport/oneroster/postgres';
import { migrateSsoSchema } from '@passport/sso-idp/postgres';

/**
 * The packages' own tables (each package versions its migrations itself), applied after the server's migrations
 * in the same schema, on PGlite and PostgreSQL alike. Resolves the names of the migrations applied now.
 */
export async function migratePackages(sql: SqlClient, schema: string): Promise<string[]> {
  const applied: string[] = [];
  applied.push(...(await migrateOneRosterStore(sql, schema === 'public' ? {} : { schema })));
  applied.push(...(await migrateLtiSchema(sql)));
  applied.push(...(await migrateSsoSchema(sql)));
  // Idempotent `create ... if not exists` statements, unversioned: they report no names.
  await migrateGradeSyncSchema(sql);
  await migrateConnectorSchema(sql);
  return applied;
}
