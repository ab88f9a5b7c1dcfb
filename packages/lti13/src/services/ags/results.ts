import { LtiError } from '../../errors.ts';
import { parseLinkHeader } from '../../http/link-header.ts';
import { mediaTypes } from '../media-types.ts';
import { readJson, refusalOf } from '../service-response.ts';
import { appendPath, withQuery } from '../service-url.ts';
import { type Result, resultSchema } from './schemas.ts';

export function buildResultsRequest(input: {
  lineItemUrl: string;
  accessToken: string;
  userId?: string;
  limit?: number;
}): Request {
  const url = withQuery(appendPath(input.lineItemUrl, 'results'), {
    user_id: input.userId,
    limit: input.limit,
  });
  return new Request(url, {
    headers: { accept: mediaTypes.resultContainer, authorization: `Bearer ${input.accessToken}` },
  });
}

export async function processResultsResponse(
  response: Response,
): Promise<{ results: Result[]; next: string | undefined }> {
  if (!response.ok) throw await refusalOf(response, 'the results');
  const body = await readJson(response, mediaTypes.resultContainer, 'the results');
  if (!Array.isArray(body))
    throw new LtiError('LTI_SERVICE_RESPONSE_INVALID', 'The result container is not an array.');
  const results = body.map((item) => {
    const parsed = resultSchema.safeParse(item);
    if (!parsed.success)
      throw new LtiError('LTI_SERVICE_RESPONSE_INVALID', 'The platform answered an invalid result.');
    return parsed.data;
  });
  return { results, next: parseLinkHeader(response.headers.get('link')).get('next') };
}
