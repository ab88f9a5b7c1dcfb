import { fetch as undiciFetch } from 'undici';

/** The `fetch` this package calls out with. Inject your own (undici agent with retries, a test double). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** undici's fetch, the default outbound client. */
export const defaultFetch: FetchLike = undiciFetch as unknown as FetchLike;
