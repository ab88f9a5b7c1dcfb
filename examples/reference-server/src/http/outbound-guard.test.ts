import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.ts';
import { checkOutboundUrl, guardedFetch, isNonPublicAddress, type Resolve } from './outbound-guard.ts';

const codeOf = async (promise: Promise<unknown>) =>
  await promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof ServerError ? error.code : String(error)),
  );

describe('outbound guard', () => {
  it('knows which addresses are not public', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-address',
    ]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '203.0.113.5',
      '8.8.8.8',
      '172.32.0.1',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses a URL whose host is or resolves to a private address, naming it; allows public ones', async () => {
    const resolve = async (host: string) =>
      ({ 'sis.example': ['203.0.113.5'], 'inside.example': ['203.0.113.5', '10.0.0.8'] })[host] ?? [];
    expect(await codeOf(checkOutboundUrl(new URL('https://sis.example/ims/oneroster/v1p1'), resolve))).toBe(
      'resolved',
    );
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'https://inside.example/',
      'https://nowhere.example/',
    ]) {
      expect(await codeOf(checkOutboundUrl(new URL(url), resolve)), url).toBe('SERVER_OUTBOUND_REFUSED');
    }
    const error = await checkOutboundUrl(new URL('https://inside.example/'), resolve).catch(
      (caught) => caught,
    );
    expect((error as Error).message).toContain('inside.example is on a private network (10.0.0.8)');
  });

  it('checks every redirect hop, and drops the credentials when a redirect leaves the origin', async () => {
    const resolve = async (host: string) =>
      ({ 'sis.example': ['203.0.113.5'], 'cdn.example': ['203.0.113.6'] })[host] ?? ['10.0.0.1'];
    const seen: { url: string; authorization: string | null }[] = [];
    const hops: Record<string, Response> = {
      'https://sis.example/export.zip': new Response(null, {
        status: 302,
        headers: { location: 'https://cdn.example/signed/export.zip' },
      }),
      'https://cdn.example/signed/export.zip': new Response('zip bytes'),
      'https://sis.example/sneaky': new Response(null, {
        status: 307,
        headers: { location: 'http://169.254.169.254/latest/meta-data/' },
      }),
    };
    const send = guardedFetch({
      resolve,
      fetch: async (request) => {
        seen.push({ url: request.url, authorization: request.headers.get('authorization') });
        expect(request.redirect).toBe('manual');
        return hops[request.url]?.clone() ?? new Response('not found', { status: 404 });
      },
    });
    const followed = await send(
      new Request('https://sis.example/export.zip', { headers: { authorization: 'Bearer secret' } }),
    );
    expect(await followed.text()).toBe('zip bytes');
    expect(seen).toEqual([
      { url: 'https://sis.example/export.zip', authorization: 'Bearer secret' },
      { url: 'https://cdn.example/signed/export.zip', authorization: null },
    ]);
    expect(await codeOf(send(new Request('https://sis.example/sneaky')))).toBe('SERVER_OUTBOUND_REFUSED');
    expect(seen.map((entry) => entry.url)).not.toContain('http://169.254.169.254/latest/meta-data/');
  });

  it('stops after too many redirects', async () => {
    const send = guardedFetch({
      resolve: async () => ['203.0.113.5'],
      maxRedirects: 2,
      fetch: async (request) =>
        new Response(null, { status: 302, headers: { location: `${request.url.replace(/\/\d*$/, '')}/1` } }),
    });
    expect(await codeOf(send(new Request('https://sis.example/0')))).toBe('SERVER_OUTBOUND_REFUSED');
  });
});

describe('outbound guard on real sockets', () => {
  const received: { url: string; host: string; method: string; body: string; authorization?: string }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        url: request.url ?? '',
        host: request.headers.host ?? '',
        method: request.method ?? '',
        body,
        ...(request.headers.authorization === undefined
          ? {}
          : { authorization: request.headers.authorization }),
      });
      if (request.url === '/moved') {
        response.writeHead(302, { location: `http://cdn.test:${port}/file` });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain', 'x-seen': request.method ?? '' });
      response.end(`${request.method} ${request.url} ${body}`);
    });
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects only to the address it checked: a name that turns private after the check is refused', async () => {
    // DNS rebinding: public when the URL is checked, loopback when the socket connects.
    let lookups = 0;
    const rebinding: Resolve = async () => (lookups++ === 0 ? ['203.0.113.5'] : ['127.0.0.1']);
    received.length = 0;
    const guarded = guardedFetch({ resolve: rebinding });
    expect(await codeOf(guarded(new Request(`http://rebind.test:${port}/secret`)))).toBe(
      'SERVER_OUTBOUND_REFUSED',
    );
    expect(lookups).toBe(2);
    expect(received).toEqual([]);

    // Control: the same answers, checked only before the request as the guard used to, reach the server.
    lookups = 0;
    const unpinned = new Agent({
      connect: {
        lookup: (hostname, _options, callback) => {
          rebinding(hostname).then((addresses) =>
            callback(null, [{ address: addresses[0] ?? '', family: 4 }]),
          );
        },
      },
    });
    try {
      const checkedOnce = guardedFetch({
        resolve: rebinding,
        fetch: async (request) => {
          const response = await undiciFetch(request.url, { dispatcher: unpinned, redirect: 'manual' });
          return new Response(await response.text(), { status: response.status });
        },
      });
      expect(await (await checkedOnce(new Request(`http://rebind.test:${port}/secret`))).text()).toBe(
        'GET /secret ',
      );
      expect(received.map((request) => request.url)).toEqual(['/secret']);
    } finally {
      await unpinned.close();
    }
  });

  it('sends requests, bodies and headers through its sockets, and follows redirects to checked hosts', async () => {
    // Loopback stands for the public internet here: only 192.0.2.0/24 is refused.
    const resolve: Resolve = async (host) => (host === 'inside.test' ? ['192.0.2.7'] : ['127.0.0.1']);
    const refused = (address: string) => address.startsWith('192.0.2.');
    const send = guardedFetch({ resolve, refused });
    received.length = 0;
    const posted = await send(
      new Request(`http://sis.test:${port}/oauth/token`, {
        method: 'POST',
        headers: { authorization: 'Basic abc', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(posted).toBeInstanceOf(Response);
    expect(posted.status).toBe(200);
    expect(posted.headers.get('x-seen')).toBe('POST');
    expect(await posted.text()).toBe('POST /oauth/token grant_type=client_credentials');
    const followed = await send(
      new Request(`http://sis.test:${port}/moved`, { headers: { authorization: 'Bearer secret' } }),
    );
    expect(await followed.text()).toBe('GET /file ');
    expect(received.slice(1)).toEqual([
      { url: '/moved', host: `sis.test:${port}`, method: 'GET', body: '', authorization: 'Bearer secret' },
      { url: '/file', host: `cdn.test:${port}`, method: 'GET', body: '' },
    ]);
    expect(await codeOf(send(new Request(`http://inside.test:${port}/`)))).toBe('SERVER_OUTBOUND_REFUSED');
  });
});
