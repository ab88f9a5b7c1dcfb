import type { SqlClient } from '@passport/core';
import type { RosterDirectory } from '../../ports.ts';
import type { SsoStores } from '../../sso-idp.ts';
import {
  PostgresAccountLinkStore,
  PostgresAppRegistry,
  PostgresAttemptCounter,
  PostgresAuditLog,
  PostgresBadgeStore,
  PostgresDistrictRegistry,
  PostgresKeyStore,
  PostgresOidcArtifactStore,
  PostgresOneTimeStore,
  PostgresPasswordStore,
  PostgresSessionStore,
} from './postgres-stores.ts';

export { migrateSsoSchema, type SsoMigration, ssoMigrations } from './migrations.ts';
export {
  PostgresAccountLinkStore,
  PostgresAppRegistry,
  PostgresAttemptCounter,
  PostgresAuditLog,
  PostgresBadgeStore,
  PostgresDistrictRegistry,
  PostgresKeyStore,
  PostgresOidcArtifactStore,
  PostgresOneTimeStore,
  PostgresPasswordStore,
  PostgresSessionStore,
} from './postgres-stores.ts';

/**
 * Every store on one PostgreSQL (a `pg` Pool) or PGlite database, migrated with `migrateSsoSchema`. The roster is
 * not Passport SSO's to store: pass the `RosterDirectory` over the roster store.
 */
export function createPostgresStores(sql: SqlClient, roster: RosterDirectory): SsoStores {
  return {
    apps: new PostgresAppRegistry(sql),
    roster,
    districts: new PostgresDistrictRegistry(sql),
    sessions: new PostgresSessionStore(sql),
    oidcArtifacts: new PostgresOidcArtifactStore(sql),
    keys: new PostgresKeyStore(sql),
    passwords: new PostgresPasswordStore(sql),
    oneTime: new PostgresOneTimeStore(sql),
    attempts: new PostgresAttemptCounter(sql),
    audit: new PostgresAuditLog(sql),
    links: new PostgresAccountLinkStore(sql),
    badges: new PostgresBadgeStore(sql),
  };
}
