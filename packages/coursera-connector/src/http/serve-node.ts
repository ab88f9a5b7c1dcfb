import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeServer {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Mounts a Fetch handler on Node's http server. Port 0 picks a free port. */
export async function serveNode(
  handler: FetchHandler,
  options: { port?: number; host?: string } = {},
): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    void handle(handler, incoming, outgoing, host);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  handler: FetchHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  host: string,
) {
  const aborted = new AbortController();
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) aborted.abort(new Error('client closed the connection'));
  });
  try {
    const request = toRequest(incoming, host, aborted.signal);
    const response = await handler(request);
    await writeResponse(response, outgoing);
  } catch (error) {
    if (aborted.signal.aborted) return;
    if (!outgoing.headersSent) {
      outgoing.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      outgoing.end('internal error');
    } else {
      outgoing.destroy(error instanceof Error ? error : undefined);
    }
  }
}

function toRequest(incoming: IncomingMessage, host: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const url = new URL(incoming.url ?? '/', `http://${headers.get('host') ?? host}`);
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, outgoing: ServerResponse) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, response.statusText, headers);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  for await (const chunk of response.body) outgoing.write(chunk);
  outgoing.end();
}
