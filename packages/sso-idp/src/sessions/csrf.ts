import { SsoError } from '../errors.ts';
import { cookieName, readCookies, serializeCookie } from '../http/cookies.ts';
import { equalTokens, randomToken } from './tokens.ts';

/**
 * CSRF protection for Passport's own forms: a double-submit token (an HttpOnly, SameSite=Strict cookie whose
 * value each form repeats in a hidden field) plus an Origin / Sec-Fetch-Site check. Cross-site posts fail on
 * either; a page on another site can neither read nor (with `__Host-`) plant the cookie.
 */
export class CsrfGuard {
  readonly #secure: boolean;
  readonly #origin: string;
  readonly cookieName: string;

  constructor(options: { secureCookies: boolean; origin: string }) {
    this.#secure = options.secureCookies;
    this.#origin = options.origin;
    this.cookieName = cookieName('passport_csrf', options.secureCookies);
  }

  /** The token for forms on this response, and the cookie to set when the request had none. */
  issue(request: Request): { token: string; setCookie?: string } {
    const existing = readCookies(request).get(this.cookieName);
    if (existing !== undefined && existing.length >= 40) return { token: existing };
    const token = randomToken();
    return {
      token,
      setCookie: serializeCookie(this.cookieName, token, { secure: this.#secure, sameSite: 'Strict' }),
    };
  }

  /** Throws `SSO_CSRF_INVALID` unless the post came from this origin with the matching token. */
  verify(request: Request, form: URLSearchParams): void {
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== this.#origin) {
      throw new SsoError('SSO_CSRF_INVALID', undefined, { detail: { origin } });
    }
    const site = request.headers.get('sec-fetch-site');
    if (site === 'cross-site') throw new SsoError('SSO_CSRF_INVALID', undefined, { detail: { site } });
    const cookie = readCookies(request).get(this.cookieName);
    const field = form.get('csrf_token');
    if (cookie === undefined || field === null || !equalTokens(cookie, field)) {
      throw new SsoError('SSO_CSRF_INVALID');
    }
  }
}
