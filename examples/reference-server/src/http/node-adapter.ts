import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ServerError } from '../errors.ts';
import type { Handler } from './handler.ts';
import { errorResponse } from './json.ts';

export type NodeListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface NodeListenerOptions {
  /** Called when the handler throws or the response cannot be written (the client still gets an answer). */
  onError?: (error: unknown, request: IncomingMessage) => void;
  /**
   * The origin clients reach the server at (`https://passport.example.org`), when it is known: behind a proxy or
   * load balancer that terminates TLS, requests arrive over plain HTTP, yet their URLs must name the public origin
   * (cookies, redirects, OpenID issuers and CSRF checks depend on it). Without it the URL comes from the connection
   * and the `Host` header.
   */
  publicOrigin?: string | (() => string | undefined);
  /** Proxies in front that append to `X-Forwarded-For` (see `clientAddressOf`). Default 0: the socket's address. */
  trustedProxies?: number;
}

/**
 * The client's address behind `trustedProxies` proxies that each append the address they saw to `X-Forwarded-For`:
 * the entry that many places from the right (the socket's address being the last proxy's). Entries further left
 * are whatever the client wrote. With no proxies, or fewer entries than proxies, the socket's address.
 */
export function clientAddressOf(
  socketAddress: string | undefined,
  forwardedFor: string | null,
  trustedProxies: number,
): string | undefined {
  if (trustedProxies <= 0 || forwardedFor === null) return socketAddress;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.length >= trustedProxies ? entries[entries.length - trustedProxies] : socketAddress;
}

/** The header that carries the client's address to handlers (rate limits); a client's own is always replaced. */
export const clientAddressHeader = 'x-passport-client-address';

/**
 * Mounts a Fetch handler in Node's `http` (or `https`, or any framework that exposes the Node request and
 * response). Bodies stream both ways with backpressure; `request.signal` aborts when the client goes away, and a
 * response body still being produced is then cancelled.
 */
export function createNodeListener(handler: Handler, options: NodeListenerOptions = {}): NodeListener {
  return (incoming, outgoing) => {
    void serve(incoming, outgoing);
  };

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const controller = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) controller.abort(new Error('The client closed the connection'));
    });
    let response: Response;
    try {
      const origin =
        typeof options.publicOrigin === 'function' ? options.publicOrigin() : options.publicOrigin;
      response = await handler(toRequest(incoming, controller.signal, origin, options.trustedProxies));
    } catch (error) {
      if (!(error instanceof ServerError)) options.onError?.(error, incoming);
      response = errorResponse(error);
    }
    try {
      await writeResponse(response, outgoing, { headOnly: incoming.method === 'HEAD' });
    } catch (error) {
      options.onError?.(error, incoming);
      if (!outgoing.headersSent) {
        await writeResponse(errorResponse(error), outgoing).catch(() => outgoing.destroy());
      } else {
        outgoing.destroy(); // the client sees a truncated body, not a complete wrong one
      }
    }
  }
}

/** A Fetch `Request` for a Node request; its body streams from the socket. Throws `SERVER_BAD_REQUEST`. */
export function toRequest(
  incoming: IncomingMessage,
  signal?: AbortSignal,
  publicOrigin?: string,
  trustedProxies = 0,
): Request {
  const method = incoming.method ?? 'GET';
  try {
    const headers = new Headers();
    const raw = incoming.rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      if (raw[index]!.toLowerCase() === clientAddressHeader) continue;
      headers.append(raw[index]!, raw[index + 1]!);
    }
    const address = clientAddressOf(
      incoming.socket.remoteAddress,
      headers.get('x-forwarded-for'),
      trustedProxies,
    );
    if (address !== undefined) headers.set(clientAddressHeader, address);
    const hasBody = method !== 'GET' && method !== 'HEAD';
    return new Request(requestUrl(incoming, publicOrigin), {
      method,
      headers,
      ...(signal === undefined ? {} : { signal }),
      ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    });
  } catch (error) {
    throw new ServerError('SERVER_BAD_REQUEST', `Malformed request: ${(error as Error).message}`, {
      status: 400,
      description: 'Malformed request',
      cause: error,
    });
  }
}

/** `Host` values that can only name a host (and port); anything else is replaced by the socket's own address. */
const plainHost = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

function requestUrl(incoming: IncomingMessage, publicOrigin?: string): URL {
  const target = incoming.url ?? '/';
  if (publicOrigin !== undefined && target.startsWith('/')) return new URL(`${publicOrigin}${target}`);
  if (!target.startsWith('/')) return new URL(target); // absolute form, as sent to proxies
  const encrypted = (incoming.socket as Partial<TLSSocket>).encrypted === true;
  const hostHeader = incoming.headers.host;
  const host =
    hostHeader !== undefined && plainHost.test(hostHeader)
      ? hostHeader
      : formatHost(incoming.socket.localAddress ?? 'localhost', incoming.socket.localPort);
  // Concatenated, not resolved against a base: a target such as `//other.example/x` must stay a path.
  return new URL(`${encrypted ? 'https' : 'http'}://${host}${target}`);
}

function formatHost(address: string, port: number | undefined): string {
  const name = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? name : `${name}:${port}`;
}

/** Hop-by-hop headers belong to one connection; Node manages them itself. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/**
 * Writes a Fetch `Response` to a Node response: status, headers (each `Set-Cookie` separately), and the body
 * streamed chunk by chunk, waiting for `drain` when the socket is full. Resolves when written or when the client
 * went away (the body is then cancelled).
 */
export async function writeResponse(
  response: Response,
  outgoing: ServerResponse,
  options: { headOnly?: boolean } = {},
): Promise<void> {
  outgoing.statusCode = response.status;
  if (response.statusText !== '') outgoing.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie' && !hopByHop.has(name)) outgoing.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing.setHeader('set-cookie', cookies);

  const body = response.body;
  if (body === null || options.headOnly === true) {
    await body?.cancel().catch(() => {});
    outgoing.end();
    return;
  }
  const reader = body.getReader();
  const gone = new Promise<'gone'>((resolve) => {
    if (outgoing.destroyed) resolve('gone');
    outgoing.once('close', () => resolve('gone'));
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), gone]);
      if (next === 'gone') {
        await reader.cancel().catch(() => {});
        return;
      }
      if (next.done) break;
      if (!outgoing.write(next.value)) {
        const drained = new Promise<'drained'>((resolve) => outgoing.once('drain', () => resolve('drained')));
        if ((await Promise.race([drained, gone])) === 'gone') {
          await reader.cancel().catch(() => {});
          return;
        }
      }
    }
    await new Promise<void>((resolve) => outgoing.end(resolve));
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}
