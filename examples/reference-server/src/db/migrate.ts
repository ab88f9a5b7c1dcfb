import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { ServerError } from '../errors.ts';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

/** Kysely's bookkeeping table, kept in the same schema as the tables it describes. */
const migrationTable = 'kysely_migration';

export interface MigrationRun {
  /** Names of the server's migrations this run applied, in order; empty when the database was up to date. */
  applied: string[];
  /** Names of the packages' migrations (OneRoster store, LTI) this run applied. */
  packages?: string[];
}

export interface MigrationState {
  name: string;
  /** When it was applied; null while pending. */
  appliedAt: Date | null;
}

function createMigrator(db: Kysely<Database>, schema: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Named explicitly: without it Kysely looks for its table in every schema, and would find another one's.
    migrationTableSchema: schema,
    migrationTableName: migrationTable,
  });
}

/** Applies every pending migration, each in its own transaction. Throws `SERVER_MIGRATION_FAILED`. */
export async function runMigrations(db: Kysely<Database>, schema: string): Promise<MigrationRun> {
  const { error, results = [] } = await createMigrator(db, schema).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServerError(
      'SERVER_MIGRATION_FAILED',
      failed === undefined
        ? `Migrating the database failed: ${reason}`
        : `Migration ${failed} failed: ${reason}`,
      { cause: error, detail: { results } },
    );
  }
  return {
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}

/** Every known migration in order, with when it was applied. */
export async function listMigrations(db: Kysely<Database>, schema: string): Promise<MigrationState[]> {
  const known = await createMigrator(db, schema).getMigrations();
  return known.map((migration) => ({ name: migration.name, appliedAt: migration.executedAt ?? null }));
}

/** The name of the latest applied migration, or null when none is (a cheap query, fit for health checks). */
export async function latestMigration(db: Kysely<Database>, schema: string): Promise<string | null> {
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(`${schema}.${migrationTable}`)}
      order by name desc limit 1`.execute(db);
    return rows[0]?.name ?? null;
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') return null; // undefined_table: never migrated
    throw error;
  }
}
