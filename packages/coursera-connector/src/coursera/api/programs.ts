import { type ApiContext, buildApiRequest, type PageRequest } from './api-request.ts';
import { type CollectionPage, readCollectionPage } from './collection.ts';
import { type CourseraProgram, programSchema } from './schemas.ts';

/** `GET /programs`: the programs the organization licenses. */
export function buildListProgramsRequest(context: ApiContext, page: PageRequest): Request {
  return buildApiRequest(context, 'GET', '/programs', { page });
}

export function processListProgramsResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraProgram>> {
  return readCollectionPage(response, programSchema, 'the program list', now);
}
