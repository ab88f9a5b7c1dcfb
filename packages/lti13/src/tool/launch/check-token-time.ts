import { LtiError } from '../../errors.ts';
import type { RegisteredClaims } from './check-lti-token.ts';

/**
 * Step 8. Times, with a small skew for clocks that drift: not issued in the future, not older than the maximum
 * launch age (minutes, not seconds: a user may take a while on a slow network), not expired, not before `nbf`.
 */
export function checkTokenTime(input: {
  claims: RegisteredClaims;
  now: Date;
  clockSkewSeconds: number;
  maxLaunchAgeSeconds: number;
}): void {
  const { claims, clockSkewSeconds, maxLaunchAgeSeconds } = input;
  const now = input.now.getTime() / 1000;
  if (claims.iat > now + clockSkewSeconds) {
    throw new LtiError(
      'LTI_TOKEN_NOT_YET_VALID',
      `The id_token was issued ${Math.round(claims.iat - now)} s in the future.`,
    );
  }
  if (claims.nbf !== undefined && claims.nbf > now + clockSkewSeconds) {
    throw new LtiError(
      'LTI_TOKEN_NOT_YET_VALID',
      `The id_token is not valid for another ${Math.round(claims.nbf - now)} s.`,
    );
  }
  if (now - claims.iat > maxLaunchAgeSeconds + clockSkewSeconds) {
    throw new LtiError(
      'LTI_TOKEN_TOO_OLD',
      `The id_token was issued ${Math.round(now - claims.iat)} s ago; launches older than ${maxLaunchAgeSeconds} s are refused.`,
    );
  }
  if (claims.exp <= now - clockSkewSeconds) {
    throw new LtiError('LTI_TOKEN_EXPIRED', `The id_token expired ${Math.round(now - claims.exp)} s ago.`);
  }
}
