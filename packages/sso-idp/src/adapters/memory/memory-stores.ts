import type {
  AccountLink,
  AccountLinkStore,
  AttemptCount,
  AttemptCounter,
  AuditEvent,
  AuditLog,
  AuditQuery,
  BadgeCredential,
  BadgeStore,
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

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();

  async create(session: SessionRecord) {
    this.#sessions.set(session.sessionId, structuredClone(session));
  }

  async findByTokenHash(tokenHash: string) {
    for (const session of this.#sessions.values()) {
      if (session.tokenHash === tokenHash || session.previousTokenHash === tokenHash)
        return structuredClone(session);
    }
    return undefined;
  }

  async get(sessionId: string) {
    const session = this.#sessions.get(sessionId);
    return session === undefined ? undefined : structuredClone(session);
  }

  async update(session: SessionRecord) {
    if (!this.#sessions.has(session.sessionId)) return false;
    this.#sessions.set(session.sessionId, structuredClone(session));
    return true;
  }

  async delete(sessionId: string) {
    return this.#sessions.delete(sessionId);
  }

  async deleteExpired(now: Date) {
    let removed = 0;
    for (const [sessionId, session] of this.#sessions) {
      if (session.expiresAt.getTime() <= now.getTime()) {
        this.#sessions.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}

export class MemoryOneTimeStore implements OneTimeStore {
  readonly #values = new Map<string, { value: string; expiresAt: number }>();

  async put(key: string, value: string, expiresAt: Date) {
    this.#values.set(key, { value, expiresAt: expiresAt.getTime() });
  }

  async take(key: string, now: Date) {
    const entry = this.#values.get(key);
    this.#values.delete(key);
    if (entry === undefined || entry.expiresAt <= now.getTime()) return undefined;
    return entry.value;
  }

  async claim(key: string, expiresAt: Date, now: Date) {
    const entry = this.#values.get(key);
    if (entry !== undefined && entry.expiresAt > now.getTime()) return false;
    this.#values.set(key, { value: '', expiresAt: expiresAt.getTime() });
    return true;
  }
}

export class MemoryAttemptCounter implements AttemptCounter {
  readonly #counts = new Map<string, { count: number; windowEndsAt: number }>();

  async increment(key: string, windowSeconds: number, now: Date): Promise<AttemptCount> {
    const current = this.#counts.get(key);
    const next =
      current === undefined || current.windowEndsAt <= now.getTime()
        ? { count: 1, windowEndsAt: now.getTime() + windowSeconds * 1000 }
        : { count: current.count + 1, windowEndsAt: current.windowEndsAt };
    this.#counts.set(key, next);
    return { count: next.count, windowEndsAt: new Date(next.windowEndsAt) };
  }

  async get(key: string, now: Date) {
    const current = this.#counts.get(key);
    if (current === undefined || current.windowEndsAt <= now.getTime()) return undefined;
    return { count: current.count, windowEndsAt: new Date(current.windowEndsAt) };
  }

  async reset(key: string) {
    this.#counts.delete(key);
  }
}

export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  async record(event: AuditEvent) {
    this.events.push(structuredClone(event));
  }

  async list(query: AuditQuery = {}) {
    return this.events
      .filter(
        (event) =>
          (query.userId === undefined || event.userId === query.userId) &&
          (query.districtId === undefined || event.districtId === query.districtId) &&
          (query.type === undefined || event.type === query.type),
      )
      .map((event, index) => ({ event, index }))
      .sort((left, right) => right.event.at.getTime() - left.event.at.getTime() || right.index - left.index)
      .map(({ event }) => event)
      .slice(0, query.limit ?? 100)
      .map((event) => structuredClone(event));
  }
}

export class MemoryKeyStore implements KeyStore {
  readonly #keys = new Map<string, StoredKey>();

  async list() {
    return [...this.#keys.values()].map((key) => structuredClone(key));
  }

  async save(key: StoredKey) {
    this.#keys.set(key.kid, structuredClone(key));
  }

  async remove(kid: string) {
    return this.#keys.delete(kid);
  }
}

export class MemoryPasswordStore implements PasswordStore {
  readonly #credentials = new Map<string, PasswordCredential>();

  async find(districtId: string, username: string) {
    return this.#credentials.get(`${districtId}\u0000${username.toLowerCase()}`);
  }

  async save(credential: PasswordCredential) {
    this.#credentials.set(
      `${credential.districtId}\u0000${credential.username.toLowerCase()}`,
      structuredClone({ ...credential, username: credential.username.toLowerCase() }),
    );
  }

  async remove(districtId: string, username: string) {
    return this.#credentials.delete(`${districtId}\u0000${username.toLowerCase()}`);
  }
}

export class MemoryOidcArtifactStore implements OidcArtifactStore {
  readonly #artifacts = new Map<string, OidcArtifact>();

  #live(key: string, now: Date) {
    const artifact = this.#artifacts.get(key);
    if (artifact === undefined) return undefined;
    if (artifact.expiresAt !== undefined && artifact.expiresAt.getTime() <= now.getTime()) {
      this.#artifacts.delete(key);
      return undefined;
    }
    return structuredClone(artifact);
  }

  async upsert(artifact: OidcArtifact) {
    this.#artifacts.set(`${artifact.model}\u0000${artifact.id}`, structuredClone(artifact));
  }

  async find(model: string, id: string, now: Date) {
    return this.#live(`${model}\u0000${id}`, now);
  }

  async findByUid(model: string, uid: string, now: Date) {
    for (const [key, artifact] of this.#artifacts) {
      if (artifact.model === model && artifact.uid === uid) return this.#live(key, now);
    }
    return undefined;
  }

  async findByUserCode(model: string, userCode: string, now: Date) {
    for (const [key, artifact] of this.#artifacts) {
      if (artifact.model === model && artifact.userCode === userCode) return this.#live(key, now);
    }
    return undefined;
  }

  async consume(model: string, id: string, now: Date) {
    const key = `${model}\u0000${id}`;
    const artifact = this.#artifacts.get(key);
    if (artifact === undefined) return;
    this.#artifacts.set(key, {
      ...artifact,
      payload: { ...artifact.payload, consumed: Math.floor(now.getTime() / 1000) },
    });
  }

  async destroy(model: string, id: string) {
    this.#artifacts.delete(`${model}\u0000${id}`);
  }

  async revokeByGrantId(grantId: string) {
    for (const [key, artifact] of this.#artifacts) {
      if (artifact.grantId === grantId) this.#artifacts.delete(key);
    }
  }
}

export class MemoryAccountLinkStore implements AccountLinkStore {
  readonly #links = new Map<string, AccountLink>();

  async find(userId: string, appId: string) {
    return this.#links.get(`${userId}\u0000${appId}`);
  }

  async findByExternalAccount(appId: string, externalAccountId: string) {
    for (const link of this.#links.values()) {
      if (link.appId === appId && link.externalAccountId === externalAccountId) return link;
    }
    return undefined;
  }

  async save(link: AccountLink) {
    this.#links.set(`${link.userId}\u0000${link.appId}`, structuredClone(link));
  }

  async remove(userId: string, appId: string) {
    return this.#links.delete(`${userId}\u0000${appId}`);
  }
}

export class MemoryBadgeStore implements BadgeStore {
  readonly #badges = new Map<string, BadgeCredential>();

  async find(badgeId: string) {
    const badge = this.#badges.get(badgeId);
    return badge === undefined ? undefined : structuredClone(badge);
  }

  async save(badge: BadgeCredential) {
    this.#badges.set(badge.badgeId, structuredClone(badge));
  }

  async listByUser(districtId: string, userId: string) {
    return [...this.#badges.values()]
      .filter((badge) => badge.districtId === districtId && badge.userId === userId)
      .sort((left, right) => right.issuedAt.getTime() - left.issuedAt.getTime())
      .map((badge) => structuredClone(badge));
  }

  async revoke(districtId: string, badgeId: string, at: Date) {
    const badge = this.#badges.get(badgeId);
    if (badge === undefined || badge.districtId !== districtId || badge.revokedAt !== undefined) return false;
    this.#badges.set(badgeId, { ...badge, revokedAt: new Date(at) });
    return true;
  }

  async revokeForUser(districtId: string, userId: string, at: Date) {
    let count = 0;
    for (const badge of this.#badges.values()) {
      if (badge.districtId !== districtId || badge.userId !== userId || badge.revokedAt !== undefined)
        continue;
      this.#badges.set(badge.badgeId, { ...badge, revokedAt: new Date(at) });
      count++;
    }
    return count;
  }
}
