import type { SsoUrls } from '../../context.ts';

/** The sign-in page URL that comes back to `returnTo` (a path on this server) once the person has signed in. */
export function signInUrl(
  urls: SsoUrls,
  returnTo: string,
  options: { district?: string | undefined; loginHint?: string | undefined; reauthenticate?: boolean } = {},
): string {
  const url = new URL(urls.signIn);
  url.searchParams.set('return_to', returnTo);
  if (options.district !== undefined) url.searchParams.set('district', options.district);
  if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
  if (options.reauthenticate === true) url.searchParams.set('reauth', '1');
  return `${url.pathname}${url.search}`;
}
