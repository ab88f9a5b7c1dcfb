import type { SsoErrorCode } from '../errors.ts';
import type { AppRegistry, DistrictGrant, RosterDirectory, RosterUser } from '../ports.ts';

export type AccessDecision =
  | { readonly allowed: true; readonly user: RosterUser; readonly grant: DistrictGrant }
  | { readonly allowed: false; readonly code: SsoErrorCode; readonly user?: RosterUser };

const overlaps = (left: readonly string[], right: readonly string[]) =>
  left.some((item) => right.includes(item));

/**
 * Whether the district's grant lets this roster user into the app. The checks run in a fixed order, so the
 * refusal names the first reason: unknown user, disabled user, no grant, role, school, class.
 */
export function decideAccess(user: RosterUser | undefined, grant: DistrictGrant | undefined): AccessDecision {
  if (user === undefined) return { allowed: false, code: 'SSO_USER_UNKNOWN' };
  if (!user.enabled) return { allowed: false, code: 'SSO_USER_DISABLED', user };
  if (grant === undefined || grant.districtId !== user.districtId) {
    return { allowed: false, code: 'SSO_APP_NOT_GRANTED', user };
  }
  if (grant.roles !== undefined && !grant.roles.includes(user.role)) {
    return { allowed: false, code: 'SSO_GRANT_ROLE_EXCLUDED', user };
  }
  if (grant.schoolIds !== undefined && !overlaps(grant.schoolIds, user.schoolIds)) {
    return { allowed: false, code: 'SSO_GRANT_SCHOOL_EXCLUDED', user };
  }
  if (grant.classIds !== undefined && !overlaps(grant.classIds, user.classIds)) {
    return { allowed: false, code: 'SSO_GRANT_CLASS_EXCLUDED', user };
  }
  return { allowed: true, user, grant };
}

/** Loads the user and the district's grant for the app, then decides. */
export async function checkAppAccess(
  directories: { roster: RosterDirectory; apps: AppRegistry },
  userId: string,
  appId: string,
): Promise<AccessDecision> {
  const user = await directories.roster.findUser(userId);
  if (user === undefined) return decideAccess(undefined, undefined);
  return decideAccess(user, await directories.apps.getGrant(user.districtId, appId));
}
