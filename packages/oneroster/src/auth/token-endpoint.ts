/**
 * The OAuth 2.0 token endpoint for the client credentials grant (RFC 6749, section 4.4), as OneRoster 1.1 and 1.2
 * consumers call it: `POST` a form with `grant_type=client_credentials` and an optional space-separated `scope`,
 * authenticating with HTTP Basic (`client_id:client_secret`, each form-encoded) or with `client_id` and
 * `client_secret` form fields. A short-lived bearer token comes back; only its hash is stored.
 *
 * Steps: method and content type → client authentication → grant type → scopes (each must be granted to the
 * credential; none asked means all it has) → issue.
 */
import { AuthError } from './auth-error.ts';
import { parseScopes } from './issue-credential.ts';
import type { CredentialStore, TokenStore } from './ports.ts';
import { impliedScopes } from './scopes.ts';
import { generateSecret, sha256, verifySecret } from './secrets.ts';

export interface TokenEndpointOptions {
  credentials: CredentialStore;
  tokens: TokenStore;
  /** Token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  now?: () => Date;
  /** Makes the token text. Default 32 random bytes, base64url. */
  generateToken?: () => string;
}

export type TokenEndpoint = (request: Request) => Promise<Response>;

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(error: AuthError, basicUsed: boolean): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...noStore };
  if (error.status === 401 && basicUsed) headers['www-authenticate'] = 'Basic realm="OneRoster"';
  return new Response(
    JSON.stringify({ error: error.specError ?? 'invalid_request', error_description: error.description }),
    { status: error.status, headers },
  );
}

function decodeFormComponent(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** `Basic base64(id:secret)`, the id and secret each form-encoded (RFC 6749, 2.3.1). */
function basicCredentials(header: string | null): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new AuthError('ONEROSTER_AUTH_INVALID_REQUEST', 'The Basic credentials have no colon.');
  try {
    return {
      clientId: decodeFormComponent(decoded.slice(0, colon)),
      clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
    };
  } catch {
    throw new AuthError('ONEROSTER_AUTH_INVALID_REQUEST', 'The Basic credentials are not form-encoded.');
  }
}

export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (!Number.isInteger(lifetime) || lifetime < 1) {
    throw new AuthError(
      'ONEROSTER_AUTH_INVALID_OPTIONS',
      'Invalid option tokenLifetimeSeconds: a whole number of seconds.',
    );
  }
  const now = options.now ?? (() => new Date());
  const generateToken = options.generateToken ?? generateSecret;

  async function issue(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'POST' } });
    }
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      throw new AuthError(
        'ONEROSTER_AUTH_INVALID_REQUEST',
        'The token request must be application/x-www-form-urlencoded.',
      );
    }
    const form = new URLSearchParams(await request.text());
    for (const name of ['grant_type', 'scope', 'client_id', 'client_secret']) {
      if (form.getAll(name).length > 1) {
        throw new AuthError('ONEROSTER_AUTH_INVALID_REQUEST', `The parameter ${name} is repeated.`);
      }
    }
    // Client authentication: Basic or form fields, not both.
    const basic = basicCredentials(request.headers.get('authorization'));
    const formId = form.get('client_id');
    const formSecret = form.get('client_secret');
    if (basic !== undefined && (formId !== null || formSecret !== null)) {
      throw new AuthError(
        'ONEROSTER_AUTH_INVALID_REQUEST',
        'Authenticate with HTTP Basic or with form fields, not both.',
      );
    }
    const client =
      basic ?? (formId === null ? undefined : { clientId: formId, clientSecret: formSecret ?? '' });
    if (client === undefined) {
      throw new AuthError('ONEROSTER_AUTH_CLIENT_INVALID', 'The request does not authenticate a client.');
    }
    const credential = await options.credentials.find(client.clientId);
    if (
      credential === undefined ||
      credential.revokedAt !== undefined ||
      !verifySecret(client.clientSecret, credential.secretHash)
    ) {
      throw new AuthError('ONEROSTER_AUTH_CLIENT_INVALID', 'Unknown client or wrong secret.');
    }
    // Grant type.
    const grantType = form.get('grant_type');
    if (grantType === null) throw new AuthError('ONEROSTER_AUTH_INVALID_REQUEST', 'grant_type is missing.');
    if (grantType !== 'client_credentials') {
      throw new AuthError(
        'ONEROSTER_AUTH_UNSUPPORTED_GRANT_TYPE',
        `grant_type ${JSON.stringify(grantType)} is not supported.`,
      );
    }
    // Scopes.
    const requested = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const scopes = requested.length === 0 ? credential.scopes : parseScopes(requested);
    const granted = impliedScopes(credential.scopes);
    const refused = scopes.filter((scope) => !granted.has(scope));
    if (refused.length > 0) {
      throw new AuthError(
        'ONEROSTER_AUTH_INVALID_SCOPE',
        `The client was not granted ${refused.join(', ')}.`,
      );
    }
    const token = generateToken();
    const expiresAt = new Date(now().getTime() + lifetime * 1000);
    await options.tokens.save({
      tokenHash: sha256(token),
      clientId: credential.clientId,
      tenantId: credential.tenantId,
      scopes,
      expiresAt: expiresAt.toISOString(),
    });
    return new Response(
      JSON.stringify({
        access_token: token,
        token_type: 'Bearer',
        expires_in: lifetime,
        scope: (requested.length === 0 ? scopes : requested).join(' '),
      }),
      { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...noStore } },
    );
  }

  return async (request) => {
    try {
      return await issue(request);
    } catch (error) {
      if (error instanceof AuthError) {
        return oauthError(error, /^Basic\s/i.test(request.headers.get('authorization') ?? ''));
      }
      throw error;
    }
  };
}
