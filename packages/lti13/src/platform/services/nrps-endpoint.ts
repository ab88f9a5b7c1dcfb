import { parseRole, parseRoles } from '../../claims/roles.ts';
import { scopes } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';
import { formatLinkHeader, parseLinkHeader } from '../../http/link-header.ts';
import { jsonResponse } from '../../http/respond.ts';
import type { ContextMember } from '../../ports.ts';
import { mediaTypes } from '../../services/media-types.ts';
import { membershipsUrl, type PlatformContext } from '../platform-context.ts';
import { authorizeServiceRequest } from '../token/access-tokens.ts';
import { paginate } from './paging.ts';

function memberJson(member: ContextMember, shortRoles: boolean, status?: ContextMember['status']) {
  const roles = shortRoles
    ? parseRoles(member.roles).map((role) =>
        role.kind === 'context' && role.subRole === undefined ? role.name : role.uri,
      )
    : [...member.roles];
  return {
    user_id: member.userId,
    roles,
    status: status ?? member.status ?? 'Active',
    ...(member.name === undefined ? {} : { name: member.name }),
    ...(member.givenName === undefined ? {} : { given_name: member.givenName }),
    ...(member.familyName === undefined ? {} : { family_name: member.familyName }),
    ...(member.email === undefined ? {} : { email: member.email }),
    ...(member.picture === undefined ? {} : { picture: member.picture }),
    ...(member.lisPersonSourcedId === undefined ? {} : { lis_person_sourcedid: member.lisPersonSourcedId }),
  };
}

/**
 * `<services>/<contextId>/memberships` (NRPS 2.0): the context's members, filtered by `role` (full URI or short
 * name) and `rlid` (members who can access a resource link), paged with `limit` and a `Link` header; each answer
 * carries a `differences` link that returns only the members changed since it was made (`since`).
 */
export async function handleMemberships(
  context: PlatformContext,
  request: Request,
  contextId: string,
): Promise<Response> {
  if (request.method !== 'GET')
    throw new LtiError('LTI_METHOD_NOT_ALLOWED', 'Memberships are read with GET only.');
  await authorizeServiceRequest(context, request, [scopes.membershipReadOnly]);
  const contextRecord = await context.memberships.getContext(contextId);
  if (contextRecord === undefined) throw new LtiError('LTI_RESOURCE_NOT_FOUND', `No context ${contextId}.`);
  const url = new URL(request.url);
  const roleFilter = url.searchParams.get('role');
  const roleUri = roleFilter === null ? undefined : parseRole(roleFilter)?.uri;
  const rlid = url.searchParams.get('rlid');
  const since = url.searchParams.get('since');
  const members = (await context.memberships.listMembers(contextId)).filter(
    (member) =>
      (roleUri === undefined || parseRoles(member.roles).some((role) => role.uri === roleUri)) &&
      (rlid === null || member.resourceLinkIds === undefined || member.resourceLinkIds.includes(rlid)) &&
      (since === null || (member.updatedAt !== undefined && member.updatedAt.getTime() > Date.parse(since))),
  );
  const { page, link } = paginate(members, url, context.pageSize);
  const differences = new URL(membershipsUrl(context, contextId));
  for (const [name, value] of url.searchParams)
    if (name === 'role' || name === 'rlid') differences.searchParams.set(name, value);
  differences.searchParams.set('since', context.clock.now().toISOString());
  const links = [
    ...parseLinkHeader(link ?? null).entries(),
    ['differences', differences.href] as [string, string],
  ];
  const body = {
    id: url.href,
    context: {
      id: contextRecord.id,
      ...(contextRecord.label === undefined ? {} : { label: contextRecord.label }),
      ...(contextRecord.title === undefined ? {} : { title: contextRecord.title }),
    },
    members: page.map((member) => memberJson(member, context.quirks.shortRoleNames === true)),
  };
  return jsonResponse(body, {
    contentType: mediaTypes.membershipContainer,
    headers: { link: formatLinkHeader(links) },
  });
}
