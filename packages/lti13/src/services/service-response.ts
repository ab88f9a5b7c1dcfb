import { LtiError } from '../errors.ts';

/**
 * Maps a refusal from an LTI Advantage service to our codes, so the caller can tell throttling, a stale score and a
 * non-student from a plain refusal. Canvas throttles with 403 "Rate Limit Exceeded" (and `X-Rate-Limit-Remaining`),
 * not 429; it refuses an older score timestamp with 400 and a score for a non-student with 422.
 */
export async function refusalOf(response: Response, what: string): Promise<LtiError> {
  const text = await response.text().catch(() => '');
  const excerpt = text.slice(0, 300);
  const detail = { status: response.status, body: excerpt };
  const retryAfter = response.headers.get('retry-after');
  const remaining = response.headers.get('x-rate-limit-remaining');
  if (
    response.status === 429 ||
    (response.status === 403 &&
      (/rate limit exceeded/i.test(text) || (remaining !== null && Number.parseFloat(remaining) <= 0)))
  ) {
    return new LtiError(
      'LTI_SERVICE_RATE_LIMITED',
      `The platform throttled ${what} (HTTP ${response.status}${retryAfter === null ? '' : `, retry after ${retryAfter} s`}).`,
      { detail: { ...detail, retryAfter } },
    );
  }
  if (response.status === 400 && /timestamp/i.test(text)) {
    return new LtiError('LTI_SCORE_TIMESTAMP_STALE', `The platform refused ${what}: ${excerpt}`, { detail });
  }
  if (response.status === 422) {
    return new LtiError('LTI_SCORE_USER_NOT_GRADABLE', `The platform refused ${what}: ${excerpt}`, {
      detail,
    });
  }
  return new LtiError(
    'LTI_SERVICE_REFUSED',
    `The platform refused ${what} with HTTP ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}.`,
    { detail },
  );
}

export async function readJson(
  response: Response,
  expectedMediaType: string,
  what: string,
): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new LtiError(
      'LTI_SERVICE_RESPONSE_INVALID',
      `The platform answered ${what} with a body that is not ${expectedMediaType}.`,
    );
  }
}
