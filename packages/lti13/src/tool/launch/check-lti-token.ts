import { registeredClaims } from '../../claims/schemas.ts';
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
  const result = registeredClaims.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    const claim = String(issue?.path[0] ?? 'iss');
    throw new LtiError(
      'LTI_CLAIM_INVALID',
      `The id_token claim "${claim}" is missing or invalid: ${issue?.message}.`,
    );
  }
  return result.data;
}
