import { SsoError } from '../errors.ts';

/**
 * Open-redirect safety: a `return_to` value is accepted only when it is a path on this server under `basePath` (or
 * one of several base paths: the host's own pages beside Passport's SSO) (no scheme, no host, no `//` or backslash
 * tricks, no control characters). Anything else throws
 * `SSO_REDIRECT_UNSAFE`; an absent value gives the fallback.
 */
export function safeReturnTo(
  value: string | null | undefined,
  origin: string,
  basePath: string | readonly string[],
  fallback: string,
) {
  if (value === null || value === undefined || value === '') return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  const unsafe = !value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value);
  if (unsafe)
    throw new SsoError('SSO_REDIRECT_UNSAFE', undefined, { detail: { returnTo: value.slice(0, 200) } });
  const resolved = new URL(value, origin);
  const bases = typeof basePath === 'string' ? [basePath] : basePath;
  const under = (base: string) =>
    base === '' || `${resolved.pathname}/`.startsWith(`${base}/`) || resolved.pathname === base;
  if (resolved.origin !== origin || !bases.some(under)) {
    throw new SsoError('SSO_REDIRECT_UNSAFE', undefined, { detail: { returnTo: value.slice(0, 200) } });
  }
  return `${resolved.pathname}${resolved.search}`;
}
