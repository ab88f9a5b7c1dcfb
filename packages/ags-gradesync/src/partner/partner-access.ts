import { z } from 'zod';
import { GradeSyncError } from '../errors.ts';
import type { PartnerAuthenticator, PartnerPrincipal } from '../ports.ts';

/**
 * Who may do what on the partner gradebook API, checked in this order, each failing closed with its own code:
 * 1. authenticate the request (the host's port): no valid credentials → 401 `GRADESYNC_PARTNER_UNAUTHORIZED`;
 * 2. check the scope the method needs → 403 `GRADESYNC_PARTNER_SCOPE_MISSING`;
 * 3. check the class's district against the credentials' districts → 403 `GRADESYNC_PARTNER_DISTRICT_FORBIDDEN`.
 * Ownership (an app sees only its own assignments) is checked by the routes: another app's assignment is a 404.
 */

/** The OneRoster gradebook scopes the API needs: reads and writes. */
export const partnerScopes = {
  read: 'gradebook.readonly',
  write: 'gradebook.createput',
} as const;

type PartnerScope = (typeof partnerScopes)[keyof typeof partnerScopes];

/** A scope's short name, from the short name or a OneRoster 1.1 / 1.2 scope URI. */
const scopeUri = /^https:\/\/purl\.imsglobal\.org\/spec\/or\/v1p[12]\/scope\/([a-z.-]+)$/;
const shortScope = (scope: string) => scopeUri.exec(scope)?.[1] ?? scope;

const principalSchema = z.object({
  partnerId: z.string().min(1),
  districtIds: z.array(z.string()),
  scopes: z.array(z.string()),
});

/** Step 1: the principal the host's authenticator finds, or 401. A malformed answer is the host's bug: 500. */
export async function authenticatePartner(
  authenticator: PartnerAuthenticator,
  request: Request,
): Promise<PartnerPrincipal> {
  const principal = await authenticator.authenticate(request);
  if (principal === null || principal === undefined)
    throw new GradeSyncError(
      'GRADESYNC_PARTNER_UNAUTHORIZED',
      request.headers.has('authorization')
        ? 'The credentials are not valid (unknown, expired or revoked).'
        : 'The request carries no credentials.',
    );
  const parsed = principalSchema.safeParse(principal);
  if (!parsed.success)
    throw new Error(`The partner authenticator answered a malformed principal: ${parsed.error.message}`);
  return parsed.data;
}

/** The scope a request needs: reads `gradebook.readonly`, everything else `gradebook.createput`. */
export function scopeFor(method: string): PartnerScope {
  return method === 'GET' || method === 'HEAD' ? partnerScopes.read : partnerScopes.write;
}

/** Step 2: the method's scope, or 403. */
export function checkPartnerScope(principal: PartnerPrincipal, method: string): void {
  const needed = scopeFor(method);
  if (!principal.scopes.some((scope) => shortScope(scope) === needed))
    throw new GradeSyncError(
      'GRADESYNC_PARTNER_SCOPE_MISSING',
      `${method} needs the scope ${needed}, which these credentials were not granted.`,
      { detail: { needed, granted: principal.scopes } },
    );
}

/** Step 3: the class's district among the credentials' districts, or 403. */
export function checkPartnerDistrict(principal: PartnerPrincipal, classId: string, districtId: string): void {
  if (!principal.districtIds.includes(districtId))
    throw new GradeSyncError(
      'GRADESYNC_PARTNER_DISTRICT_FORBIDDEN',
      `Class ${classId} belongs to a district these credentials do not reach.`,
      { detail: { districtId, districtIds: principal.districtIds } },
    );
}

/** An RFC 6750 quoted value: printable ASCII without `"` and `\`. */
const quoted = (text: string) => `"${text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;

/**
 * The `WWW-Authenticate` challenge of a refusal (RFC 6750 §3): a 401 names the realm, and the `invalid_token` error
 * only when credentials were sent; a missing scope is `insufficient_scope` with the scope needed. Undefined for other
 * refusals.
 */
export function partnerChallenge(error: GradeSyncError, request: Request, realm: string): string | undefined {
  const parts = [`Bearer realm=${quoted(realm)}`];
  if (error.code === 'GRADESYNC_PARTNER_UNAUTHORIZED') {
    if (request.headers.has('authorization'))
      parts.push('error="invalid_token"', `error_description=${quoted(error.description)}`);
    return parts.join(', ');
  }
  if (error.code === 'GRADESYNC_PARTNER_SCOPE_MISSING') {
    parts.push(
      'error="insufficient_scope"',
      `error_description=${quoted(error.description)}`,
      `scope=${quoted(scopeFor(request.method))}`,
    );
    return parts.join(', ');
  }
  return undefined;
}
