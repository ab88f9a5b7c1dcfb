import type { Clock, SqlClient } from '@passport/core';
import type { JWK } from 'jose';
import type {
  AccessTokenStore,
  CachedAccessToken,
  Deployment,
  KeyStore,
  LoginState,
  LoginStateStore,
  PendingLaunch,
  PendingLaunchStore,
  PlatformRegistration,
  PlatformRegistry,
  ReplayGuard,
  StoredKey,
  ToolRegistration,
  ToolRegistry,
} from '../../ports.ts';

/*
 * PostgreSQL adapters over `SqlClient` (`pg` Pool or Client, PGlite). Run `migrateLtiSchema` first. Dates come back
 * as `Date` from both drivers; JSON columns are `jsonb`, sent as text and cast.
 */

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

interface RegistrationRow {
  issuer: string;
  client_id: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  token_audience: string | null;
  algorithms: unknown;
  status: 'active' | 'pending';
  name: string | null;
}

function registrationFromRow(row: RegistrationRow): PlatformRegistration {
  const algorithms = json(row.algorithms) as string[] | null;
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    authorizationEndpoint: row.authorization_endpoint,
    tokenEndpoint: row.token_endpoint,
    jwksUri: row.jwks_uri,
    status: row.status,
    ...(row.token_audience === null ? {} : { tokenAudience: row.token_audience }),
    ...(algorithms === null ? {} : { algorithms }),
    ...(row.name === null ? {} : { name: row.name }),
  };
}

interface DeploymentRow {
  issuer: string;
  client_id: string;
  deployment_id: string;
  name: string | null;
}

const deploymentFromRow = (row: DeploymentRow): Deployment => ({
  issuer: row.issuer,
  clientId: row.client_id,
  deploymentId: row.deployment_id,
  ...(row.name === null ? {} : { name: row.name }),
});

export class PostgresPlatformRegistry implements PlatformRegistry {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async getRegistration(issuer: string, clientId: string) {
    const { rows } = await this.#sql.query<RegistrationRow>(
      'SELECT * FROM lti_platform_registrations WHERE issuer = $1 AND client_id = $2',
      [issuer, clientId],
    );
    return rows[0] === undefined ? undefined : registrationFromRow(rows[0]);
  }

  async listRegistrations(filter: { issuer?: string } = {}) {
    const { rows } =
      filter.issuer === undefined
        ? await this.#sql.query<RegistrationRow>(
            'SELECT * FROM lti_platform_registrations ORDER BY issuer, client_id',
          )
        : await this.#sql.query<RegistrationRow>(
            'SELECT * FROM lti_platform_registrations WHERE issuer = $1 ORDER BY client_id',
            [filter.issuer],
          );
    return rows.map(registrationFromRow);
  }

  async saveRegistration(registration: PlatformRegistration) {
    await this.#sql.query(
      `INSERT INTO lti_platform_registrations
         (issuer, client_id, authorization_endpoint, token_endpoint, jwks_uri, token_audience, algorithms, status, name, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, now())
       ON CONFLICT (issuer, client_id) DO UPDATE SET
         authorization_endpoint = EXCLUDED.authorization_endpoint, token_endpoint = EXCLUDED.token_endpoint,
         jwks_uri = EXCLUDED.jwks_uri, token_audience = EXCLUDED.token_audience, algorithms = EXCLUDED.algorithms,
         status = EXCLUDED.status, name = EXCLUDED.name, updated_at = now()`,
      [
        registration.issuer,
        registration.clientId,
        registration.authorizationEndpoint,
        registration.tokenEndpoint,
        registration.jwksUri,
        orNull(registration.tokenAudience),
        registration.algorithms === undefined ? null : JSON.stringify(registration.algorithms),
        registration.status,
        orNull(registration.name),
      ],
    );
  }

  async removeRegistration(issuer: string, clientId: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM lti_platform_registrations WHERE issuer = $1 AND client_id = $2 RETURNING issuer',
      [issuer, clientId],
    );
    return rows.length > 0;
  }

  async getDeployment(issuer: string, clientId: string, deploymentId: string) {
    const { rows } = await this.#sql.query<DeploymentRow>(
      'SELECT * FROM lti_deployments WHERE issuer = $1 AND client_id = $2 AND deployment_id = $3',
      [issuer, clientId, deploymentId],
    );
    return rows[0] === undefined ? undefined : deploymentFromRow(rows[0]);
  }

  async listDeployments(issuer: string, clientId: string) {
    const { rows } = await this.#sql.query<DeploymentRow>(
      'SELECT * FROM lti_deployments WHERE issuer = $1 AND client_id = $2 ORDER BY deployment_id',
      [issuer, clientId],
    );
    return rows.map(deploymentFromRow);
  }

  async saveDeployment(deployment: Deployment) {
    await this.#sql.query(
      `INSERT INTO lti_deployments (issuer, client_id, deployment_id, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (issuer, client_id, deployment_id) DO UPDATE SET name = EXCLUDED.name`,
      [deployment.issuer, deployment.clientId, deployment.deploymentId, orNull(deployment.name)],
    );
  }

  async removeDeployment(issuer: string, clientId: string, deploymentId: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM lti_deployments WHERE issuer = $1 AND client_id = $2 AND deployment_id = $3 RETURNING issuer',
      [issuer, clientId, deploymentId],
    );
    return rows.length > 0;
  }
}

interface LoginStateRow {
  state: string;
  nonce: string;
  issuer: string;
  client_id: string | null;
  deployment_id: string | null;
  target_link_uri: string;
  storage_target: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const loginFromRow = (row: LoginStateRow): LoginState => ({
  state: row.state,
  nonce: row.nonce,
  issuer: row.issuer,
  clientId: orUndefined(row.client_id),
  deploymentId: orUndefined(row.deployment_id),
  targetLinkUri: row.target_link_uri,
  storageTarget: orUndefined(row.storage_target),
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  usedAt: row.used_at === null ? undefined : toDate(row.used_at),
});

export class PostgresLoginStateStore implements LoginStateStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async save(login: LoginState) {
    await this.#sql.query(
      `INSERT INTO lti_login_states (state, nonce, issuer, client_id, deployment_id, target_link_uri, storage_target, created_at, expires_at, used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        login.state,
        login.nonce,
        login.issuer,
        orNull(login.clientId),
        orNull(login.deploymentId),
        login.targetLinkUri,
        orNull(login.storageTarget),
        login.createdAt,
        login.expiresAt,
        orNull(login.usedAt),
      ],
    );
  }

  async get(state: string) {
    const { rows } = await this.#sql.query<LoginStateRow>('SELECT * FROM lti_login_states WHERE state = $1', [
      state,
    ]);
    return rows[0] === undefined ? undefined : loginFromRow(rows[0]);
  }

  async getByNonce(nonce: string) {
    const { rows } = await this.#sql.query<LoginStateRow>('SELECT * FROM lti_login_states WHERE nonce = $1', [
      nonce,
    ]);
    return rows[0] === undefined ? undefined : loginFromRow(rows[0]);
  }

  async markUsed(state: string, at: Date) {
    const { rows } = await this.#sql.query(
      'UPDATE lti_login_states SET used_at = $2 WHERE state = $1 AND used_at IS NULL RETURNING state',
      [state, at],
    );
    return rows.length === 1;
  }

  async deleteExpired(before: Date) {
    const { rows } = await this.#sql.query(
      'DELETE FROM lti_login_states WHERE expires_at < $1 RETURNING state',
      [before],
    );
    return rows.length;
  }
}

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: unknown;
  private_jwk: unknown;
  created_at: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

/** Keys of one ring (`tool`, `platform`, or a tenant's name): one table serves several key rings. */
export class PostgresKeyStore implements KeyStore {
  readonly #sql: SqlClient;
  readonly #ring: string;

  constructor(sql: SqlClient, ring = 'tool') {
    this.#sql = sql;
    this.#ring = ring;
  }

  async list() {
    const { rows } = await this.#sql.query<KeyRow>(
      'SELECT * FROM lti_keys WHERE ring = $1 ORDER BY created_at, kid',
      [this.#ring],
    );
    return rows.map(
      (row): StoredKey => ({
        kid: row.kid,
        alg: row.alg,
        publicJwk: json(row.public_jwk) as JWK,
        privateJwk: json(row.private_jwk) as JWK,
        createdAt: toDate(row.created_at),
        ...(row.retired_at === null ? {} : { retiredAt: toDate(row.retired_at) }),
        ...(row.expires_at === null ? {} : { expiresAt: toDate(row.expires_at) }),
      }),
    );
  }

  async save(key: StoredKey) {
    await this.#sql.query(
      `INSERT INTO lti_keys (ring, kid, alg, public_jwk, private_jwk, created_at, retired_at, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)
       ON CONFLICT (ring, kid) DO UPDATE SET alg = EXCLUDED.alg, public_jwk = EXCLUDED.public_jwk, private_jwk = EXCLUDED.private_jwk,
         created_at = EXCLUDED.created_at, retired_at = EXCLUDED.retired_at, expires_at = EXCLUDED.expires_at`,
      [
        this.#ring,
        key.kid,
        key.alg,
        JSON.stringify(key.publicJwk),
        JSON.stringify(key.privateJwk),
        key.createdAt,
        orNull(key.retiredAt),
        orNull(key.expiresAt),
      ],
    );
  }

  async remove(kid: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM lti_keys WHERE ring = $1 AND kid = $2 RETURNING kid',
      [this.#ring, kid],
    );
    return rows.length > 0;
  }
}

export class PostgresAccessTokenStore implements AccessTokenStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async get(key: string): Promise<CachedAccessToken | undefined> {
    const { rows } = await this.#sql.query<{ access_token: string; scopes: unknown; expires_at: Date }>(
      'SELECT access_token, scopes, expires_at FROM lti_access_tokens WHERE cache_key = $1',
      [key],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : {
          accessToken: row.access_token,
          scopes: json(row.scopes) as string[],
          expiresAt: toDate(row.expires_at),
        };
  }

  async set(key: string, token: CachedAccessToken) {
    await this.#sql.query(
      `INSERT INTO lti_access_tokens (cache_key, access_token, scopes, expires_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (cache_key) DO UPDATE SET access_token = EXCLUDED.access_token, scopes = EXCLUDED.scopes, expires_at = EXCLUDED.expires_at`,
      [key, token.accessToken, JSON.stringify(token.scopes), token.expiresAt],
    );
  }

  async delete(key: string) {
    await this.#sql.query('DELETE FROM lti_access_tokens WHERE cache_key = $1', [key]);
  }
}

export class PostgresReplayGuard implements ReplayGuard {
  readonly #sql: SqlClient;
  readonly #clock: Clock;

  constructor(sql: SqlClient, clock: Clock) {
    this.#sql = sql;
    this.#clock = clock;
  }

  async use(key: string, expiresAt: Date) {
    const { rows } = await this.#sql.query(
      `INSERT INTO lti_replay_guard (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE lti_replay_guard.expires_at <= $3
       RETURNING key`,
      [key, expiresAt, this.#clock.now()],
    );
    return rows.length === 1;
  }
}

export class PostgresToolRegistry implements ToolRegistry {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async getTool(clientId: string) {
    const { rows } = await this.#sql.query<{ registration: unknown }>(
      'SELECT registration FROM lti_tools WHERE client_id = $1',
      [clientId],
    );
    return rows[0] === undefined ? undefined : (json(rows[0].registration) as ToolRegistration);
  }

  async listTools() {
    const { rows } = await this.#sql.query<{ registration: unknown }>(
      'SELECT registration FROM lti_tools ORDER BY client_id',
    );
    return rows.map((row) => json(row.registration) as ToolRegistration);
  }

  async saveTool(tool: ToolRegistration) {
    await this.#sql.query(
      'INSERT INTO lti_tools (client_id, registration) VALUES ($1, $2::jsonb) ON CONFLICT (client_id) DO UPDATE SET registration = EXCLUDED.registration',
      [tool.clientId, JSON.stringify(tool)],
    );
  }

  async removeTool(clientId: string) {
    const { rows } = await this.#sql.query('DELETE FROM lti_tools WHERE client_id = $1 RETURNING client_id', [
      clientId,
    ]);
    return rows.length > 0;
  }
}

export class PostgresPendingLaunchStore implements PendingLaunchStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async save(launch: PendingLaunch) {
    const { expiresAt, ...rest } = launch;
    await this.#sql.query(
      'INSERT INTO lti_pending_launches (id, launch, expires_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (id) DO UPDATE SET launch = EXCLUDED.launch, expires_at = EXCLUDED.expires_at',
      [launch.id, JSON.stringify(rest), expiresAt],
    );
  }

  async take(id: string) {
    const { rows } = await this.#sql.query<{ launch: unknown; expires_at: Date }>(
      'DELETE FROM lti_pending_launches WHERE id = $1 RETURNING launch, expires_at',
      [id],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : ({
          ...(json(row.launch) as Omit<PendingLaunch, 'expiresAt'>),
          expiresAt: toDate(row.expires_at),
        } as PendingLaunch);
  }
}
