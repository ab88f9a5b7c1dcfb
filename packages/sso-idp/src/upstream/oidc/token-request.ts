import { SsoError } from '../../errors.ts';
import type { OidcUpstream } from '../../ports.ts';

/** The authorization code exchange (client_secret_basic when there is a secret, PKCE always). */
export function tokenRequest(
  tokenEndpoint: string,
  method: OidcUpstream,
  input: { code: string; redirectUri: string; verifier: string },
): Request {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.verifier,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (method.clientSecret === undefined) body.set('client_id', method.clientId);
  else {
    const credentials = `${encodeURIComponent(method.clientId)}:${encodeURIComponent(method.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return new Request(tokenEndpoint, { method: 'POST', headers, body });
}

/** Reads the token response: the ID token, or the upstream's refusal. */
export async function processTokenResponse(response: Response): Promise<{ idToken: string }> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    throw new SsoError('SSO_UPSTREAM_REFUSED', 'The sign-in service refused the code exchange.', {
      detail: { status: response.status, error: body.error, description: body.error_description },
    });
  }
  if (typeof body.id_token !== 'string') {
    throw new SsoError('SSO_UPSTREAM_TOKEN_INVALID', 'The token response has no ID token.');
  }
  return { idToken: body.id_token };
}
