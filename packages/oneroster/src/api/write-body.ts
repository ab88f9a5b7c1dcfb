/**
 * The body of a gradebook PUT: `{"lineItem": {...}}` (the bare object is accepted too), validated with the entity's
 * schema. GUIDRefs may come without `href` (the server builds its own), and their `type` is set to what the field
 * references. The sourcedId, when the body has one, must be the path's.
 */
import { z } from 'zod';
import { categorySchema, lineItemSchema, resultSchema } from '../model/schemas.ts';
import type { GuidRefType } from '../model/vocabulary.ts';
import { OneRosterApiError } from './api-error.ts';

export type WritableView = 'categories' | 'lineItems' | 'results';

/** The GUIDRef fields of each writable entity, with the type they reference and the file they point into. */
export const writableReferences: Record<
  WritableView,
  readonly {
    field: string;
    type: GuidRefType;
    file: 'classes' | 'categories' | 'academicSessions' | 'lineItems' | 'users';
  }[]
> = {
  categories: [],
  lineItems: [
    { field: 'class', type: 'class', file: 'classes' },
    { field: 'category', type: 'category', file: 'categories' },
    { field: 'gradingPeriod', type: 'academicSession', file: 'academicSessions' },
  ],
  results: [
    { field: 'lineItem', type: 'lineItem', file: 'lineItems' },
    { field: 'student', type: 'user', file: 'users' },
  ],
};

const schemas = { categories: categorySchema, lineItems: lineItemSchema, results: resultSchema };
const singularOf: Record<WritableView, string> = {
  categories: 'category',
  lineItems: 'lineItem',
  results: 'result',
};

/** The largest PUT body read, in bytes. */
export const maxBodyBytes = 1 << 20;

async function readJson(request: Request): Promise<unknown> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > maxBodyBytes) throw invalid(`The body is larger than ${maxBodyBytes} bytes.`);
  const text = await request.text();
  if (text.length > maxBodyBytes) throw invalid(`The body is larger than ${maxBodyBytes} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('The body is not JSON.');
  }
}

function invalid(message: string, detail?: unknown): OneRosterApiError {
  return new OneRosterApiError('ONEROSTER_API_INVALID_DATA', message, { detail });
}

/**
 * Reads and validates the entity a PUT sends to `/{view}/{sourcedId}`. Throws `ONEROSTER_API_INVALID_DATA` with a
 * message naming the first bad field. The result has no status or dateLastModified: the server stamps them.
 */
export async function readWriteBody(
  request: Request,
  view: WritableView,
  sourcedId: string,
): Promise<Record<string, unknown>> {
  const body = await readJson(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`The body must be a JSON object {"${singularOf[view]}": {...}}.`);
  }
  const wrapped = (body as Record<string, unknown>)[singularOf[view]];
  const candidate = { ...((wrapped ?? body) as Record<string, unknown>) };
  if (candidate.sourcedId !== undefined && candidate.sourcedId !== sourcedId) {
    throw invalid(
      `The body's sourcedId ${JSON.stringify(candidate.sourcedId)} is not the one in the path (${JSON.stringify(sourcedId)}).`,
    );
  }
  candidate.sourcedId = sourcedId;
  delete candidate.status;
  delete candidate.dateLastModified;
  for (const { field, type } of writableReferences[view]) {
    const reference = candidate[field];
    if (typeof reference === 'object' && reference !== null && !Array.isArray(reference)) {
      const { sourcedId: referenced } = reference as { sourcedId?: unknown };
      candidate[field] = { href: `/${type}/${String(referenced)}`, sourcedId: referenced, type };
    }
  }
  const parsed = (schemas[view] as z.ZodType).safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || singularOf[view];
    throw invalid(
      `Invalid ${singularOf[view]}: ${where}: ${issue?.message ?? 'invalid'}.`,
      z.treeifyError(parsed.error),
    );
  }
  return parsed.data as Record<string, unknown>;
}
