import { type ApiContext, buildApiRequest, type PageRequest } from './api-request.ts';
import { type CollectionPage, readCollectionPage } from './collection.ts';
import { readRefusal, refusalError } from './read-api-response.ts';
import { type CourseraMembership, membershipSchema } from './schemas.ts';

/** `GET /programs/{programId}/memberships`. */
export function buildListMembershipsRequest(
  context: ApiContext,
  programId: string,
  page: PageRequest,
): Request {
  return buildApiRequest(context, 'GET', `/programs/${encodeURIComponent(programId)}/memberships`, { page });
}

export function processListMembershipsResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraMembership>> {
  return readCollectionPage(response, membershipSchema, 'the membership list', now);
}

/** A membership's id is `{programId}~{externalId}`. */
export function membershipId(programId: string, externalId: string): string {
  return `${programId}~${externalId}`;
}

/** `DELETE /programs/{programId}/memberships/{programId}~{externalId}`: frees the learner's license. */
export function buildDeleteMembershipRequest(
  context: ApiContext,
  programId: string,
  externalId: string,
): Request {
  return buildApiRequest(
    context,
    'DELETE',
    `/programs/${encodeURIComponent(programId)}/memberships/${encodeURIComponent(membershipId(programId, externalId))}`,
  );
}

/** Idempotent: a membership that is already gone answers `{removed: false}`. */
export async function processDeleteMembershipResponse(
  response: Response,
  now?: Date,
): Promise<{ removed: boolean }> {
  if (response.ok) return { removed: true };
  if (response.status === 404) return { removed: false };
  throw refusalError(await readRefusal(response), 'a membership removal', response, now ?? new Date());
}
