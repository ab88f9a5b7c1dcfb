import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FetchHandler, toNodeListener } from '../../src/http/node-host.ts';

export interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

/** Mounts a Fetch handler in Node's http on 127.0.0.1:0. The handler may be set after the port is known. */
export async function serve(handler: FetchHandler, options: { hostname?: string } = {}): Promise<Served> {
  let origin = '';
  const server = createServer(toNodeListener(handler, { origin: () => origin }));
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

/** Reserves a loopback port's origin before the handler exists (the handler needs its own URL). */
export async function serveLater(
  options: { hostname?: string } = {},
): Promise<Served & { setHandler(handler: FetchHandler): void }> {
  let current: FetchHandler = async () => new Response('starting', { status: 503 });
  const served = await serve((request) => current(request), options);
  return {
    ...served,
    setHandler(handler) {
      current = handler;
    },
  };
}
