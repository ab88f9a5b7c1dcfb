import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: Request) => Promise<Response>;

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(incoming.url ?? '/', origin), {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, headers);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

export interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

/** Mounts a Fetch handler in Node's http on 127.0.0.1:0 (or a given host name for the origin). */
export async function serve(handler: Handler, options: { hostname?: string } = {}): Promise<Served> {
  let origin = '';
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, origin)
      .then(handler)
      .then((response) => writeResponse(response, outgoing))
      .catch((error: unknown) => {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(error instanceof Error ? error.message : 'error');
      });
  });
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
