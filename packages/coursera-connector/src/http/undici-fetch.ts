import { Agent, fetch as undiciFetch } from 'undici';

export interface UndiciFetchOptions {
  /** Connections per origin (default 8). */
  connections?: number;
  /** How long an idle keep-alive socket stays open (default 10 s). */
  keepAliveTimeoutMs?: number;
  /** TCP and TLS connect timeout (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * A `fetch` over an undici Agent with a bounded connection pool and keep-alive, for servers. Retries (honoring
 * `Retry-After`) are not done here but by the clients, so they work the same over any injected fetch.
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): {
  fetch: typeof fetch;
  close(): Promise<void>;
} {
  const agent = new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
  });
  const bound = (async (input: string | URL | Request, init?: RequestInit) => {
    // A Request made by Node's global fetch is not undici 8's own class: pass its parts instead.
    if (input instanceof Request) {
      const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
      return undiciFetch(input.url, {
        method: input.method,
        headers: [...input.headers],
        body,
        signal: init?.signal ?? input.signal,
        redirect: input.redirect,
        dispatcher: agent,
      });
    }
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    });
  }) as unknown as typeof fetch;
  return { fetch: bound, close: () => agent.close() };
}
