import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  revocation_endpoint?: string;
  [member: string]: unknown;
}

export interface AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

const random = () => randomBytes(32).toString('base64url');

/**
 * A relying party written for the tests, the way openid-client does it: discovery, PKCE (S256), state and nonce,
 * code exchange, ID token verification against the provider's JWKS, userinfo and refresh.
 */
export class RelyingParty {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string;
  metadata: ProviderMetadata | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    redirectUri: string;
    fetch?: typeof fetch;
  }) {
    this.#fetch = options.fetch ?? fetch;
    this.issuer = options.issuer;
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.redirectUri = options.redirectUri;
  }

  async discover(): Promise<ProviderMetadata> {
    const response = await this.#fetch(`${this.issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
    this.metadata = (await response.json()) as ProviderMetadata;
    return this.metadata;
  }

  #meta(): ProviderMetadata {
    if (this.metadata === undefined) throw new Error('discover first');
    return this.metadata;
  }

  authorizationRequest(
    options: { scope?: string; pkce?: boolean; extra?: Record<string, string>; redirectUri?: string } = {},
  ): AuthorizationRequest {
    const state = random();
    const nonce = random();
    const verifier = random();
    const url = new URL(this.#meta().authorization_endpoint);
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', options.scope ?? 'openid profile');
    url.searchParams.set('redirect_uri', options.redirectUri ?? this.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    if (options.pkce !== false) {
      url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [name, value] of Object.entries(options.extra ?? {})) url.searchParams.set(name, value);
    return { url: url.href, state, nonce, verifier };
  }

  /** Reads the code from the redirect, checking state the way a relying party must. */
  callback(redirectedTo: string, expectedState: string): { code?: string; error?: string; state?: string } {
    const url = new URL(redirectedTo);
    const state = url.searchParams.get('state') ?? undefined;
    if (state !== expectedState) throw new Error('state mismatch');
    const error = url.searchParams.get('error') ?? undefined;
    const code = url.searchParams.get('code') ?? undefined;
    return { ...(code === undefined ? {} : { code }), ...(error === undefined ? {} : { error }), state };
  }

  async tokenRequest(parameters: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams(parameters);
    if (this.clientSecret !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', this.clientId);
    }
    return this.#fetch(this.#meta().token_endpoint, { method: 'POST', headers, body });
  }

  exchange(code: string, options: { verifier?: string; redirectUri?: string } = {}): Promise<Response> {
    return this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri ?? this.redirectUri,
      ...(options.verifier === undefined ? {} : { code_verifier: options.verifier }),
    });
  }

  refresh(refreshToken: string): Promise<Response> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async verifyIdToken(idToken: string, nonce: string): Promise<JWTPayload> {
    const response = await this.#fetch(this.#meta().jwks_uri);
    const jwks = createLocalJWKSet((await response.json()) as JSONWebKeySet);
    const { payload } = await jwtVerify(idToken, jwks, { issuer: this.issuer, audience: this.clientId });
    if (payload.nonce !== nonce) throw new Error('nonce mismatch');
    return payload;
  }

  userinfo(accessToken: string): Promise<Response> {
    return this.#fetch(this.#meta().userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
  }
}
