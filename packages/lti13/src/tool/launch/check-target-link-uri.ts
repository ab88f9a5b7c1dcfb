import { claimUris } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

function absoluteHttpUrl(value: string): URL | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

/**
 * Step 16. When the id_token's `target_link_uri` is an absolute URL it must be the one the login named (the tool
 * redirects to the login's, which was checked against the tool's own origins). A value that is not a URL is kept
 * as data: the certification suite's valid launches send `packback.co`, and its deep linking request sends none.
 */
export function checkTargetLinkUri(
  payload: Readonly<Record<string, unknown>>,
  loginTargetLinkUri: string,
): void {
  const claim = payload[claimUris.targetLinkUri];
  if (claim === undefined) return;
  if (typeof claim !== 'string')
    throw new LtiError('LTI_CLAIM_INVALID', 'The target_link_uri claim must be a string.');
  if (claim === loginTargetLinkUri) return;
  const url = absoluteHttpUrl(claim);
  if (url === undefined) return;
  if (url.href !== new URL(loginTargetLinkUri).href) {
    throw new LtiError(
      'LTI_TARGET_LINK_URI_MISMATCH',
      `The id_token targets ${url.href} but the login targeted ${loginTargetLinkUri}.`,
    );
  }
}
