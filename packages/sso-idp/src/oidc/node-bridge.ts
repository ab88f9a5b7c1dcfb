import { EventEmitter } from 'node:events';
import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The one place where the Fetch world meets Node's `http` objects: oidc-provider is a Koa application whose
 * callback wants an `IncomingMessage` and a `ServerResponse`. `createNodeExchange` builds both from a `Request`
 * (nothing listens on a port) and resolves `response` when the Node side ends the response.
 */

type NodeListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/** Stands in for the TCP socket: Koa reads `encrypted` (https) and `remoteAddress`, and checks `writable`. */
class BridgeSocket extends EventEmitter {
  readonly encrypted: boolean;
  readonly remoteAddress: string | undefined;
  readonly readable = false;
  readonly writable = true;
  readonly destroyed = false;
  readonly readableHighWaterMark = 16_384;

  constructor(encrypted: boolean, remoteAddress: string | undefined) {
    super();
    this.encrypted = encrypted;
    this.remoteAddress = remoteAddress;
  }

  resume() {}
  pause() {}
  setTimeout() {}
  setNoDelay() {}
  setKeepAlive() {}
  destroy() {}
}

class CapturingResponse extends ServerResponse {
  readonly #chunks: Buffer[] = [];
  readonly #done: (response: Response) => void;
  #ended = false;

  constructor(request: IncomingMessage, done: (response: Response) => void) {
    super(request);
    this.#done = done;
  }

  #capture(chunk: unknown, encoding?: unknown) {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk === 'string') {
      this.#chunks.push(
        Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    } else if (chunk instanceof Uint8Array) {
      this.#chunks.push(Buffer.from(chunk));
    }
  }

  override writeHead(statusCode: number, ...rest: unknown[]): this {
    this.statusCode = statusCode;
    const last = rest.at(-1);
    if (typeof rest[0] === 'string') this.statusMessage = rest[0];
    if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
      for (const [name, value] of Object.entries(last as OutgoingHttpHeaders)) {
        if (value !== undefined) this.setHeader(name, value);
      }
    }
    return this;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    this.#capture(chunk, encoding);
    const done = [encoding, callback].find((value) => typeof value === 'function') as
      | (() => void)
      | undefined;
    done?.();
    return true;
  }

  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    if (this.#ended) return this;
    this.#ended = true;
    this.#capture(chunk, encoding);
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.getHeaders())) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, String(value));
    }
    const status = this.statusCode;
    const bodyless = status === 204 || status === 304 || this.req.method === 'HEAD';
    const body = bodyless ? null : Buffer.concat(this.#chunks);
    this.#done(new Response(body, { status, headers }));
    const done = [chunk, encoding, callback].find((value) => typeof value === 'function') as
      | (() => void)
      | undefined;
    done?.();
    this.emit('finish');
    this.emit('close');
    return this;
  }
}

export interface NodeExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** Settles when the Node side ends the response. */
  readonly result: Promise<Response>;
}

export interface NodeExchangeOptions {
  /**
   * A path prefix the application is mounted under (Express semantics): it is removed from `req.url` and kept
   * in `req.originalUrl`, which is how oidc-provider learns where it is mounted.
   */
  mountPath?: string;
  /** The client address, when the host knows it. */
  remoteAddress?: string;
}

/** Builds Node request/response objects for a Fetch `Request` (its body read into memory first). */
export async function createNodeExchange(
  request: Request,
  options: NodeExchangeOptions = {},
): Promise<NodeExchange> {
  const url = new URL(request.url);
  const socket = new BridgeSocket(url.protocol === 'https:', options.remoteAddress);
  const incoming = new IncomingMessage(socket as never);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const mountPath = options.mountPath ?? '';
  const fullPath = `${url.pathname}${url.search}`;
  incoming.method = request.method;
  incoming.url =
    mountPath !== '' && url.pathname.startsWith(mountPath)
      ? fullPath.slice(mountPath.length) || '/'
      : fullPath;
  (incoming as IncomingMessage & { originalUrl?: string }).originalUrl = fullPath;
  incoming.httpVersionMajor = 1;
  incoming.httpVersionMinor = 1;
  incoming.httpVersion = '1.1';
  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  request.headers.forEach((value, name) => {
    headers[name] = value;
    rawHeaders.push(name, value);
  });
  headers.host = url.host;
  if (body !== undefined) headers['content-length'] = String(body.length);
  else delete headers['content-length'];
  incoming.headers = headers;
  incoming.rawHeaders = rawHeaders;
  if (body !== undefined && body.length > 0) incoming.push(body);
  incoming.push(null);
  incoming.complete = true;

  let settle: (response: Response) => void = () => {};
  const result = new Promise<Response>((resolve) => {
    settle = resolve;
  });
  const outgoing = new CapturingResponse(incoming, settle);
  return { request: incoming, response: outgoing, result };
}

/** Runs a Node/Koa listener for one Fetch `Request` and returns what it answered. */
export async function callNodeListener(
  listener: NodeListener,
  request: Request,
  options: NodeExchangeOptions = {},
): Promise<Response> {
  const exchange = await createNodeExchange(request, options);
  await listener(exchange.request, exchange.response);
  return exchange.result;
}
