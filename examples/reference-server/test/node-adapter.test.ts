import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Handler } from '../src/http/handler.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { deferred } from './support/deferred.ts';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({ deadlineMs: 100 });
});

async function serve(handler: Handler): Promise<HttpServer> {
  const server = await listen({ handler, host: '127.0.0.1', port: 0 });
  servers.push(server);
  return server;
}

describe('Node http adapter', () => {
  it('streams a request body to the handler', async () => {
    const server = await serve(async (request) => {
      const hash = createHash('sha256');
      let length = 0;
      for await (const chunk of request.body!) {
        hash.update(chunk);
        length += chunk.byteLength;
      }
      return Response.json({ length, sha256: hash.digest('hex'), method: request.method });
    });
    const payload = new Uint8Array(3 * 1024 * 1024).map((_, index) => index % 251);
    const response = await fetch(`${server.url}/upload`, { method: 'POST', body: payload });
    expect(await response.json()).toEqual({
      length: payload.byteLength,
      sha256: createHash('sha256').update(payload).digest('hex'),
      method: 'POST',
    });
  });

  it('streams a response body: the client reads the first chunk before the second exists', async () => {
    const secondChunkAllowed = deferred();
    const server = await serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('first;'));
          await secondChunkAllowed.promise;
          controller.enqueue(new TextEncoder().encode('second'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/plain' } });
    });
    const response = await fetch(`${server.url}/stream`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    secondChunkAllowed.resolve();
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read())
      rest += new TextDecoder().decode(next.value);
    expect(rest).toBe('second');
  });

  it('passes the method, URL, query and headers to the handler, and writes status, status text and headers back', async () => {
    const server = await serve(async (request) => {
      const headers = new Headers({
        'x-echo-url': request.url,
        'x-echo-custom': request.headers.get('x-custom') ?? '',
      });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response('created', { status: 201, statusText: 'Made It', headers });
    });
    const response = await fetch(`${server.url}/path/x?y=1&y=2`, { headers: { 'x-custom': 'hello' } });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made It');
    expect(response.headers.get('x-echo-url')).toBe(`${server.url}/path/x?y=1&y=2`);
    expect(response.headers.get('x-echo-custom')).toBe('hello');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await response.text()).toBe('created');
  });

  it('names the public origin in request URLs behind a TLS-terminating proxy, whatever Host says', async () => {
    const server = await listen({
      handler: async (request) => new Response(request.url),
      host: '127.0.0.1',
      port: 0,
      publicOrigin: 'https://passport.example.org',
    });
    servers.push(server);
    const seen = await (
      await fetch(`${server.url}/sso/signin?district=demo`, { headers: { 'x-forwarded-proto': 'http' } })
    ).text();
    expect(seen).toBe('https://passport.example.org/sso/signin?district=demo');
  });

  it('tells the handler the client address, replacing one the client sent', async () => {
    const server = await serve(
      async (request) => new Response(request.headers.get('x-passport-client-address')),
    );
    const seen = await (
      await fetch(`${server.url}/`, { headers: { 'x-passport-client-address': '203.0.113.9' } })
    ).text();
    expect(seen).toBe('127.0.0.1');
  });

  it('behind trusted proxies, reads the client address past them in X-Forwarded-For, never a client-written entry', async () => {
    const echo: Handler = async (request) => new Response(request.headers.get('x-passport-client-address'));
    const behindOne = await listen({ handler: echo, host: '127.0.0.1', port: 0, trustedProxies: 1 });
    servers.push(behindOne);
    const seen = async (server: HttpServer, headers: Record<string, string>) =>
      await (await fetch(`${server.url}/`, { headers })).text();
    // The client wrote 198.51.100.1; the balancer appended the address it saw.
    expect(await seen(behindOne, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' })).toBe('203.0.113.9');
    expect(await seen(behindOne, {})).toBe('127.0.0.1');
    expect(
      await seen(behindOne, { 'x-forwarded-for': '203.0.113.9', 'x-passport-client-address': '192.0.2.1' }),
    ).toBe('203.0.113.9');
    const behindTwo = await listen({ handler: echo, host: '127.0.0.1', port: 0, trustedProxies: 2 });
    servers.push(behindTwo);
    expect(await seen(behindTwo, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.0.0.5' })).toBe(
      '203.0.113.9',
    );
    // Fewer entries than proxies: the request did not come through them all; the socket's address.
    expect(await seen(behindTwo, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
    // Without trusted proxies the header is ignored.
    const direct = await serve(echo);
    expect(await seen(direct, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
  });

  it('keeps a request target such as //other.example/x a path on this server', async () => {
    const server = await serve(async (request) => new Response(request.url));
    const body = await new Promise<string>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '//other.example/x' },
        (incoming) => {
          let text = '';
          incoming.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          incoming.on('end', () => resolve(text));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(body).toBe(`${server.url}//other.example/x`);
  });

  it('aborts request.signal and cancels the response body when the client goes away', async () => {
    const aborted = deferred<unknown>();
    const cancelled = deferred<void>();
    const handlerReached = deferred();
    const server = await serve(async (request) => {
      request.signal.addEventListener('abort', () => aborted.resolve(request.signal.reason));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('partial'));
          handlerReached.resolve();
        },
        cancel() {
          cancelled.resolve();
        },
      });
      return new Response(body);
    });
    const client = new AbortController();
    const response = await fetch(`${server.url}/slow`, { signal: client.signal });
    await handlerReached.promise;
    await response.body!.getReader().read();
    client.abort();
    await expect(aborted.promise).resolves.toBeInstanceOf(Error);
    await cancelled.promise;
  });

  it('answers 500 SERVER_INTERNAL_ERROR when the handler throws, and reports the error', async () => {
    const onError = vi.fn();
    const server = await listen({
      handler: async () => {
        throw new Error('handler bug');
      },
      host: '127.0.0.1',
      port: 0,
      logger: { debug() {}, info() {}, warn() {}, error: onError, child: () => ({}) as never },
    });
    servers.push(server);
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'SERVER_INTERNAL_ERROR', message: 'Internal server error' },
    });
    expect(onError).toHaveBeenCalledWith(
      'request failed',
      expect.objectContaining({ error: expect.any(Error) }),
    );
  });

  it('sends no body for HEAD', async () => {
    const server = await serve(async () => new Response('a body', { headers: { 'x-here': 'yes' } }));
    const response = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-here')).toBe('yes');
    expect(await response.text()).toBe('');
  });
});

describe('HTTP server shutdown', () => {
  it('stops accepting, finishes the in-flight request, then resolves', async () => {
    const entered = deferred();
    const release = deferred();
    const server = await listen({
      host: '127.0.0.1',
      port: 0,
      handler: async () => {
        entered.resolve();
        await release.promise;
        return new Response('finished');
      },
    });
    const inFlight = fetch(`${server.url}/slow`);
    await entered.promise;
    expect(server.inFlight).toBe(1);

    let closed = false;
    const closing = server.close().then((result) => {
      closed = true;
      return result;
    });
    await expect(fetch(`${server.url}/new`)).rejects.toThrow(); // no new connections
    expect(closed).toBe(false);

    release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.text()).toBe('finished');
    await expect(closing).resolves.toEqual({ forced: false });
    expect(server.close()).toBe(server.close()); // idempotent
  });

  it('cuts requests still running at the deadline', async () => {
    const entered = deferred();
    const server = await listen({
      host: '127.0.0.1',
      port: 0,
      handler: async (request) => {
        entered.resolve();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        return new Response('too late');
      },
    });
    const inFlight = fetch(`${server.url}/forever`);
    await entered.promise;
    const started = Date.now();
    await expect(server.close({ deadlineMs: 200 })).resolves.toEqual({ forced: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await expect(inFlight).rejects.toThrow();
  });
});
