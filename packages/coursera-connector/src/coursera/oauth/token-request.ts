import { z } from 'zod';
import { CourseraError } from '../../errors/coursera-error.ts';
import { readRefusal, refusalError } from '../api/read-api-response.ts';

export interface ClientCredentials {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
}

export type TokenGrantRequest =
  | { grantType: 'authorization_code'; code: string; redirectUri: string }
  | { grantType: 'refresh_token'; refreshToken: string };

/** What the token endpoint granted. Coursera extends the refresh token on refresh and may not resend it. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken: string | undefined;
  scope: string | undefined;
}

/** `POST {accountsUrl}/oauth2/v1/token`, form-encoded, client credentials in the body. */
export function buildTokenRequest(credentials: ClientCredentials, grant: TokenGrantRequest): Request {
  const body = new URLSearchParams({
    grant_type: grant.grantType,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  if (grant.grantType === 'authorization_code') {
    body.set('code', grant.code);
    body.set('redirect_uri', grant.redirectUri);
  } else {
    body.set('refresh_token', grant.refreshToken);
  }
  return new Request(new URL('/oauth2/v1/token', credentials.accountsUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
}

const grantSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  expires_in: z.coerce.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const oauthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/**
 * Reads the token endpoint's answer. `invalid_grant` on a refresh means consent is gone (expired or revoked): an
 * admin must consent again. On a code exchange it means the code is used or expired.
 */
export async function processTokenResponse(
  response: Response,
  grantType: TokenGrantRequest['grantType'],
  now: Date = new Date(),
): Promise<TokenGrant> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) {
    const parsed = grantSchema.safeParse(body);
    if (!parsed.success) {
      throw new CourseraError(
        'COURSERA_BAD_RESPONSE',
        'The Coursera token endpoint answered an unexpected shape',
        {
          detail: parsed.error.issues,
        },
      );
    }
    return {
      accessToken: parsed.data.access_token,
      expiresInSeconds: parsed.data.expires_in,
      refreshToken: parsed.data.refresh_token,
      scope: parsed.data.scope,
    };
  }
  const oauthError = oauthErrorSchema.safeParse(body);
  if (oauthError.success && response.status < 500 && response.status !== 429) {
    const { error, error_description: errorDescription } = oauthError.data;
    if (error === 'invalid_grant' && grantType === 'refresh_token') {
      throw consentRequired('Coursera no longer accepts the stored refresh token (revoked or expired)', {
        specError: error,
        detail: { errorDescription },
      });
    }
    if (error === 'invalid_client' || error === 'unauthorized_client') {
      throw new CourseraError(
        'COURSERA_UNAUTHORIZED',
        `Coursera refused Passport's client credentials (${error})`,
        {
          specError: error,
          description: 'Coursera refused the client id or secret configured for this organization.',
          detail: { errorDescription },
        },
      );
    }
    throw new CourseraError('COURSERA_AUTHORIZATION_FAILED', `The Coursera token request failed (${error})`, {
      specError: error,
      description: 'Coursera did not accept the authorization. Start the connection again.',
      detail: { errorDescription },
    });
  }
  // Re-read the body as the API error reader expects it.
  const refusal = await readRefusal(
    new Response(text, { status: response.status, headers: response.headers }),
  );
  throw refusalError(refusal, 'a token request', response, now);
}

export function consentRequired(
  why: string,
  options: { specError?: string; detail?: unknown; cause?: unknown } = {},
): CourseraError {
  return new CourseraError('COURSERA_CONSENT_REQUIRED', `${why}: an administrator must renew consent`, {
    ...options,
    description:
      'Passport is not connected to Coursera for this organization any more. A Coursera administrator must open ' +
      "Passport's Coursera settings and connect again (approve the access_business_api permission).",
  });
}
