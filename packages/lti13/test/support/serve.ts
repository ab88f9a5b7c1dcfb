import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '../../src/http/node-listener.ts';

export type Handler = (request: Request) => Promise<Response>;

export interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

/** Mounts a Fetch handler in Node's http on 127.0.0.1:0 (the origin may name `localhost` instead). */
export async function serve(handler: Handler, options: { hostname?: string } = {}): Promise<Served> {
  let origin = '';
  const server = createServer((incoming, outgoing) =>
    toNodeListener(handler, { origin })(incoming, outgoing),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A tiny router: the first route whose path matches (exactly, or as a prefix ending in `/*`) answers. */
export function route(routes: Record<string, Handler>, fallback?: Handler): Handler {
  return async (request) => {
    const path = new URL(request.url).pathname;
    for (const [pattern, handler] of Object.entries(routes)) {
      if (pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern)
        return handler(request);
    }
    return fallback ? fallback(request) : new Response('not found', { status: 404 });
  };
}
