import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import type { BadgeCredential, BadgeUpstream, RosterUser } from '../../ports.ts';
import { badgeUrl, hashBadgeSecret, newBadgeToken } from './badge-token.ts';

/** A badge just issued. `url` holds the secret: print it (as a QR code), never store or log it. */
export interface IssuedBadge {
  readonly badgeId: string;
  readonly districtId: string;
  readonly userId: string;
  readonly url: string;
  readonly issuedAt: Date;
  readonly expiresAt?: Date;
}

export interface IssueBadgeInput {
  readonly districtId: string;
  readonly userId: string;
  /** The administrator or teacher issuing it, for the audit trail. */
  readonly issuedBy?: string;
  /** When the badge stops working (the end of the school year); absent: until revoked. */
  readonly expiresAt?: Date;
}

/** The district's badge sign-in method; `SSO_SIGNIN_METHOD_UNAVAILABLE` when it has none. */
export async function badgeMethodOf(sso: SsoContext, districtId: string): Promise<BadgeUpstream> {
  const district = await sso.districts.getDistrict(districtId);
  if (district === undefined) throw new SsoError('SSO_DISTRICT_UNKNOWN');
  const method = district.signInMethods.find((candidate) => candidate.kind === 'badge');
  if (method?.kind !== 'badge') {
    throw new SsoError('SSO_SIGNIN_METHOD_UNAVAILABLE', 'This district does not use badge sign-in.');
  }
  return method;
}

/** Whether the roster user may hold (and sign in with) a badge of this method; throws the refusal's code. */
export function checkBadgeHolder(
  method: BadgeUpstream,
  districtId: string,
  user: RosterUser | undefined,
): RosterUser {
  if (user === undefined || user.districtId !== districtId) throw new SsoError('SSO_USER_UNKNOWN');
  if (!user.enabled) throw new SsoError('SSO_USER_DISABLED');
  if (!(method.roles ?? ['student']).includes(user.role)) throw new SsoError('SSO_BADGE_ROLE_EXCLUDED');
  return user;
}

/**
 * Issues a badge: a fresh random token whose secret is stored only hashed. The user's earlier badges are revoked,
 * so re-issuing (a lost badge, a reprinted sheet) replaces them; the old QR codes stop working at once.
 */
export async function issueBadge(sso: SsoContext, input: IssueBadgeInput): Promise<IssuedBadge> {
  const method = await badgeMethodOf(sso, input.districtId);
  checkBadgeHolder(method, input.districtId, await sso.roster.findUser(input.userId));
  const now = sso.clock.now();
  if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
    throw new SsoError('SSO_REQUEST_INVALID', 'The badge would expire before it is issued.');
  }
  const replaced = await sso.badges.revokeForUser(input.districtId, input.userId, now);
  if (replaced > 0) {
    await sso.audit({
      type: 'badge.revoked',
      districtId: input.districtId,
      userId: input.userId,
      via: method.id,
      detail: { reason: 'replaced', count: String(replaced) },
    });
  }
  const { badgeId, secret, token } = newBadgeToken();
  await sso.badges.save({
    badgeId,
    districtId: input.districtId,
    userId: input.userId,
    secretHash: hashBadgeSecret(secret),
    issuedAt: now,
    ...(input.issuedBy === undefined ? {} : { issuedBy: input.issuedBy }),
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
  });
  await sso.audit({
    type: 'badge.issued',
    districtId: input.districtId,
    userId: input.userId,
    via: method.id,
    detail: { badgeId, ...(input.issuedBy === undefined ? {} : { issuedBy: input.issuedBy }) },
  });
  return {
    badgeId,
    districtId: input.districtId,
    userId: input.userId,
    url: badgeUrl(sso.urls, input.districtId, token),
    issuedAt: now,
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
  };
}

/**
 * Revokes badges: one (`badgeId`) or all of a user's (`userId`). Returns how many were revoked; each revocation
 * is audited. A revoked badge answers `SSO_BADGE_REVOKED` from then on.
 */
export async function revokeBadges(
  sso: SsoContext,
  input: { districtId: string; badgeId?: string; userId?: string; revokedBy?: string },
): Promise<number> {
  const now = sso.clock.now();
  const by: Record<string, string> = input.revokedBy === undefined ? {} : { revokedBy: input.revokedBy };
  if (input.badgeId !== undefined) {
    const badge = await sso.badges.find(input.badgeId);
    if (!(await sso.badges.revoke(input.districtId, input.badgeId, now))) return 0;
    await sso.audit({
      type: 'badge.revoked',
      districtId: input.districtId,
      ...(badge === undefined ? {} : { userId: badge.userId }),
      detail: { badgeId: input.badgeId, reason: 'revoked', ...by },
    });
    return 1;
  }
  if (input.userId === undefined) throw new SsoError('SSO_REQUEST_INVALID', 'Name a badgeId or a userId.');
  const count = await sso.badges.revokeForUser(input.districtId, input.userId, now);
  if (count > 0) {
    await sso.audit({
      type: 'badge.revoked',
      districtId: input.districtId,
      userId: input.userId,
      detail: { reason: 'revoked', count: String(count), ...by },
    });
  }
  return count;
}

/** A badge as an administrator sees it: everything but the secret's hash, and whether it still works. */
export type BadgeSummary = Omit<BadgeCredential, 'secretHash'> & {
  readonly status: 'active' | 'revoked' | 'expired';
};

/** A user's badges in the district, newest first (for an administrator's console). */
export async function listBadges(
  sso: SsoContext,
  input: { districtId: string; userId: string },
): Promise<BadgeSummary[]> {
  const now = sso.clock.now().getTime();
  return (await sso.badges.listByUser(input.districtId, input.userId)).map(
    ({ secretHash: _hash, ...badge }) => ({
      ...badge,
      status:
        badge.revokedAt !== undefined && badge.revokedAt.getTime() <= now
          ? 'revoked'
          : badge.expiresAt !== undefined && badge.expiresAt.getTime() <= now
            ? 'expired'
            : 'active',
    }),
  );
}
