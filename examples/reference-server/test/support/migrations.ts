import { migrations } from '../../src/db/migrations/index.ts';

/** The server's migrations in order, and the newest: what a fresh database reports after migrating. */
export const migrationNames = Object.keys(migrations);
export const latestMigration = migrationNames.at(-1) ?? '';
