import type { Clock, SqlClient } from '@passport/core';
import type { DeepLinkingSettingsClaim } from '@passport/lti13';

/**
 * What the content picker keeps of a deep linking request between its pages: enough to sign the response (the
 * platform, deployment and settings, with its `data`) and to bind what is picked (LMS instance, district, course).
 * The session id travels in the picker's links and forms, not in a cookie, so the picker works inside an LMS iframe
 * with third-party cookies blocked; it is a random 128-bit capability, valid for an hour, spent by the response.
 */
export interface DeepLinkSession {
  readonly id: string;
  readonly lmsId: string;
  readonly tenantId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string;
  readonly contextTitle: string;
  readonly userId: string | undefined;
  readonly settings: DeepLinkingSettingsClaim;
  readonly expiresAt: Date;
}

export type NewDeepLinkSession = Omit<DeepLinkSession, 'expiresAt'>;

export const deepLinkSessionTtlMs = 60 * 60_000;

interface SessionRow {
  id: string;
  lms_id: string;
  request: Omit<DeepLinkSession, 'id' | 'lmsId' | 'expiresAt'>;
  expires_at: Date | string;
}

const toSession = (row: SessionRow): DeepLinkSession => ({
  ...row.request,
  id: row.id,
  lmsId: row.lms_id,
  expiresAt: new Date(row.expires_at),
});

export interface DeepLinkSessionStore {
  create(session: NewDeepLinkSession): Promise<DeepLinkSession>;
  /** The session, unless unknown, spent or expired. */
  get(id: string): Promise<DeepLinkSession | undefined>;
  /** Spends the session: true for the one caller that took it (a double submit answers false). */
  take(id: string): Promise<boolean>;
  deleteExpired(): Promise<number>;
}

export function createDeepLinkSessionStore(sql: SqlClient, clock: Clock): DeepLinkSessionStore {
  return {
    async create(session) {
      const { id, lmsId, ...request } = session;
      const expiresAt = new Date(clock.now().getTime() + deepLinkSessionTtlMs);
      await sql.query(
        'insert into deep_link_sessions (id, lms_id, request, expires_at) values ($1, $2, $3, $4)',
        [id, lmsId, JSON.stringify(request), expiresAt.toISOString()],
      );
      return { ...session, expiresAt };
    },
    async get(id) {
      const { rows } = await sql.query<SessionRow>(
        'select id, lms_id, request, expires_at from deep_link_sessions where id = $1 and expires_at > $2',
        [id, clock.now().toISOString()],
      );
      return rows[0] === undefined ? undefined : toSession(rows[0]);
    },
    async take(id) {
      const { rows } = await sql.query<{ id: string }>(
        'delete from deep_link_sessions where id = $1 and expires_at > $2 returning id',
        [id, clock.now().toISOString()],
      );
      return rows.length > 0;
    },
    async deleteExpired() {
      const { rows } = await sql.query<{ id: string }>(
        'delete from deep_link_sessions where expires_at <= $1 returning id',
        [clock.now().toISOString()],
      );
      return rows.length;
    },
  };
}
