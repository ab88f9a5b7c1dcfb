import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Handler } from './handler.ts';
import { createNodeListener } from './node-adapter.ts';

export interface HttpServerOptions {
  handler: Handler;
  host: string;
  /** 0 picks a free port; read the chosen one from `port` or `url`. */
  port: number;
  logger?: Logger;
  /** Where clients reach the server, when it is behind a proxy (see `NodeListenerOptions.publicOrigin`). */
  publicOrigin?: string | undefined;
  /** Proxies in front that append to `X-Forwarded-For`; the client address is read past them. Default 0. */
  trustedProxies?: number | undefined;
}

export interface HttpServer {
  /** `http://host:port/` without the trailing slash. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Requests being served right now. */
  readonly inFlight: number;
  /**
   * Graceful shutdown: stops accepting connections, closes idle keep-alive connections, lets in-flight requests
   * finish (their responses say `Connection: close`), and resolves once every connection has ended. Connections
   * still open after `deadlineMs` (default 10 s) are cut, and `forced` says so. Calling it again returns the
   * same promise.
   */
  close(options?: { deadlineMs?: number }): Promise<{ forced: boolean }>;
}

/** Serves a Fetch handler over HTTP/1.1 with Node's `http`, through the one Node adapter. */
export async function listen(options: HttpServerOptions): Promise<HttpServer> {
  const { logger } = options;
  const listener = createNodeListener(options.handler, {
    ...(options.publicOrigin === undefined ? {} : { publicOrigin: options.publicOrigin }),
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
    onError: (error, request) =>
      logger?.error('request failed', { error, method: request.method, path: request.url }),
  });
  const active = new Set<ServerResponse>();
  let closing: Promise<{ forced: boolean }> | undefined;

  const server = createServer((request, response) => {
    active.add(response);
    if (closing !== undefined) response.setHeader('connection', 'close');
    response.once('close', () => {
      active.delete(response);
      if (closing !== undefined) server.closeIdleConnections();
    });
    listener(request, response);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} is already in use on ${options.host} (choose another with PORT or --port)`
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? `${options.host} is not an address of this machine (check HOST or --host)`
            : error.message;
      reject(
        new ServerError(
          'SERVER_LISTEN_FAILED',
          `Cannot listen on ${options.host}:${options.port}: ${reason}`,
          {
            cause: error,
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error('HTTP server error', { error }));
  const address = server.address() as AddressInfo;

  return {
    url: urlFor(options.host, address.port),
    host: address.address,
    port: address.port,
    get inFlight() {
      return active.size;
    },
    close(closeOptions = {}) {
      closing ??= new Promise((resolve) => {
        let forced = false;
        const deadline = setTimeout(() => {
          forced = true;
          logger?.warn('shutdown deadline reached; closing remaining connections', { inFlight: active.size });
          server.closeAllConnections();
        }, closeOptions.deadlineMs ?? 10_000);
        // Responses not yet started end their connection; the rest finish as they are.
        for (const response of active) if (!response.headersSent) response.setHeader('connection', 'close');
        server.close(() => {
          clearTimeout(deadline);
          resolve({ forced });
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** The URL to print: a wildcard address is reachable as localhost; an IPv6 literal is bracketed. */
export function urlFor(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
