import { LtiError } from '../../errors.ts';
import type { PlatformRegistration } from '../../ports.ts';

export interface AccessTokenGrant {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly scopes: readonly string[];
}

/** Builds the client credentials request to the platform's token endpoint. */
export function buildAccessTokenRequest(input: {
  registration: PlatformRegistration;
  assertion: string;
  scopes: readonly string[];
}): Request {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: input.assertion,
    scope: input.scopes.join(' '),
  });
  return new Request(input.registration.tokenEndpoint, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
}

/** Reads the token endpoint's answer. A refusal is the platform's ("the other side said no"). */
export async function processAccessTokenResponse(
  response: Response,
  requestedScopes: readonly string[],
): Promise<AccessTokenGrant> {
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || body === undefined || typeof body.access_token !== 'string') {
    const reason =
      typeof body?.error === 'string'
        ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`
        : `HTTP ${response.status}`;
    throw new LtiError('LTI_ACCESS_TOKEN_REFUSED', `The platform refused the access token (${reason}).`, {
      detail: { status: response.status },
    });
  }
  const expiresIn =
    typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600) || 3600;
  const scopes =
    typeof body.scope === 'string'
      ? body.scope.split(' ').filter((scope) => scope !== '')
      : [...requestedScopes];
  return { accessToken: body.access_token, expiresInSeconds: expiresIn, scopes };
}
