/** Cookie reading and writing for the login state fallback. */

/**
 * The value of one cookie (the first of that name), without building the map of all of them: the launch reads
 * exactly one. The value is percent-decoded when it decodes, kept as sent otherwise.
 */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (header === null) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
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
