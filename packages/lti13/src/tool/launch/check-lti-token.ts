import { ltiClaimPrefix } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

export interface RegisteredClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly azp?: string | undefined;
  readonly exp: number;
  readonly iat: number;
  readonly nbf?: number | undefined;
  readonly nonce?: string | undefined;
}

/**
 * Step 3. The token must be an LTI message (at least one `https://purl.imsglobal.org/spec/lti…` claim) with the
 * registered claims an OIDC id_token has. Nothing is trusted yet: this only decides how to look the platform up.
 */
export function checkLtiToken(payload: Readonly<Record<string, unknown>>): RegisteredClaims {
  if (!Object.keys(payload).some((name) => name.startsWith(ltiClaimPrefix))) {
    throw new LtiError(
      'LTI_NOT_LTI_TOKEN',
      'The id_token carries no LTI claim: it is not an LTI 1.3 message.',
    );
  }
  // Checked by hand, not with the zod schema: this runs on every launch and costs a few microseconds less.
  const { iss, aud, azp, exp, iat, nbf, nonce } = payload;
  const invalid = (claim: string, expected: string) =>
    new LtiError(
      'LTI_CLAIM_INVALID',
      `The id_token claim "${claim}" is missing or invalid: expected ${expected}.`,
    );
  if (typeof iss !== 'string' || iss === '') throw invalid('iss', 'a non-empty string');
  const audienceValid =
    (typeof aud === 'string' && aud !== '') ||
    (Array.isArray(aud) &&
      aud.length > 0 &&
      aud.every((member) => typeof member === 'string' && member !== ''));
  if (!audienceValid) throw invalid('aud', 'a string or a non-empty array of strings');
  if (azp !== undefined && typeof azp !== 'string') throw invalid('azp', 'a string');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('exp', 'a number');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('iat', 'a number');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf)))
    throw invalid('nbf', 'a number');
  if (nonce !== undefined && typeof nonce !== 'string') throw invalid('nonce', 'a string');
  return { iss, aud: aud as string | string[], azp, exp, iat, nbf, nonce } as RegisteredClaims;
}
