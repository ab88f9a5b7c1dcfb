/**
 * Verifying an OAuth 1.0a two-legged request, step by step (RFC 5849 section 3.2, as OneRoster 1.1 uses it):
 *   1. collect the protocol parameters (Authorization header, or the query) and refuse repeats;
 *   2. require consumer key, signature method (HMAC-SHA1 or HMAC-SHA256), timestamp, nonce and signature;
 *   3. check the timestamp is within the window of the server clock;
 *   4. find the credential and open its sealed secret;
 *   5. recompute the signature over every query, protocol and form parameter, compare in constant time;
 *   6. record the nonce, refusing a replay (only after the signature holds, so strangers cannot burn nonces).
 */
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error.ts';
import {
  hmacSignature,
  type Parameter,
  parseOAuthHeader,
  queryParameters,
  type SignatureMethod,
  signatureBaseString,
  signatureMethods,
} from './oauth1-signature.ts';
import type { CredentialStore, NonceStore } from './ports.ts';
import type { Principal } from './principal.ts';
import { openSecret } from './secrets.ts';

export interface VerifyOAuth1Context {
  credentials: CredentialStore;
  nonces: NonceStore;
  sealingKey: Buffer;
  now: () => Date;
  /** How far a timestamp may be from the server clock, in seconds. */
  timestampWindowSeconds: number;
}

const malformed = (message: string) => new AuthError('ONEROSTER_AUTH_SIGNATURE_MALFORMED', message);

/** Whether a request carries OAuth 1.0a parameters at all. */
export function hasOAuth1Parameters(request: Request): boolean {
  if (/^OAuth\s/i.test(request.headers.get('authorization') ?? '')) return true;
  return new URL(request.url).searchParams.has('oauth_signature');
}

async function formParameters(request: Request): Promise<Parameter[]> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type) || request.body === null) return [];
  const text = await request.clone().text();
  return [...new URLSearchParams(text).entries()];
}

export async function verifyOAuth1(request: Request, context: VerifyOAuth1Context): Promise<Principal> {
  const url = new URL(request.url);
  const query = queryParameters(url);
  const header = request.headers.get('authorization');
  const fromHeader = parseOAuthHeader(header);
  if (header !== null && /^OAuth\s/i.test(header) && fromHeader === undefined) {
    throw malformed('The OAuth Authorization header cannot be parsed.');
  }
  const form = await formParameters(request);
  // Step 1: the protocol parameters, from the header when there is one, else from the query or the form.
  const protocolSource = fromHeader ?? [...query, ...form].filter(([name]) => name.startsWith('oauth_'));
  const protocol = new Map<string, string>();
  for (const [name, value] of protocolSource) {
    if (name === 'realm') continue;
    if (protocol.has(name)) throw malformed(`The OAuth parameter ${name} is repeated.`);
    protocol.set(name, value);
  }
  // Step 2: what must be there.
  for (const name of [
    'oauth_consumer_key',
    'oauth_signature_method',
    'oauth_timestamp',
    'oauth_nonce',
    'oauth_signature',
  ]) {
    if (!protocol.get(name)) throw malformed(`The OAuth parameter ${name} is missing.`);
  }
  const method = protocol.get('oauth_signature_method') as SignatureMethod;
  if (!signatureMethods.includes(method)) {
    throw malformed(
      `oauth_signature_method ${JSON.stringify(method)} is not supported; use HMAC-SHA1 or HMAC-SHA256.`,
    );
  }
  const version = protocol.get('oauth_version');
  if (version !== undefined && version !== '1.0') throw malformed('oauth_version must be 1.0.');
  // Step 3: the clock.
  const timestampText = protocol.get('oauth_timestamp') ?? '';
  const timestamp = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : Number.NaN;
  const nowSeconds = context.now().getTime() / 1000;
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > context.timestampWindowSeconds) {
    throw new AuthError(
      'ONEROSTER_AUTH_TIMESTAMP_OUT_OF_WINDOW',
      `oauth_timestamp is more than ${context.timestampWindowSeconds} seconds from the server clock.`,
    );
  }
  // Step 4: the credential and its secret.
  const consumerKey = protocol.get('oauth_consumer_key') ?? '';
  const credential = await context.credentials.find(consumerKey);
  const secret =
    credential?.sealedSecret === undefined || credential.revokedAt !== undefined
      ? undefined
      : openSecret(credential.sealedSecret, context.sealingKey, credential.clientId);
  if (credential === undefined || secret === undefined) {
    throw new AuthError('ONEROSTER_AUTH_SIGNATURE_INVALID', 'The OAuth 1.0a signature does not verify.');
  }
  // Step 5: the signature.
  const signed: Parameter[] = [
    ...query.filter(([name]) => name !== 'oauth_signature'),
    ...form.filter(([name]) => name !== 'oauth_signature'),
    ...(fromHeader ?? []).filter(([name]) => name !== 'realm' && name !== 'oauth_signature'),
  ];
  const expected = Buffer.from(
    hmacSignature(method, signatureBaseString(request.method, url, signed), secret),
  );
  const actual = Buffer.from(protocol.get('oauth_signature') ?? '');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AuthError('ONEROSTER_AUTH_SIGNATURE_INVALID', 'The OAuth 1.0a signature does not verify.');
  }
  // Step 6: the nonce, kept as long as its timestamp could still pass step 3.
  const nonceKey = `${consumerKey}:${timestampText}:${protocol.get('oauth_nonce')}`;
  const fresh = await context.nonces.useOnce(
    nonceKey,
    new Date((timestamp + context.timestampWindowSeconds) * 1000 + 1000),
  );
  if (!fresh) throw new AuthError('ONEROSTER_AUTH_NONCE_REPLAYED', 'This OAuth 1.0a nonce was already used.');
  return {
    tenantId: credential.tenantId,
    clientId: credential.clientId,
    scopes: new Set(credential.scopes),
    method: 'oauth1',
  };
}
