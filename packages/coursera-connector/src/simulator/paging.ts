import type { ActiveFault } from './faults.ts';
import { apiError, json } from './html.ts';

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/** `{elements, paging: {next, total}}` with `start`/`limit` (at most 1000), as the business API pages. */
export function collectionResponse<Element>(
  elements: Element[],
  url: URL,
  fault: ActiveFault | undefined,
): Response {
  const startText = url.searchParams.get('start') ?? '0';
  const limitText = url.searchParams.get('limit') ?? String(DEFAULT_LIMIT);
  if (!/^\d+$/.test(startText))
    return apiError(400, 'INVALID_PAGING', `start must be a whole number, got ${startText}`);
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT) {
    return apiError(400, 'INVALID_PAGING', `limit must be between 1 and ${MAX_LIMIT}, got ${limitText}`);
  }
  const start = Number(startText);
  const limit = Number(limitText);
  const total = elements.length;
  if (fault?.kind === 'empty-page') return json({ elements: [], paging: { next: String(start), total } });
  const next = start + limit < total ? String(start + limit) : undefined;
  return json({
    elements: elements.slice(start, start + limit),
    paging: next === undefined ? { total } : { next, total },
  });
}
