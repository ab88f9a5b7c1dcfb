import type { SqlClient } from '@passport/core';

/**
 * The packages' own tables (each package versions its migrations itself), applied after the server's migrations
 * in the same schema, on PGlite and PostgreSQL alike. Resolves the names of the migrations applied now.
 */
export async function migratePackages(sql: SqlClient, schema: string): Promise<string[]> {
  // Loaded here, not at the top: every CLI command opens the database, and most never migrate it.
  const [
    { migrateGradeSyncSchema },
    { migrateConnectorSchema },
    { migrateLtiSchema },
    { migrateOneRosterStore },
    { migrateSsoSchema },
  ] = await Promise.all([
    import('@passport/ags-gradesync'),
    import('@passport/coursera-connector/postgres'),
    import('@passport/lti13/postgres'),
    import('@passport/oneroster/postgres'),
    import('@passport/sso-idp/postgres'),
  ]);
  const applied: string[] = [];
  applied.push(...(await migrateOneRosterStore(sql, schema === 'public' ? {} : { schema })));
  applied.push(...(await migrateLtiSchema(sql)));
  applied.push(...(await migrateSsoSchema(sql)));
  // Idempotent `create ... if not exists` statements, unversioned: they report no names.
  await migrateGradeSyncSchema(sql);
  await migrateConnectorSchema(sql);
  return applied;
}
