import { describe, expect, it } from 'vitest';
import { ServerError } from '../errors.ts';
import { checkOutboundUrl, guardedFetch, isNonPublicAddress } from './outbound-guard.ts';

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
