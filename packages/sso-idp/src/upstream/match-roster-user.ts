import type { SsoContext } from '../context.ts';
import { SsoError } from '../errors.ts';
import type { RosterMatchRule, RosterUser } from '../ports.ts';

export interface UpstreamIdentity {
  /** Which sign-in method vouched for it (`google`, `adfs`, `lms`). */
  readonly methodId: string;
  /** Claims or attributes as the upstream sent them (strings or string arrays). */
  readonly claims: Readonly<Record<string, unknown>>;
}

const firstString = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (Array.isArray(value)) return firstString(value[0]);
  return undefined;
};

/**
 * Finds the roster user an upstream identity belongs to, by the district's rules in order: the first rule whose
 * claim is present decides. Exactly one enabled user must match; no match (`SSO_ROSTER_NO_MATCH`) and several
 * (`SSO_ROSTER_AMBIGUOUS_MATCH`) are refused and audited, and no roster user is ever created. An email only
 * counts when the upstream does not say it is unverified and, if the method lists domains, is in one of them.
 */
export async function matchRosterUser(
  sso: SsoContext,
  districtId: string,
  rules: readonly RosterMatchRule[],
  identity: UpstreamIdentity,
  options: { allowedEmailDomains?: readonly string[] | undefined; ip?: string | undefined } = {},
): Promise<RosterUser> {
  const refuse = async (
    code: 'SSO_ROSTER_NO_MATCH' | 'SSO_ROSTER_AMBIGUOUS_MATCH',
    detail: Record<string, string>,
  ) => {
    await sso.audit({
      type: 'signin.unmatched',
      districtId,
      via: identity.methodId,
      code,
      detail,
      ...(options.ip === undefined ? {} : { ip: options.ip }),
    });
    return new SsoError(code, undefined, { detail });
  };
  for (const rule of rules) {
    const value = firstString(identity.claims[rule.claim]);
    if (value === undefined) continue;
    const detail = { claim: rule.claim, attribute: rule.attribute, value: value.slice(0, 200) };
    if (rule.attribute === 'email') {
      if (identity.claims.email_verified === false)
        throw await refuse('SSO_ROSTER_NO_MATCH', { ...detail, reason: 'email not verified' });
      const domains = options.allowedEmailDomains;
      const domain = value.slice(value.lastIndexOf('@')).toLowerCase();
      if (domains !== undefined && !domains.some((allowed) => allowed.toLowerCase() === domain)) {
        throw await refuse('SSO_ROSTER_NO_MATCH', { ...detail, reason: 'email domain not allowed' });
      }
    }
    const users = (await sso.roster.findUsersBy(districtId, rule.attribute, value)).filter(
      (user) => user.districtId === districtId,
    );
    if (users.length === 0) throw await refuse('SSO_ROSTER_NO_MATCH', detail);
    if (users.length > 1)
      throw await refuse('SSO_ROSTER_AMBIGUOUS_MATCH', { ...detail, matches: String(users.length) });
    const user = users[0] as RosterUser;
    if (!user.enabled) throw new SsoError('SSO_USER_DISABLED');
    return user;
  }
  throw await refuse('SSO_ROSTER_NO_MATCH', {
    reason: 'no matching claim present',
    claims: Object.keys(identity.claims).slice(0, 20).join(','),
  });
}
