import type { SqlClient } from '@passport/core';
import type { AccessTokenStore, KeyStore, LoginStateStore, PlatformRegistry } from '@passport/lti13';
import {
  migrateLtiSchema,
  PostgresAccessTokenStore,
  PostgresKeyStore,
  PostgresLoginStateStore,
  PostgresPlatformRegistry,
} from '@passport/lti13/postgres';

/** The key ring of the server's LTI tool in `lti_keys` (the demo LMS, the platform side, will use another ring). */
export const toolKeyRing = 'lti-tool';

/**
 * Creates the LTI 1.3 tables (@passport/lti13's own migrations) if they are missing. Idempotent: safe on every start
 * and every command. The tables land in the handle's schema, since its connections set the search path.
 */
export async function migrateLtiStorage(database: { readonly sql: SqlClient }): Promise<string[]> {
  return await migrateLtiSchema(database.sql);
}

/** The tool side's storage, on the server's database. */
export interface LtiToolStores {
  readonly registry: PlatformRegistry;
  readonly loginStates: LoginStateStore;
  readonly keys: KeyStore;
  readonly accessTokens: AccessTokenStore;
}

export function createLtiToolStores(sql: SqlClient): LtiToolStores {
  return {
    registry: new PostgresPlatformRegistry(sql),
    loginStates: new PostgresLoginStateStore(sql),
    keys: new PostgresKeyStore(sql, toolKeyRing),
    accessTokens: new PostgresAccessTokenStore(sql),
  };
}
