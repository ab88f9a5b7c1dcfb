/** What every business API request needs. */
export interface ApiContext {
  /** `https://api.coursera.org` in production, the simulator's URL in development. */
  apiUrl: string;
  organizationId: string;
  accessToken: string;
}

/** Where a page starts; `start` is the previous page's `paging.next`. */
export interface PageRequest {
  start: string | undefined;
  /** At most 1000. */
  limit: number;
}

export const MAX_PAGE_SIZE = 1000;

type QueryValue = string | number | undefined;

/** Builds `{apiUrl}/api/businesses.v1/{orgId}{path}` with the bearer token. */
export function buildApiRequest(
  context: ApiContext,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { query?: Record<string, QueryValue>; page?: PageRequest; body?: unknown } = {},
): Request {
  const url = new URL(
    `${context.apiUrl.replace(/\/+$/, '')}/api/businesses.v1/${encodeURIComponent(context.organizationId)}${path}`,
  );
  const query: Record<string, QueryValue> = { ...options.query };
  if (options.page !== undefined) {
    if (options.page.start !== undefined) query.start = options.page.start;
    query.limit = Math.min(options.page.limit, MAX_PAGE_SIZE);
  }
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, String(value));
  const headers = new Headers({ accept: 'application/json', authorization: `Bearer ${context.accessToken}` });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  return new Request(url, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}
