// @passport/oneroster/postgres: the roster store and the OAuth stores on PostgreSQL or PGlite, over any
// `SqlClient` (a pg Pool or Client, a PGlite instance, or a client with `transaction()`), and their migrations.

export type { ListCacheOptions } from './list-cache.ts';
export {
  type MigrateOptions,
  migrateOneRosterStore,
  type OneRosterMigration,
  oneRosterMigrations,
} from './migrations.ts';
export {
  createPostgresCredentialStore,
  createPostgresNonceStore,
  createPostgresTokenStore,
  type PostgresAuthStoreOptions,
} from './postgres-auth-stores.ts';
export { createPostgresRosterStore, type PostgresRosterStoreOptions } from './postgres-roster-store.ts';
