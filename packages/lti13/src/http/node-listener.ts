import type { IncomingMessage, ServerResponse } from 'node:http';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeListenerOptions {
  /** The public origin of the server (`https://tool.example.com`); default `http://<Host header>`. */
  readonly origin?: string;
}

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
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
  outgoing.end(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}

/**
 * Mounts a Fetch handler (`(request: Request) => Promise<Response>`) in Node's `http`/`https` server:
 * `createServer(toNodeListener(handler))`. Frameworks with Fetch support (Hono, Next.js route handlers, Deno,
 * Bun) take the handlers as they are.
 */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const origin = options.origin ?? `http://${incoming.headers.host ?? 'localhost'}`;
    toRequest(incoming, origin)
      .then(handler)
      .then((response) => writeResponse(response, outgoing))
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end('Internal error');
      });
  };
}

/** Routes by exact path; anything else answers 404. */
export function routeByPath(routes: Readonly<Record<string, FetchHandler>>): FetchHandler {
  return async (request) => {
    const handler = routes[new URL(request.url).pathname];
    return handler === undefined ? new Response('Not found', { status: 404 }) : handler(request);
  };
}
