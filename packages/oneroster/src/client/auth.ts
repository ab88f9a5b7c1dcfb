/**
 * How the client proves itself: OAuth 2.0 client credentials (a token fetched from the token endpoint, cached
 * until shortly before it expires, fetched again after a 401), OAuth 1.0a two-legged signatures, or a bearer token
 * the caller already has. The token request is a pair: `tokenRequest` builds it, `readTokenResponse` reads the
 * answer, so both are testable without a network.
 */
import { type SignatureMethod, signOAuth1Request } from '../auth/oauth1-signature.ts';
import { OneRosterClientError } from './client-error.ts';

export type ClientAuth =
  | {
      type: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      /** Scopes to ask for (short names or URIs); default: what the credential has. */
      scopes?: readonly string[];
      /** `basic` (default) sends the secret as HTTP Basic, `form` as form fields. */
      clientAuthentication?: 'basic' | 'form';
    }
  | { type: 'oauth1'; consumerKey: string; consumerSecret: string; signatureMethod?: SignatureMethod }
  | { type: 'bearer'; token: string };

export interface TokenResponse {
  accessToken: string;
  /** When to stop using it (a minute before it expires, or after 5 minutes when the server gives no lifetime). */
  refreshAt: number;
}

const formEncode = (text: string) => encodeURIComponent(text).replaceAll('%20', '+');

export function tokenRequest(auth: Extract<ClientAuth, { type: 'oauth2' }>): Request {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scopes !== undefined && auth.scopes.length > 0) form.set('scope', auth.scopes.join(' '));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (auth.clientAuthentication === 'form') {
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  } else {
    const pair = `${formEncode(auth.clientId)}:${formEncode(auth.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return new Request(auth.tokenUrl, { method: 'POST', headers, body: form.toString() });
}

export async function readTokenResponse(response: Response, now: number): Promise<TokenResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // handled below
  }
  if (!response.ok) {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    throw new OneRosterClientError(
      'ONEROSTER_CLIENT_AUTH_REFUSED',
      `The token endpoint refused: ${error}${description}`,
      {
        status: response.status,
        specError: error,
        url: response.url,
      },
    );
  }
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new OneRosterClientError(
      'ONEROSTER_CLIENT_INVALID_RESPONSE',
      'The token response has no access_token.',
      {
        url: response.url,
      },
    );
  }
  const expiresIn =
    typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? Number.NaN);
  const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 300_000;
  return { accessToken, refreshAt: now + Math.max(lifetime - 60_000, lifetime / 2) };
}

/** The Authorization header for an OAuth 1.0a signed request. */
export function oauth1Authorization(
  auth: Extract<ClientAuth, { type: 'oauth1' }>,
  method: string,
  url: string,
  now: number,
): string {
  return signOAuth1Request({
    method,
    url,
    consumerKey: auth.consumerKey,
    consumerSecret: auth.consumerSecret,
    signatureMethod: auth.signatureMethod ?? 'HMAC-SHA256',
    timestamp: Math.floor(now / 1000),
  });
}
