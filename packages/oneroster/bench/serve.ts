/**
 * The benchmarks' tiny node:http adapter over a fetch-style handler, on 127.0.0.1 and a free port. `close()` also
 * drops autocannon's idle keep-alive connections, so a run ends as soon as its load does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serve(
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const request = new Request(`http://bench.test${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'GET',
      headers: incoming.headers as Record<string, string>,
    });
    handler(request)
      .then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        outgoing.writeHead(500);
        outgoing.end(String(error));
      });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
