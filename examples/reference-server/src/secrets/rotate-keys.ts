import { systemClock } from '@passport/core';
import { KeyRing, type KeyStore } from '@passport/lti13';
import { recordAudit } from '../audit/audit-log.ts';
import type { Queryable } from '../db/database.ts';
import type { SsoService } from '../identity/sso-service.ts';

/** The signing keys an operator can rotate: the SSO's OpenID keys and the LTI tool's key. */
export const rotatableKeys = ['sso', 'lti'] as const;
export type RotatableKey = (typeof rotatableKeys)[number];

export interface KeyRotation {
  /** The OpenID provider's keys: the ones retired (published one more day) and the new signing key. */
  sso?: { retired: string[]; created: string };
  /** The LTI tool's new signing key (the old one stays in `/lti/jwks` for a day). */
  lti?: { created: string };
}

/**
 * Rotates signing keys: a new key is published at once and signs after one key-cache period (30 s), when every
 * server process publishes it too; the old one signs meanwhile and stays published for the overlap (one day), so
 * tokens it signed still verify. Audited.
 */
export async function rotateSigningKeys(input: {
  db: Queryable;
  sso: SsoService;
  ltiKeys: KeyStore;
  which?: readonly RotatableKey[];
  actor: string;
}): Promise<KeyRotation> {
  const which = new Set(input.which ?? rotatableKeys);
  const rotation: KeyRotation = {};
  if (which.has('sso')) rotation.sso = await input.sso.idp().rotateKeys();
  if (which.has('lti')) {
    const rotated = await new KeyRing({ store: input.ltiKeys, clock: systemClock }).rotate();
    rotation.lti = { created: rotated.kid };
  }
  await recordAudit(
    input.db,
    { tenantId: null, actor: input.actor, action: 'keys.rotated', detail: { ...rotation } },
    systemClock,
  );
  return rotation;
}
