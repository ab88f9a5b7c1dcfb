export { type LtiMigration, ltiMigrations, migrateLtiSchema } from './migrations.ts';
export {
  PostgresAccessTokenStore,
  PostgresKeyStore,
  PostgresLoginStateStore,
  PostgresPendingLaunchStore,
  PostgresPlatformRegistry,
  PostgresReplayGuard,
  PostgresToolRegistry,
} from './postgres-stores.ts';
