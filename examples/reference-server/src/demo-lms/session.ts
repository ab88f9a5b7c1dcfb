import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { LmsSession, LmsStore } from './lms-store.ts';

/*
 * Demo sign-in sessions: a random token in an HttpOnly, SameSite=Lax cookie scoped to the LMS's path; the database
 * keeps only its SHA-256, so a leaked table row cannot be replayed as a cookie. Each session carries a CSRF token
 * that every form of a signed-in page posts back.
 */

const sessionCookieName = 'passport_demo_lms';

interface SessionCookieOptions {
  readonly path: string;
  readonly secure: boolean;
  readonly ttlSeconds: number;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

function cookieHeader(value: string, options: SessionCookieOptions, maxAge: number): string {
  return [
    `${sessionCookieName}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export interface Sessions {
  /** Starts a session for the user; resolves the `set-cookie` header value. */
  start(userId: string): Promise<string>;
  /** The request's session, when its cookie names a live one. */
  read(request: Request): Promise<LmsSession | undefined>;
  /** Ends the request's session; resolves the `set-cookie` header that clears the cookie. */
  end(request: Request): Promise<string>;
  /** Throws `SERVER_UNAUTHORIZED` (403) unless the form's `_csrf` matches the session's token. */
  checkCsrf(session: LmsSession, form: FormData): void;
}

export function createSessions(store: LmsStore, clock: Clock, options: SessionCookieOptions): Sessions {
  return {
    async start(userId) {
      const token = randomBytes(32).toString('base64url');
      await store.createSession({
        id: hashToken(token),
        userId,
        csrfToken: randomBytes(24).toString('base64url'),
        expiresAt: new Date(clock.now().getTime() + options.ttlSeconds * 1000),
      });
      return cookieHeader(token, options, options.ttlSeconds);
    },
    async read(request) {
      const token = cookieValue(request, sessionCookieName);
      if (token === undefined || token === '') return undefined;
      return await store.getSession(hashToken(token), clock.now());
    },
    async end(request) {
      const token = cookieValue(request, sessionCookieName);
      if (token !== undefined && token !== '') await store.deleteSession(hashToken(token));
      return cookieHeader('', options, 0);
    },
    checkCsrf(session, form) {
      const sent = form.get('_csrf');
      const expected = Buffer.from(session.csrfToken);
      const actual = Buffer.from(typeof sent === 'string' ? sent : '');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        throw new ServerError('SERVER_UNAUTHORIZED', 'The form is stale or was not sent from this LMS.', {
          status: 403,
          description:
            'This form has expired or did not come from the demo LMS. Reload the page and try again.',
        });
      }
    },
  };
}
