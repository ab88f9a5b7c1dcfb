import type { SqlClient } from '@passport/core';
import { districtChanged } from '../../errors.ts';
import type {
  AccountLink,
  AccountLinkStore,
  AppRegistration,
  AppRegistry,
  AttemptCount,
  AttemptCounter,
  AuditEvent,
  AuditLog,
  AuditQuery,
  BadgeCredential,
  BadgeStore,
  District,
  DistrictGrant,
  DistrictRegistry,
  KeyStore,
  OidcArtifact,
  OidcArtifactStore,
  OneTimeStore,
  PasswordCredential,
  PasswordStore,
  SessionRecord,
  SessionStore,
  StoredKey,
} from '../../ports.ts';

type Row = Record<string, unknown>;

/** jsonb arrives parsed from pg and PGlite; a text column holding JSON (other drivers) is parsed here. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const optionalDate = (value: unknown): Date | undefined =>
  value === null || value === undefined ? undefined : toDate(value);
const orNull = <T>(value: T | undefined): T | null => value ?? null;

export class PostgresAppRegistry implements AppRegistry {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async #one(where: string, value: string) {
    const { rows } = await this.#sql.query<Row>(`SELECT registration FROM sso_apps WHERE ${where} = $1`, [
      value,
    ]);
    return rows[0] === undefined ? undefined : json<AppRegistration>(rows[0].registration);
  }

  getApp(appId: string) {
    return this.#one('app_id', appId);
  }

  findAppByClientId(clientId: string) {
    return this.#one('client_id', clientId);
  }

  findAppBySamlEntityId(entityId: string) {
    return this.#one('saml_entity_id', entityId);
  }

  async listApps() {
    const { rows } = await this.#sql.query<Row>('SELECT registration FROM sso_apps ORDER BY name, app_id');
    return rows.map((row) => json<AppRegistration>(row.registration));
  }

  async saveApp(app: AppRegistration) {
    await this.#sql.query(
      `INSERT INTO sso_apps (app_id, partner_id, name, client_id, saml_entity_id, registration)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (app_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, name = EXCLUDED.name,
         client_id = EXCLUDED.client_id, saml_entity_id = EXCLUDED.saml_entity_id, registration = EXCLUDED.registration`,
      [
        app.appId,
        app.partnerId,
        app.name,
        orNull(app.oidc?.clientId),
        orNull(app.saml?.entityId),
        JSON.stringify(app),
      ],
    );
  }

  async removeApp(appId: string) {
    const { rows } = await this.#sql.query('DELETE FROM sso_apps WHERE app_id = $1 RETURNING app_id', [
      appId,
    ]);
    return rows.length > 0;
  }

  async getGrant(districtId: string, appId: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT grant_record FROM sso_grants WHERE district_id = $1 AND app_id = $2',
      [districtId, appId],
    );
    return rows[0] === undefined ? undefined : json<DistrictGrant>(rows[0].grant_record);
  }

  async listGrants(districtId: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT grant_record FROM sso_grants WHERE district_id = $1 ORDER BY app_id',
      [districtId],
    );
    return rows.map((row) => json<DistrictGrant>(row.grant_record));
  }

  async saveGrant(grant: DistrictGrant) {
    await this.#sql.query(
      `INSERT INTO sso_grants (district_id, app_id, grant_record) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (district_id, app_id) DO UPDATE SET grant_record = EXCLUDED.grant_record`,
      [grant.districtId, grant.appId, JSON.stringify(grant)],
    );
  }

  async removeGrant(districtId: string, appId: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_grants WHERE district_id = $1 AND app_id = $2 RETURNING app_id',
      [districtId, appId],
    );
    return rows.length > 0;
  }
}

const storedRevision = "coalesce((sso_districts.district->>'revision')::int, 0)";

/** A stored district; one saved before revisions were kept is at revision 0. */
function districtOf(row: Row): District {
  const district = json<District>(row.district);
  return district.revision === undefined ? { ...district, revision: 0 } : district;
}

export class PostgresDistrictRegistry implements DistrictRegistry {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async getDistrict(districtId: string) {
    const { rows } = await this.#sql.query<Row>('SELECT district FROM sso_districts WHERE district_id = $1', [
      districtId,
    ]);
    return rows[0] === undefined ? undefined : districtOf(rows[0]);
  }

  async listDistricts() {
    const { rows } = await this.#sql.query<Row>(
      'SELECT district FROM sso_districts ORDER BY name, district_id',
    );
    return rows.map(districtOf);
  }

  async saveDistrict(district: District) {
    // The revision lives in the document; an update counts it up, only from the revision read when one is given.
    const { rows } = await this.#sql.query<Row>(
      `INSERT INTO sso_districts (district_id, name, district)
       VALUES ($1, $2, $3::jsonb || jsonb_build_object('revision', 1))
       ON CONFLICT (district_id) DO UPDATE SET name = EXCLUDED.name,
         district = EXCLUDED.district || jsonb_build_object('revision', ${storedRevision} + 1)
       WHERE $4::int IS NULL OR ${storedRevision} = $4::int
       RETURNING district_id`,
      [district.districtId, district.name, JSON.stringify(district), district.revision ?? null],
    );
    if (rows.length === 0) throw districtChanged(district.districtId);
  }
}

function sessionFromRow(row: Row): SessionRecord {
  const previousValidUntil = optionalDate(row.previous_token_valid_until);
  return {
    sessionId: String(row.session_id),
    tokenHash: String(row.token_hash),
    ...(row.previous_token_hash === null ? {} : { previousTokenHash: String(row.previous_token_hash) }),
    ...(previousValidUntil === undefined ? {} : { previousTokenValidUntil: previousValidUntil }),
    userId: String(row.user_id),
    districtId: String(row.district_id),
    signInMethodId: String(row.sign_in_method_id),
    amr: json<string[]>(row.amr),
    authTime: toDate(row.auth_time),
    createdAt: toDate(row.created_at),
    rotatedAt: toDate(row.rotated_at),
    lastSeenAt: toDate(row.last_seen_at),
    expiresAt: toDate(row.expires_at),
    samlParticipants: json<SessionRecord['samlParticipants']>(row.saml_participants),
  };
}

const sessionColumns = [
  'session_id',
  'token_hash',
  'previous_token_hash',
  'previous_token_valid_until',
  'user_id',
  'district_id',
  'sign_in_method_id',
  'amr',
  'auth_time',
  'created_at',
  'rotated_at',
  'last_seen_at',
  'expires_at',
  'saml_participants',
];

function sessionValues(session: SessionRecord): unknown[] {
  return [
    session.sessionId,
    session.tokenHash,
    orNull(session.previousTokenHash),
    orNull(session.previousTokenValidUntil),
    session.userId,
    session.districtId,
    session.signInMethodId,
    JSON.stringify(session.amr),
    session.authTime,
    session.createdAt,
    session.rotatedAt,
    session.lastSeenAt,
    session.expiresAt,
    JSON.stringify(session.samlParticipants),
  ];
}

export class PostgresSessionStore implements SessionStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async create(session: SessionRecord) {
    const placeholders = sessionColumns.map((_column, index) => `$${index + 1}`).join(', ');
    await this.#sql.query(
      `INSERT INTO sso_sessions (${sessionColumns.join(', ')}) VALUES (${placeholders})`,
      sessionValues(session),
    );
  }

  async findByTokenHash(tokenHash: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT * FROM sso_sessions WHERE token_hash = $1 OR previous_token_hash = $1 LIMIT 1',
      [tokenHash],
    );
    return rows[0] === undefined ? undefined : sessionFromRow(rows[0]);
  }

  async get(sessionId: string) {
    const { rows } = await this.#sql.query<Row>('SELECT * FROM sso_sessions WHERE session_id = $1', [
      sessionId,
    ]);
    return rows[0] === undefined ? undefined : sessionFromRow(rows[0]);
  }

  async update(session: SessionRecord) {
    const assignments = sessionColumns
      .slice(1)
      .map((column, index) => `${column} = $${index + 2}`)
      .join(', ');
    const { rows } = await this.#sql.query(
      `UPDATE sso_sessions SET ${assignments} WHERE session_id = $1 RETURNING session_id`,
      sessionValues(session),
    );
    return rows.length > 0;
  }

  async delete(sessionId: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_sessions WHERE session_id = $1 RETURNING session_id',
      [sessionId],
    );
    return rows.length > 0;
  }

  async deleteExpired(now: Date) {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_sessions WHERE expires_at <= $1 RETURNING session_id',
      [now],
    );
    return rows.length;
  }
}

export class PostgresOneTimeStore implements OneTimeStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async put(key: string, value: string, expiresAt: Date) {
    await this.#sql.query(
      `INSERT INTO sso_one_time (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [key, value, expiresAt],
    );
  }

  async take(key: string, now: Date) {
    const { rows } = await this.#sql.query<Row>(
      'DELETE FROM sso_one_time WHERE key = $1 RETURNING value, expires_at',
      [key],
    );
    const row = rows[0];
    if (row === undefined || toDate(row.expires_at).getTime() <= now.getTime()) return undefined;
    return String(row.value);
  }

  async claim(key: string, expiresAt: Date, now: Date) {
    // One statement: of two processes claiming at once, exactly one gets the row back.
    const { rows } = await this.#sql.query(
      `INSERT INTO sso_one_time (key, value, expires_at) VALUES ($1, '', $2)
       ON CONFLICT (key) DO UPDATE SET value = '', expires_at = EXCLUDED.expires_at
         WHERE sso_one_time.expires_at <= $3
       RETURNING key`,
      [key, expiresAt, now],
    );
    return rows.length > 0;
  }
}

export class PostgresAttemptCounter implements AttemptCounter {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async increment(key: string, windowSeconds: number, now: Date): Promise<AttemptCount> {
    const { rows } = await this.#sql.query<Row>(
      `INSERT INTO sso_attempts (key, count, window_ends_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN sso_attempts.window_ends_at <= $3 THEN 1 ELSE sso_attempts.count + 1 END,
         window_ends_at = CASE WHEN sso_attempts.window_ends_at <= $3 THEN EXCLUDED.window_ends_at
                               ELSE sso_attempts.window_ends_at END
       RETURNING count, window_ends_at`,
      [key, new Date(now.getTime() + windowSeconds * 1000), now],
    );
    const row = rows[0] as Row;
    return { count: Number(row.count), windowEndsAt: toDate(row.window_ends_at) };
  }

  async get(key: string, now: Date) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT count, window_ends_at FROM sso_attempts WHERE key = $1 AND window_ends_at > $2',
      [key, now],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { count: Number(row.count), windowEndsAt: toDate(row.window_ends_at) };
  }

  async reset(key: string) {
    await this.#sql.query('DELETE FROM sso_attempts WHERE key = $1', [key]);
  }
}

export class PostgresAuditLog implements AuditLog {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async record(event: AuditEvent) {
    await this.#sql.query(
      `INSERT INTO sso_audit_events (event_id, at, type, district_id, user_id, app_id, code, via, ip, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [
        event.eventId,
        event.at,
        event.type,
        orNull(event.districtId),
        orNull(event.userId),
        orNull(event.appId),
        orNull(event.code),
        orNull(event.via),
        orNull(event.ip),
        event.detail === undefined ? null : JSON.stringify(event.detail),
      ],
    );
  }

  async list(query: AuditQuery = {}) {
    const conditions: string[] = [];
    const values: unknown[] = [];
    for (const [column, value] of [
      ['user_id', query.userId],
      ['district_id', query.districtId],
      ['type', query.type],
    ] as const) {
      if (value === undefined) continue;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    }
    values.push(query.limit ?? 100);
    const { rows } = await this.#sql.query<Row>(
      `SELECT * FROM sso_audit_events ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
       ORDER BY at DESC, seq DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(
      (row): AuditEvent => ({
        eventId: String(row.event_id),
        at: toDate(row.at),
        type: row.type as AuditEvent['type'],
        ...(row.district_id === null ? {} : { districtId: String(row.district_id) }),
        ...(row.user_id === null ? {} : { userId: String(row.user_id) }),
        ...(row.app_id === null ? {} : { appId: String(row.app_id) }),
        ...(row.code === null ? {} : { code: String(row.code) }),
        ...(row.via === null ? {} : { via: String(row.via) }),
        ...(row.ip === null ? {} : { ip: String(row.ip) }),
        ...(row.detail === null ? {} : { detail: json<Record<string, string>>(row.detail) }),
      }),
    );
  }
}

export class PostgresKeyStore implements KeyStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list() {
    const { rows } = await this.#sql.query<Row>('SELECT * FROM sso_keys ORDER BY created_at, kid');
    return rows.map(
      (row): StoredKey => ({
        kid: String(row.kid),
        alg: row.alg as StoredKey['alg'],
        privateJwk: json<Record<string, unknown>>(row.private_jwk),
        createdAt: toDate(row.created_at),
        ...(row.retired_at === null ? {} : { retiredAt: toDate(row.retired_at) }),
      }),
    );
  }

  async save(key: StoredKey) {
    await this.#sql.query(
      `INSERT INTO sso_keys (kid, alg, private_jwk, created_at, retired_at) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (kid) DO UPDATE SET alg = EXCLUDED.alg, private_jwk = EXCLUDED.private_jwk,
         created_at = EXCLUDED.created_at, retired_at = EXCLUDED.retired_at`,
      [key.kid, key.alg, JSON.stringify(key.privateJwk), key.createdAt, orNull(key.retiredAt)],
    );
  }

  async remove(kid: string) {
    const { rows } = await this.#sql.query('DELETE FROM sso_keys WHERE kid = $1 RETURNING kid', [kid]);
    return rows.length > 0;
  }
}

export class PostgresPasswordStore implements PasswordStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async find(districtId: string, username: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT * FROM sso_passwords WHERE district_id = $1 AND username = $2',
      [districtId, username.toLowerCase()],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      districtId: String(row.district_id),
      username: String(row.username),
      userId: String(row.user_id),
      passwordHash: String(row.password_hash),
      updatedAt: toDate(row.updated_at),
    };
  }

  async save(credential: PasswordCredential) {
    await this.#sql.query(
      `INSERT INTO sso_passwords (district_id, username, user_id, password_hash, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (district_id, username) DO UPDATE SET user_id = EXCLUDED.user_id,
         password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
      [
        credential.districtId,
        credential.username.toLowerCase(),
        credential.userId,
        credential.passwordHash,
        credential.updatedAt,
      ],
    );
  }

  async remove(districtId: string, username: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_passwords WHERE district_id = $1 AND username = $2 RETURNING username',
      [districtId, username.toLowerCase()],
    );
    return rows.length > 0;
  }
}

function artifactFromRow(row: Row): OidcArtifact {
  const expiresAt = optionalDate(row.expires_at);
  return {
    model: String(row.model),
    id: String(row.id),
    payload: json<Record<string, unknown>>(row.payload),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(row.grant_id === null ? {} : { grantId: String(row.grant_id) }),
    ...(row.uid === null ? {} : { uid: String(row.uid) }),
    ...(row.user_code === null ? {} : { userCode: String(row.user_code) }),
  };
}

/** oidc-provider's sessions, interactions, grants, codes and tokens in one table, expired rows never returned. */
export class PostgresOidcArtifactStore implements OidcArtifactStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async upsert(artifact: OidcArtifact) {
    await this.#sql.query(
      `INSERT INTO sso_oidc_artifacts (model, id, payload, expires_at, grant_id, uid, user_code)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at,
         grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code`,
      [
        artifact.model,
        artifact.id,
        JSON.stringify(artifact.payload),
        orNull(artifact.expiresAt),
        orNull(artifact.grantId),
        orNull(artifact.uid),
        orNull(artifact.userCode),
      ],
    );
  }

  async #one(where: string, values: unknown[], now: Date) {
    const { rows } = await this.#sql.query<Row>(
      `SELECT * FROM sso_oidc_artifacts WHERE ${where} AND (expires_at IS NULL OR expires_at > $${values.length + 1}) LIMIT 1`,
      [...values, now],
    );
    return rows[0] === undefined ? undefined : artifactFromRow(rows[0]);
  }

  find(model: string, id: string, now: Date) {
    return this.#one('model = $1 AND id = $2', [model, id], now);
  }

  findByUid(model: string, uid: string, now: Date) {
    return this.#one('model = $1 AND uid = $2', [model, uid], now);
  }

  findByUserCode(model: string, userCode: string, now: Date) {
    return this.#one('model = $1 AND user_code = $2', [model, userCode], now);
  }

  async consume(model: string, id: string, now: Date) {
    await this.#sql.query(
      `UPDATE sso_oidc_artifacts SET payload = payload || jsonb_build_object('consumed', $3::bigint)
       WHERE model = $1 AND id = $2`,
      [model, id, Math.floor(now.getTime() / 1000)],
    );
  }

  async destroy(model: string, id: string) {
    await this.#sql.query('DELETE FROM sso_oidc_artifacts WHERE model = $1 AND id = $2', [model, id]);
  }

  async revokeByGrantId(grantId: string) {
    await this.#sql.query('DELETE FROM sso_oidc_artifacts WHERE grant_id = $1', [grantId]);
  }

  /** Removes expired rows; run it periodically. Returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_oidc_artifacts WHERE expires_at <= $1 RETURNING id',
      [now],
    );
    return rows.length;
  }
}

export class PostgresAccountLinkStore implements AccountLinkStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  #link(row: Row): AccountLink {
    return {
      userId: String(row.user_id),
      appId: String(row.app_id),
      externalAccountId: String(row.external_account_id),
      method: row.method as AccountLink['method'],
      linkedAt: toDate(row.linked_at),
    };
  }

  async find(userId: string, appId: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT * FROM sso_account_links WHERE user_id = $1 AND app_id = $2',
      [userId, appId],
    );
    return rows[0] === undefined ? undefined : this.#link(rows[0]);
  }

  async findByExternalAccount(appId: string, externalAccountId: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT * FROM sso_account_links WHERE app_id = $1 AND external_account_id = $2',
      [appId, externalAccountId],
    );
    return rows[0] === undefined ? undefined : this.#link(rows[0]);
  }

  async save(link: AccountLink) {
    await this.#sql.query(
      `INSERT INTO sso_account_links (user_id, app_id, external_account_id, method, linked_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, app_id) DO UPDATE SET external_account_id = EXCLUDED.external_account_id,
         method = EXCLUDED.method, linked_at = EXCLUDED.linked_at`,
      [link.userId, link.appId, link.externalAccountId, link.method, link.linkedAt],
    );
  }

  async remove(userId: string, appId: string) {
    const { rows } = await this.#sql.query(
      'DELETE FROM sso_account_links WHERE user_id = $1 AND app_id = $2 RETURNING app_id',
      [userId, appId],
    );
    return rows.length > 0;
  }
}

const badgeOf = (row: Row): BadgeCredential => ({
  badgeId: String(row.badge_id),
  districtId: String(row.district_id),
  userId: String(row.user_id),
  secretHash: String(row.secret_hash),
  issuedAt: toDate(row.issued_at),
  ...(row.issued_by === null || row.issued_by === undefined ? {} : { issuedBy: String(row.issued_by) }),
  ...(row.expires_at === null || row.expires_at === undefined ? {} : { expiresAt: toDate(row.expires_at) }),
  ...(row.revoked_at === null || row.revoked_at === undefined ? {} : { revokedAt: toDate(row.revoked_at) }),
});

export class PostgresBadgeStore implements BadgeStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async find(badgeId: string) {
    const { rows } = await this.#sql.query<Row>('SELECT * FROM sso_badges WHERE badge_id = $1', [badgeId]);
    const row = rows[0];
    return row === undefined ? undefined : badgeOf(row);
  }

  async save(badge: BadgeCredential) {
    await this.#sql.query(
      `INSERT INTO sso_badges (badge_id, district_id, user_id, secret_hash, issued_at, issued_by, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (badge_id) DO UPDATE SET district_id = EXCLUDED.district_id, user_id = EXCLUDED.user_id,
         secret_hash = EXCLUDED.secret_hash, issued_at = EXCLUDED.issued_at, issued_by = EXCLUDED.issued_by,
         expires_at = EXCLUDED.expires_at, revoked_at = EXCLUDED.revoked_at`,
      [
        badge.badgeId,
        badge.districtId,
        badge.userId,
        badge.secretHash,
        badge.issuedAt,
        badge.issuedBy ?? null,
        badge.expiresAt ?? null,
        badge.revokedAt ?? null,
      ],
    );
  }

  async listByUser(districtId: string, userId: string) {
    const { rows } = await this.#sql.query<Row>(
      'SELECT * FROM sso_badges WHERE district_id = $1 AND user_id = $2 ORDER BY issued_at DESC, badge_id',
      [districtId, userId],
    );
    return rows.map(badgeOf);
  }

  async revoke(districtId: string, badgeId: string, at: Date) {
    const { rows } = await this.#sql.query(
      `UPDATE sso_badges SET revoked_at = $3
       WHERE district_id = $1 AND badge_id = $2 AND revoked_at IS NULL RETURNING badge_id`,
      [districtId, badgeId, at],
    );
    return rows.length > 0;
  }

  async revokeForUser(districtId: string, userId: string, at: Date) {
    const { rows } = await this.#sql.query(
      `UPDATE sso_badges SET revoked_at = $3
       WHERE district_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING badge_id`,
      [districtId, userId, at],
    );
    return rows.length;
  }
}
