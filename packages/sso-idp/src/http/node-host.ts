import type { IncomingMessage, ServerResponse } from 'node:http';

export type FetchHandler = (request: Request) => Promise<Response>;

const bodyLimitBytes = 1024 * 1024;

/**
 * Mounts a Fetch handler in Node's `http` server: `createServer(toNodeListener(idp.handle))`. `origin` is the
 * public origin the requests are addressed to (the proxy's, when there is one). The client address is passed on
 * in `x-passport-client-address` (any such header from the client is replaced).
 */
export function toNodeListener(handler: FetchHandler, options: { origin: () => string }) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (name === 'x-passport-client-address') continue;
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.set(name, value);
      }
      const address = incoming.socket.remoteAddress;
      if (address !== undefined) headers.set('x-passport-client-address', address);
      const method = incoming.method ?? 'GET';
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of incoming) {
          size += (chunk as Buffer).length;
          if (size > bodyLimitBytes) {
            outgoing.writeHead(413).end();
            return;
          }
          chunks.push(chunk as Buffer);
        }
        body = Buffer.concat(chunks);
      }
      const request = new Request(new URL(incoming.url ?? '/', options.origin()), {
        method,
        headers,
        ...(body === undefined ? {} : { body: new Uint8Array(body) }),
      });
      const response = await handler(request);
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      outgoing.writeHead(response.status, out);
      outgoing.end(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
    })().catch(() => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end('internal error');
    });
  };
}
