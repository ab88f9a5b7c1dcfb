import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { ServerError } from '../errors.ts';

/*
 * Addresses that district admins type (a roster source's URL) make this server send requests. On a deployment that
 * serves many districts, such a request must not reach the deployment's own network: its database, cloud metadata
 * services, other internal services. This guard refuses URLs whose host is, or resolves to, a loopback, private,
 * link-local or otherwise non-public address, at every redirect hop, and again when the socket connects: the
 * address connected to is the one checked, so a name that resolves to a public address for the check and to a
 * private one a moment later (DNS rebinding) gets nowhere. Operators who keep a SIS on their own network
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

/** Which addresses are refused: `isNonPublicAddress` unless a test says otherwise. */
export type AddressPolicy = (address: string) => boolean;

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/** Throws `SERVER_OUTBOUND_REFUSED` when the URL's host is or resolves to a non-public address. */
export async function checkOutboundUrl(
  url: URL,
  resolve: Resolve = resolveAll,
  refused: AddressPolicy = isNonPublicAddress,
): Promise<void> {
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
  refuseNonPublic(url.host, addresses, refused);
}

function refuseNonPublic(host: string, addresses: readonly string[], refused: AddressPolicy): void {
  const inside = addresses.find(refused);
  if (inside !== undefined || addresses.length === 0) {
    throw new ServerError(
      'SERVER_OUTBOUND_REFUSED',
      `${host} is on a private network (${inside ?? 'no address'}): this server only calls public addresses ` +
        '(an operator can allow private ones with PASSPORT_ALLOW_PRIVATE_OUTBOUND=true).',
      { status: 400 },
    );
  }
}

/**
 * The `lookup` of the guarded sockets: resolves with `resolve` and fails with `SERVER_OUTBOUND_REFUSED` when any
 * answer is not public, so the address the socket connects to is always one that was checked.
 */
export function guardedLookup(
  resolve: Resolve = resolveAll,
  refused: AddressPolicy = isNonPublicAddress,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        try {
          refuseNonPublic(hostname, addresses, refused);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        const answers = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all === true) callback(null, answers);
        else callback(null, answers[0]?.address ?? '', answers[0]?.family ?? 4);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** The refusal a failed fetch carries among its causes, if any. */
function refusalIn(error: unknown): ServerError | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof ServerError && cause.code === 'SERVER_OUTBOUND_REFUSED') return cause;
  }
  return undefined;
}

/** Sends a request on sockets whose every connection goes through `guardedLookup`. */
function pinnedFetch(
  resolve: Resolve | undefined,
  refused: AddressPolicy | undefined,
): (request: Request) => Promise<Response> {
  let agent: Agent | undefined;
  return async (request) => {
    agent ??= new Agent({ connect: { lookup: guardedLookup(resolve, refused) } });
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const response = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: request.signal,
      dispatcher: agent,
    });
    // The platform's own Response, as every caller expects.
    return new Response(response.body as ReadableStream<Uint8Array> | null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers,
    });
  };
}

/**
 * A fetch that checks every URL it goes to, following redirects itself (at most five) so that a public address
 * cannot redirect into the private network, and connects only to addresses it checked (`guardedLookup`). A
 * `fetch` given in the options replaces the connection (tests).
 */
export function guardedFetch(
  options: {
    fetch?: (request: Request) => Promise<Response>;
    resolve?: Resolve;
    refused?: AddressPolicy;
    maxRedirects?: number;
  } = {},
): (request: Request) => Promise<Response> {
  const send = options.fetch ?? pinnedFetch(options.resolve, options.refused);
  const maxRedirects = options.maxRedirects ?? 5;
  return async (request) => {
    let current = request;
    for (let hop = 0; ; hop++) {
      await checkOutboundUrl(new URL(current.url), options.resolve, options.refused);
      let response: Response;
      try {
        response = await send(new Request(current, { redirect: 'manual' }));
      } catch (error) {
        throw refusalIn(error) ?? error;
      }
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
