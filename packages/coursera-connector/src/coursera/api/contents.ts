import { type ApiContext, buildApiRequest, type PageRequest } from './api-request.ts';
import { type CollectionPage, readCollectionPage } from './collection.ts';
import { type CourseraContent, contentSchema } from './schemas.ts';

/** `GET /contents?q=byProgramIds&programIds=a,b`: courses and specializations in the given programs. */
export function buildListContentsRequest(
  context: ApiContext,
  programIds: readonly string[],
  page: PageRequest,
): Request {
  return buildApiRequest(context, 'GET', '/contents', {
    query: { q: 'byProgramIds', programIds: programIds.join(',') },
    page,
  });
}

export function processListContentsResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraContent>> {
  return readCollectionPage(response, contentSchema, 'the content list', now);
}
