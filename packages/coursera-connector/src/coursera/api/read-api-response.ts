import type { z } from 'zod';
import { CourseraError } from '../../errors/coursera-error.ts';
import { parseRetryAfter } from '../../http/parse-retry-after.ts';
import { apiErrorSchema } from './schemas.ts';

/** What the API said when it said no: Coursera's `errorCode` and message, when the body had them. */
export interface ApiRefusal {
  status: number;
  errorCode: string | undefined;
  message: string | undefined;
}

export async function readRefusal(response: Response): Promise<ApiRefusal> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = apiErrorSchema.safeParse(body);
  return {
    status: response.status,
    errorCode: parsed.success ? (parsed.data.errorCode ?? undefined) : undefined,
    message: parsed.success ? (parsed.data.message ?? undefined) : text.slice(0, 200) || undefined,
  };
}

/** Turns a non-2xx answer into the typed error. `what` names the call for the message. */
export function refusalError(
  refusal: ApiRefusal,
  what: string,
  response: Response,
  now: Date,
): CourseraError {
  const said = refusal.errorCode ?? refusal.message ?? `HTTP ${refusal.status}`;
  const detail = { status: refusal.status, errorCode: refusal.errorCode, message: refusal.message };
  const specError = refusal.errorCode;
  if (refusal.status === 401 || refusal.status === 403) {
    return new CourseraError(
      'COURSERA_UNAUTHORIZED',
      `Coursera refused ${what} (${refusal.status}: ${said})`,
      {
        specError,
        detail,
        description:
          refusal.status === 403
            ? 'Coursera refused access to this organization: check the organization id and that the consenting admin manages it.'
            : 'Coursera refused the access token.',
      },
    );
  }
  if (refusal.status === 404) {
    return new CourseraError('COURSERA_NOT_FOUND', `Coursera found nothing for ${what} (${said})`, {
      specError,
      detail,
    });
  }
  if (refusal.status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
    return new CourseraError('COURSERA_RATE_LIMITED', `Coursera rate-limited ${what}`, {
      specError,
      detail,
      description: 'Coursera is limiting requests; the sync will try again later.',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (refusal.status >= 500) {
    return new CourseraError('COURSERA_UNAVAILABLE', `Coursera failed ${what} (${refusal.status}: ${said})`, {
      specError,
      detail,
      description: 'Coursera is unavailable; the sync will try again later.',
    });
  }
  return new CourseraError('COURSERA_REJECTED', `Coursera rejected ${what} (${refusal.status}: ${said})`, {
    specError,
    detail,
  });
}

/** Reads a 2xx JSON body against a schema; anything else becomes a typed error. */
export async function readApiJson<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
  what: string,
  now: Date = new Date(),
): Promise<z.output<Schema>> {
  if (!response.ok) throw refusalError(await readRefusal(response), what, response, now);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new CourseraError(
      'COURSERA_BAD_RESPONSE',
      `Coursera answered ${what} with something that is not JSON`,
      {
        cause,
        detail: { status: response.status, body: text.slice(0, 200) },
      },
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CourseraError('COURSERA_BAD_RESPONSE', `Coursera's answer to ${what} has an unexpected shape`, {
      detail: parsed.error.issues.slice(0, 10),
    });
  }
  return parsed.data;
}
