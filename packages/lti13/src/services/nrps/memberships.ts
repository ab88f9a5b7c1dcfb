import { parseRoles, type Role } from '../../claims/roles.ts';
import { LtiError } from '../../errors.ts';
import { parseLinkHeader } from '../../http/link-header.ts';
import { mediaTypes } from '../media-types.ts';
import { readJson, refusalOf } from '../service-response.ts';
import { withQuery } from '../service-url.ts';
import { type Member, type MembershipContainer, membershipContainerSchema } from './schemas.ts';

export interface MembershipFilters {
  /** A role URI or short name. */
  readonly role?: string | undefined;
  /** Members who can access this resource link. */
  readonly resourceLinkId?: string | undefined;
  readonly limit?: number | undefined;
}

export function buildMembershipsRequest(input: {
  url: string;
  accessToken: string;
  filters?: MembershipFilters;
}): Request {
  const filters = input.filters ?? {};
  const url = withQuery(input.url, {
    role: filters.role,
    rlid: filters.resourceLinkId,
    limit: filters.limit,
  });
  return new Request(url, {
    headers: { accept: mediaTypes.membershipContainer, authorization: `Bearer ${input.accessToken}` },
  });
}

/** A member with its roles read into full URIs (Moodle answers short names). */
export type MemberWithRoles = Member & { readonly parsedRoles: readonly Role[] };

export interface MembershipPage {
  readonly context: MembershipContainer['context'];
  readonly members: MemberWithRoles[];
  readonly next: string | undefined;
  /** The URL that returns only what changed since this answer. */
  readonly differences: string | undefined;
}

export async function processMembershipsResponse(response: Response): Promise<MembershipPage> {
  if (!response.ok) throw await refusalOf(response, 'the memberships');
  const body = await readJson(response, mediaTypes.membershipContainer, 'the memberships');
  const parsed = membershipContainerSchema.safeParse(body);
  if (!parsed.success) {
    throw new LtiError(
      'LTI_SERVICE_RESPONSE_INVALID',
      `The membership container is invalid: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
    );
  }
  const links = parseLinkHeader(response.headers.get('link'));
  return {
    context: parsed.data.context,
    members: parsed.data.members.map((member) => ({ ...member, parsedRoles: parseRoles(member.roles) })),
    next: links.get('next'),
    differences: links.get('differences'),
  };
}
