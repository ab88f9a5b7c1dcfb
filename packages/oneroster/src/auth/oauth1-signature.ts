/**
 * OAuth 1.0a request signatures (RFC 5849, section 3.4), two-legged as OneRoster 1.1 uses them: no token, so the
 * key is `encode(consumerSecret) + "&"`. Shared by the server, which verifies, and the client, which signs.
 *
 * The base string is `METHOD&encode(base URI)&encode(normalized parameters)`, where the parameters are every query
 * parameter, every `oauth_*` protocol parameter but the signature (and `realm`), and the fields of a form-encoded
 * body, each name and value percent-encoded per RFC 3986 and sorted by name then value.
 */
import { createHmac } from 'node:crypto';

export const signatureMethods = ['HMAC-SHA1', 'HMAC-SHA256'] as const;
export type SignatureMethod = (typeof signatureMethods)[number];

export type Parameter = readonly [name: string, value: string];

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`, as UTF-8. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The base string URI: scheme and host in lowercase, the port only when not the scheme's default, no query. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const defaultPort = (scheme === 'http' && url.port === '80') || (scheme === 'https' && url.port === '443');
  const port = url.port === '' || defaultPort ? '' : `:${url.port}`;
  return `${scheme}://${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

/** The normalized parameter string: encoded pairs sorted by name, then value, joined with `&`. */
export function normalizeParameters(parameters: readonly Parameter[]): string {
  return parameters
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) =>
      nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The query parameters of a URL, decoded as `application/x-www-form-urlencoded` (RFC 5849, 3.4.1.3.1). */
export function queryParameters(url: URL): Parameter[] {
  return [...url.searchParams.entries()];
}

export function signatureBaseString(method: string, url: URL, parameters: readonly Parameter[]): string {
  return [
    method.toUpperCase(),
    percentEncode(baseStringUri(url)),
    percentEncode(normalizeParameters(parameters)),
  ].join('&');
}

export function hmacSignature(method: SignatureMethod, baseString: string, consumerSecret: string): string {
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, `${percentEncode(consumerSecret)}&`)
    .update(baseString, 'utf8')
    .digest('base64');
}

/**
 * The parameters of an `Authorization: OAuth ...` header (names and values percent-decoded), or `undefined` when the
 * header is not an OAuth one or cannot be parsed.
 */
export function parseOAuthHeader(header: string | null): Parameter[] | undefined {
  if (header === null) return undefined;
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (match === null) return undefined;
  const parameters: Parameter[] = [];
  const pattern = /\s*([^=\s,]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
  const text = match[1] ?? '';
  let consumed = 0;
  for (const item of text.matchAll(pattern)) {
    const [whole, name = '', value = ''] = item;
    consumed += whole.length;
    try {
      parameters.push([decodeURIComponent(name), decodeURIComponent(value)]);
    } catch {
      return undefined;
    }
  }
  if (consumed !== text.length) return undefined;
  return parameters;
}

export interface SignRequestInput {
  method: string;
  url: string | URL;
  consumerKey: string;
  consumerSecret: string;
  signatureMethod?: SignatureMethod;
  /** Seconds since the epoch. Default now. */
  timestamp?: number;
  /** Default 16 random bytes as hex. */
  nonce?: string;
  /** The fields of a form-encoded body, which are signed too. */
  formParameters?: readonly Parameter[];
}

/** Signs a request; returns the `Authorization` header value. */
export function signOAuth1Request(input: SignRequestInput): string {
  const url = new URL(input.url);
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  const protocol: Parameter[] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex')],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_version', '1.0'],
  ];
  const baseString = signatureBaseString(input.method, url, [
    ...queryParameters(url),
    ...protocol,
    ...(input.formParameters ?? []),
  ]);
  const signature = hmacSignature(signatureMethod, baseString, input.consumerSecret);
  return `OAuth ${[...protocol, ['oauth_signature', signature] as const]
    .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
    .join(', ')}`;
}
