import type { Clock, GenerateId } from '@passport/core';
import { cookieName, readCookies, serializeCookie } from '../http/cookies.ts';
import type { SessionRecord, SessionStore } from '../ports.ts';
import { hashToken, randomToken } from './tokens.ts';

export interface SessionManagerOptions {
  store: SessionStore;
  clock: Clock;
  generateId: GenerateId;
  /** Secure, `__Host-` cookies. Off only for plain-http development and loopback tests. */
  secureCookies: boolean;
  /** Absolute lifetime of a session. Default 8 hours (a school day). */
  lifetimeSeconds?: number;
  /** A session unused for this long ends. Default 2 hours. */
  idleSeconds?: number;
  /** The cookie token is replaced after this long. Default 15 minutes. */
  rotateAfterSeconds?: number;
  /** How long the replaced token still opens the session (requests already in flight). Default 60 seconds. */
  rotationGraceSeconds?: number;
}

export interface SignIn {
  readonly userId: string;
  readonly districtId: string;
  readonly signInMethodId: string;
  readonly amr: readonly string[];
}

export interface ActiveSession {
  readonly session: SessionRecord;
  /** Set when the token was rotated on this request: send it with the response. */
  readonly setCookie?: string;
}

/**
 * Passport sessions in the database, shared by every server process. The cookie holds a random token; the store
 * holds its hash. A new session (and a new token) on every sign-in prevents fixation; tokens rotate on use after
 * `rotateAfterSeconds`; sessions end on idle, on their absolute lifetime, or on sign-out.
 */
export class SessionManager {
  readonly #options: Required<SessionManagerOptions>;
  readonly cookieName: string;

  constructor(options: SessionManagerOptions) {
    this.#options = {
      lifetimeSeconds: 8 * 3600,
      idleSeconds: 2 * 3600,
      rotateAfterSeconds: 15 * 60,
      rotationGraceSeconds: 60,
      ...options,
    };
    this.cookieName = cookieName('passport_session', options.secureCookies);
  }

  #cookie(token: string, maxAgeSeconds?: number) {
    return serializeCookie(this.cookieName, token, {
      secure: this.#options.secureCookies,
      sameSite: 'Lax',
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    });
  }

  /** Starts a new session for a completed sign-in; ends the one the request carried, if any. */
  async start(request: Request, signIn: SignIn): Promise<{ session: SessionRecord; setCookie: string }> {
    const previous = await this.read(request);
    if (previous !== undefined) await this.#options.store.delete(previous.session.sessionId);
    const now = this.#options.clock.now();
    const token = randomToken();
    const session: SessionRecord = {
      sessionId: this.#options.generateId(),
      tokenHash: hashToken(token),
      userId: signIn.userId,
      districtId: signIn.districtId,
      signInMethodId: signIn.signInMethodId,
      amr: [...signIn.amr],
      authTime: now,
      createdAt: now,
      rotatedAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.#options.lifetimeSeconds * 1000),
      samlParticipants: [],
    };
    await this.#options.store.create(session);
    return { session, setCookie: this.#cookie(token) };
  }

  async #find(request: Request): Promise<{ session: SessionRecord; current: boolean } | undefined> {
    const token = readCookies(request).get(this.cookieName);
    if (token === undefined || token.length < 20 || token.length > 100) return undefined;
    const tokenHash = hashToken(token);
    const session = await this.#options.store.findByTokenHash(tokenHash);
    if (session === undefined) return undefined;
    const now = this.#options.clock.now().getTime();
    const idleEnds = session.lastSeenAt.getTime() + this.#options.idleSeconds * 1000;
    if (session.expiresAt.getTime() <= now || idleEnds <= now) return undefined;
    if (session.tokenHash === tokenHash) return { session, current: true };
    // The previous token: accepted only within the grace window after rotation.
    const validUntil = session.previousTokenValidUntil?.getTime() ?? 0;
    return validUntil > now ? { session, current: false } : undefined;
  }

  /** The session the request's cookie opens, without rotating or touching it (checks inside other flows). */
  async peek(request: Request): Promise<SessionRecord | undefined> {
    return (await this.#find(request))?.session;
  }

  /** The session the request's cookie opens, rotating its token when due; undefined when none is valid. */
  async read(request: Request): Promise<ActiveSession | undefined> {
    const found = await this.#find(request);
    if (found === undefined) return undefined;
    const { session } = found;
    if (!found.current) return { session };
    const now = this.#options.clock.now();
    const rotateAt = session.rotatedAt.getTime() + this.#options.rotateAfterSeconds * 1000;
    if (rotateAt > now.getTime()) {
      // Touch at most once a minute, so reads do not turn into a write each.
      if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
        const touched = { ...session, lastSeenAt: now };
        await this.#options.store.update(touched);
        return { session: touched };
      }
      return { session };
    }
    const tokenHash = session.tokenHash;
    const nextToken = randomToken();
    const rotated: SessionRecord = {
      ...session,
      tokenHash: hashToken(nextToken),
      previousTokenHash: tokenHash,
      previousTokenValidUntil: new Date(now.getTime() + this.#options.rotationGraceSeconds * 1000),
      rotatedAt: now,
      lastSeenAt: now,
    };
    await this.#options.store.update(rotated);
    return { session: rotated, setCookie: this.#cookie(nextToken) };
  }

  /** Saves changes to a session (SAML participants). */
  async save(session: SessionRecord): Promise<boolean> {
    return this.#options.store.update(session);
  }

  /** Ends the request's session; always returns a cookie that clears it in the browser. */
  async end(request: Request): Promise<{ session?: SessionRecord; setCookie: string }> {
    const active = await this.read(request);
    if (active !== undefined) await this.#options.store.delete(active.session.sessionId);
    return { ...(active === undefined ? {} : { session: active.session }), setCookie: this.#cookie('', 0) };
  }
}
