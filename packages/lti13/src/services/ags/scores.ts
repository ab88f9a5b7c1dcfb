import { mediaTypes } from '../media-types.ts';
import { refusalOf } from '../service-response.ts';
import { appendPath } from '../service-url.ts';
import type { Score } from './schemas.ts';

/** POSTs a score to `<line item>/scores` (before any query string), as `application/vnd.ims.lis.v1.score+json`. */
export function buildScoreRequest(input: {
  lineItemUrl: string;
  accessToken: string;
  score: Score;
}): Request {
  return new Request(appendPath(input.lineItemUrl, 'scores'), {
    method: 'POST',
    body: JSON.stringify(input.score),
    headers: { 'content-type': mediaTypes.score, authorization: `Bearer ${input.accessToken}` },
  });
}

export async function processScoreResponse(response: Response): Promise<void> {
  if (!response.ok) throw await refusalOf(response, 'the score');
  await response.body?.cancel();
}
