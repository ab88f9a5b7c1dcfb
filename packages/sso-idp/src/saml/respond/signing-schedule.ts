import { SsoError } from '../../errors.ts';
import type { SamlSigningCredential } from './sign.ts';

/**
 * SAML signing certificate rotation, driven by the clock so every server process switches at the same moment:
 *
 * 1. publish: add the next credential with `signFrom` in the future. The metadata lists it beside the current one
 *    (service providers that refresh metadata, or are told, trust both).
 * 2. switch: at `signFrom` the next credential signs; the previous one stays published for the overlap.
 * 3. retire: at the previous credential's `retireAt` it leaves the metadata and never signs again.
 */
const time = (date: Date | undefined, otherwise: number) => (date === undefined ? otherwise : date.getTime());

const live = (credential: SamlSigningCredential, now: number) =>
  time(credential.retireAt, Number.POSITIVE_INFINITY) > now;

/** The credential that signs at `now`: the live one with the latest `signFrom` that has passed (first on ties). */
export function signingCredentialAt(
  credentials: readonly SamlSigningCredential[],
  now: Date,
): SamlSigningCredential {
  let chosen: SamlSigningCredential | undefined;
  for (const credential of credentials) {
    if (!live(credential, now.getTime())) continue;
    const from = time(credential.signFrom, Number.NEGATIVE_INFINITY);
    if (from > now.getTime()) continue;
    if (chosen === undefined || from > time(chosen.signFrom, Number.NEGATIVE_INFINITY)) chosen = credential;
  }
  if (chosen === undefined) {
    throw new SsoError('SSO_SIGNING_KEY_MISSING', 'No SAML signing credential is active now.', {
      detail: { now: now.toISOString() },
    });
  }
  return chosen;
}

/** The certificates the metadata lists at `now`: the signing one first, then every other live one. */
export function publishedCertificatesAt(credentials: readonly SamlSigningCredential[], now: Date): string[] {
  const signing = signingCredentialAt(credentials, now);
  return [
    signing.certificate,
    ...credentials
      .filter((credential) => credential !== signing && live(credential, now.getTime()))
      .map((credential) => credential.certificate),
  ];
}

/** Option checks: at least one credential, and none retired before it starts signing. */
export function checkSigningSchedule(credentials: readonly SamlSigningCredential[]): void {
  if (credentials.length === 0) throw new SsoError('SSO_SIGNING_KEY_MISSING');
  credentials.forEach((credential, index) => {
    if (
      credential.signFrom !== undefined &&
      credential.retireAt !== undefined &&
      credential.retireAt.getTime() <= credential.signFrom.getTime()
    ) {
      throw new SsoError(
        'SSO_OPTIONS_INVALID',
        `Invalid option saml.signing.${index}: retireAt must be after signFrom`,
      );
    }
  });
}
