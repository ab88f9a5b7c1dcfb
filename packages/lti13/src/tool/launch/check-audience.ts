import { LtiError } from '../../errors.ts';

/**
 * Step 6. `aud` (a string or an array) must contain the tool's client id; with several audiences `azp` must be
 * present and be the tool's client id, and an `azp` that is present must always be it (OIDC core §3.1.3.7).
 */
export function checkAudience(input: {
  audience: readonly string[];
  azp: string | undefined;
  clientId: string;
}): void {
  const { audience, azp, clientId } = input;
  if (!audience.includes(clientId)) {
    throw new LtiError(
      'LTI_AUDIENCE_MISMATCH',
      `The id_token audience does not include client id ${clientId}.`,
    );
  }
  if (audience.length > 1 && azp === undefined) {
    throw new LtiError('LTI_AZP_MISMATCH', 'The id_token has several audiences and no azp.');
  }
  if (azp !== undefined && azp !== clientId) {
    throw new LtiError('LTI_AZP_MISMATCH', `The id_token azp ${azp} is not client id ${clientId}.`);
  }
}

export function audienceList(aud: string | readonly string[]): readonly string[] {
  return typeof aud === 'string' ? [aud] : aud;
}
