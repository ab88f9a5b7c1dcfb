import { fetch as undiciFetch } from 'undici';

/** The `fetch` this package calls out with. Inject your own (undici agent with retries, a test double). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** undici's fetch, the default outbound client. */
export const defaultFetch: FetchLike = undiciFetch as unknown as FetchLike;

/**
 * Sends a built `Request` through a `fetch`, as URL and init: undici's own `fetch` does not accept the `Request`
 * class of Node's bundled copy, and a test double may not either.
 */
export async function send(fetch: FetchLike, request: Request): Promise<Response> {
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return fetch(request.url, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
}
