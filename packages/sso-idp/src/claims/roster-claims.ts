import type { ClaimName, DistrictGrant, RosterUser } from '../ports.ts';

/** The OpenID scopes Passport offers and the claims each one asks for. */
export const scopeClaims = {
  profile: ['name', 'given_name', 'family_name'],
  email: ['email'],
  roster: ['role', 'district_id', 'school_ids', 'grades', 'roster_sourced_id'],
  classes: ['class_ids'],
} as const satisfies Record<string, readonly ClaimName[]>;

export type RosterScope = keyof typeof scopeClaims;

export const rosterScopes = Object.keys(scopeClaims) as RosterScope[];

export type RosterClaims = Partial<Record<ClaimName, string | readonly string[]>>;

const within = (values: readonly string[], allowed: readonly string[] | undefined) =>
  allowed === undefined ? [...values] : values.filter((value) => allowed.includes(value));

/**
 * The claims about a roster user an app may receive under a district grant, and only those: a claim the grant
 * does not list is absent, and when the grant is limited to some schools or classes, only those are named.
 */
export function rosterClaims(user: RosterUser, grant: DistrictGrant): RosterClaims {
  const all: RosterClaims = {
    name: `${user.givenName} ${user.familyName}`.trim(),
    given_name: user.givenName,
    family_name: user.familyName,
    role: user.role,
    district_id: user.districtId,
    school_ids: within(user.schoolIds, grant.schoolIds),
    grades: [...user.grades],
    class_ids: within(user.classIds, grant.classIds),
    roster_sourced_id: user.sourcedId,
    ...(user.email === undefined ? {} : { email: user.email }),
  };
  const released: RosterClaims = {};
  for (const claim of grant.claims) {
    const value = all[claim];
    if (value !== undefined) released[claim] = value;
  }
  return released;
}
