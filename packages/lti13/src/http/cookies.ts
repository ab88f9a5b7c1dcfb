/** Cookie reading and writing for the login state fallback. */

export function readCookies(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = request.headers.get('cookie');
  if (header === null) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (name !== '' && !cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(value));
      } catch {
        cookies.set(name, value);
      }
    }
  }
  return cookies;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  path?: string;
  /** Default true. Off only for plain-http development on hosts other than localhost. */
  secure?: boolean;
  /** Default true: CHIPS, so the cookie survives in an LMS iframe when unpartitioned third-party cookies are blocked. */
  partitioned?: boolean;
}

/** A cookie an LMS iframe can carry: `SameSite=None; Secure; Partitioned; HttpOnly`. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
  ];
  if (options.secure !== false) {
    parts.push('Secure', 'SameSite=None');
    if (options.partitioned !== false) parts.push('Partitioned');
  } else {
    parts.push('SameSite=Lax');
  }
  return parts.join('; ');
}
