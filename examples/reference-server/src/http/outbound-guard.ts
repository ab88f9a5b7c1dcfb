import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ServerError } from '../errors.ts';

/*
 * Addresses that district admins type (a roster source's URL) make this server send requests. On a deployment that
 * serves many districts, such a request must not reach the deployment's own network: its database, cloud metadata
 * services, other internal services. This guard refuses URLs whose host is, or resolves to, a loopback, private,
 * link-local or otherwise non-public address, at every redirect hop. Operators who keep a SIS on their own network
 * turn it off (`PASSPORT_ALLOW_PRIVATE_OUTBOUND`); demo mode, whose sources are on this machine, allows them.
 */

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is not a public address. IPv4-mapped IPv6 addresses are read as IPv4. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/** Throws `SERVER_OUTBOUND_REFUSED` when the URL's host is or resolves to a non-public address. */
export async function checkOutboundUrl(url: URL, resolve: Resolve = resolveAll): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new ServerError('SERVER_OUTBOUND_REFUSED', `${url.host} could not be resolved.`, {
        status: 400,
        cause: error,
      });
    }
  }
  const inside = addresses.find(isNonPublicAddress);
  if (inside !== undefined || addresses.length === 0) {
    throw new ServerError(
      'SERVER_OUTBOUND_REFUSED',
      `${url.host} is on a private network (${inside ?? 'no address'}): this server only calls public addresses ` +
        '(an operator can allow private ones with PASSPORT_ALLOW_PRIVATE_OUTBOUND=true).',
      { status: 400 },
    );
  }
}

/**
 * A fetch that checks every URL it goes to, following redirects itself (at most five) so that a public address
 * cannot redirect into the private network.
 */
export function guardedFetch(
  options: { fetch?: (request: Request) => Promise<Response>; resolve?: Resolve; maxRedirects?: number } = {},
): (request: Request) => Promise<Response> {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const maxRedirects = options.maxRedirects ?? 5;
  return async (request) => {
    let current = request;
    for (let hop = 0; ; hop++) {
      await checkOutboundUrl(new URL(current.url), options.resolve);
      const response = await send(new Request(current, { redirect: 'manual' }));
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      if (hop >= maxRedirects) {
        throw new ServerError(
          'SERVER_OUTBOUND_REFUSED',
          `${request.url} redirected more than ${maxRedirects} times.`,
          {
            status: 400,
          },
        );
      }
      await response.body?.cancel();
      const next = new URL(location, current.url);
      // A redirect keeps a GET a GET; credentials go only to the same origin.
      const headers = new Headers(current.headers);
      if (next.origin !== new URL(current.url).origin) headers.delete('authorization');
      current = new Request(next, { method: 'GET', headers, signal: current.signal });
    }
  };
}
