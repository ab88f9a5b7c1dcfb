import type { SsoContext } from '../context.ts';
import { cookieName, readCookies, serializeCookie } from '../http/cookies.ts';
import { hashToken, randomToken } from '../sessions/tokens.ts';

/**
 * Binds an upstream sign-in to the browser that started it (no login CSRF: an attacker cannot make a victim's
 * browser finish the attacker's sign-in). A random value goes into a short-lived cookie; its hash goes into the
 * stored state; the callback must bring the cookie back.
 */
export function bindBrowser(sso: SsoContext): { hash: string; setCookie: string } {
  const value = randomToken();
  return {
    hash: hashToken(value),
    setCookie: serializeCookie(cookieName('passport_upstream', sso.secureCookies), value, {
      secure: sso.secureCookies,
      // Upstream SAML answers with a cross-site POST: over https the cookie must be SameSite=None to come back.
      sameSite: sso.secureCookies ? 'None' : 'Lax',
      maxAgeSeconds: 600,
    }),
  };
}

export function browserMatches(sso: SsoContext, request: Request, expectedHash: string): boolean {
  const value = readCookies(request).get(cookieName('passport_upstream', sso.secureCookies));
  return value !== undefined && hashToken(value) === expectedHash;
}

export function clearBinding(sso: SsoContext): string {
  return serializeCookie(cookieName('passport_upstream', sso.secureCookies), '', {
    secure: sso.secureCookies,
    sameSite: sso.secureCookies ? 'None' : 'Lax',
    maxAgeSeconds: 0,
  });
}
