import { claimUris } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

const core = [
  ['message_type', claimUris.messageType],
  ['version', claimUris.version],
  ['roles', claimUris.roles],
] as const;

/**
 * Step 11. Every LTI message carries `message_type`, `version` and `roles`. When several are missing at once the
 * token is refused with one code listing them all; a single missing claim is left to its own step, which names it.
 */
export function checkRequiredClaims(payload: Readonly<Record<string, unknown>>): void {
  const missing = core.filter(([, uri]) => payload[uri] === undefined).map(([name]) => name);
  if (missing.length > 1) {
    throw new LtiError('LTI_CLAIMS_MISSING', `The id_token lacks the LTI claims ${missing.join(', ')}.`);
  }
  const roles = payload[claimUris.roles];
  if (roles === undefined) throw new LtiError('LTI_ROLES_MISSING');
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string')) {
    throw new LtiError('LTI_CLAIM_INVALID', 'The roles claim must be an array of strings.');
  }
}
