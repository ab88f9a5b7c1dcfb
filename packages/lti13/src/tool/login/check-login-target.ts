import { LtiError } from '../../errors.ts';

/** The login's `target_link_uri` must be an http(s) URL on one of the tool's own origins: the tool redirects there. */
export function checkLoginTarget(targetLinkUri: string, allowedOrigins: readonly string[]): string {
  const url = URL.canParse(targetLinkUri) ? new URL(targetLinkUri) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !allowedOrigins.includes(url.origin)
  ) {
    throw new LtiError(
      'LTI_TARGET_LINK_URI_INVALID',
      `The target_link_uri ${targetLinkUri} is not on this tool's origins (${allowedOrigins.join(', ')}).`,
    );
  }
  return url.href;
}
