import { randomBytes } from 'node:crypto';
import { SsoError } from '../../errors.ts';
import { pairwiseSubject } from '../../oidc/subjects.ts';
import type { RosterUser, SamlNameIdFormat } from '../../ports.ts';

export const nameIdFormats: Record<SamlNameIdFormat, string> = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
};

/**
 * Checks the NameID format a service provider asked for (NameIDPolicy) against the app's registration: the same
 * format, or `unspecified`, or none at all. Anything else is `SSO_SAML_NAMEID_FORMAT_UNSUPPORTED`.
 */
export function checkNameIdPolicy(requested: string | undefined, configured: SamlNameIdFormat): void {
  if (
    requested === undefined ||
    requested === nameIdFormats.unspecified ||
    requested === nameIdFormats[configured]
  ) {
    return;
  }
  throw new SsoError('SSO_SAML_NAMEID_FORMAT_UNSUPPORTED', undefined, { detail: { requested } });
}

/**
 * The NameID an app receives: the roster email (`emailAddress`), a pairwise id per app that never changes
 * (`persistent`, and `unspecified`, so apps cannot correlate students), or a fresh id per sign-on (`transient`).
 */
export function nameIdFor(
  format: SamlNameIdFormat,
  user: RosterUser,
  appId: string,
  pairwiseSecret: string,
): { value: string; format: string } {
  switch (format) {
    case 'emailAddress':
      if (user.email === undefined) {
        throw new SsoError(
          'SSO_SAML_NAMEID_FORMAT_UNSUPPORTED',
          'The roster has no email address for this user.',
        );
      }
      return { value: user.email, format: nameIdFormats.emailAddress };
    case 'transient':
      return { value: `_${randomBytes(20).toString('hex')}`, format: nameIdFormats.transient };
    default:
      return { value: pairwiseSubject(pairwiseSecret, appId, user.userId), format: nameIdFormats[format] };
  }
}
