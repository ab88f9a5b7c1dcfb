import type { SqlClient } from '@passport/core';
import { migrateLtiSchema } from '@passport/lti13/postgres';
import { migrateOneRosterStore } from '@passport/oneroster/postgres';

/**
 * The packages' own tables (each package versions its migrations itself), applied after the server's migrations
 * in the same schema, on PGlite and PostgreSQL alike. Resolves the names of the migrations applied now.
 */
export async function migratePackages(sql: SqlClient, schema: string): Promise<string[]> {
  const applied: string[] = [];
  applied.push(...(await migrateOneRosterStore(sql, schema === 'public' ? {} : { schema })));
  applied.push(...(await migrateLtiSchema(sql)));
  return applied;
}
