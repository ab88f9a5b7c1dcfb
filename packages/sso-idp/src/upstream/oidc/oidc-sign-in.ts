import { createHash, randomBytes } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { clientAddress } from '../../http/forms.ts';
import { redirect, withCookies } from '../../http/respond.ts';
import type { OidcUpstream } from '../../ports.ts';
import { bindBrowser, browserMatches, clearBinding } from '../browser-binding.ts';
import { completeSignIn } from '../complete-sign-in.ts';
import { matchRosterUser } from '../match-roster-user.ts';
import { discoveryRequest, processDiscoveryResponse, type UpstreamProviderMetadata } from './discovery.ts';
import { processTokenResponse, tokenRequest } from './token-request.ts';
import { jwksRequest, processJwksResponse, verifyIdToken } from './verify-id-token.ts';

interface UpstreamState {
  readonly districtId: string;
  readonly methodId: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
  readonly browser: string;
}

const cacheMs = 3600_000;

/**
 * Sign-in through a district's OpenID Connect provider (Google Workspace, Microsoft Entra ID, or any other):
 * authorization code flow with PKCE, state bound to the browser, nonce, ID token verified against the
 * provider's keys, then the identity matched to the roster.
 */
export class OidcUpstreamSignIn {
  readonly #sso: SsoContext;
  readonly #metadata = new Map<string, { metadata: UpstreamProviderMetadata; at: number }>();
  readonly #keys = new Map<string, { keys: JSONWebKeySet; at: number }>();

  constructor(sso: SsoContext) {
    this.#sso = sso;
  }

  async #call(request: Request): Promise<Response> {
    try {
      return await this.#sso.fetch(request);
    } catch (cause) {
      throw new SsoError('SSO_UPSTREAM_UNREACHABLE', undefined, { cause, detail: { url: request.url } });
    }
  }

  async #discover(issuer: string): Promise<UpstreamProviderMetadata> {
    const now = this.#sso.clock.now().getTime();
    const cached = this.#metadata.get(issuer);
    if (cached !== undefined && now - cached.at < cacheMs) return cached.metadata;
    const metadata = await processDiscoveryResponse(await this.#call(discoveryRequest(issuer)), issuer);
    this.#metadata.set(issuer, { metadata, at: now });
    return metadata;
  }

  async #jwks(jwksUri: string, refresh: boolean): Promise<JSONWebKeySet> {
    const now = this.#sso.clock.now().getTime();
    const cached = this.#keys.get(jwksUri);
    if (!refresh && cached !== undefined && now - cached.at < cacheMs) return cached.keys;
    const keys = await processJwksResponse(await this.#call(jwksRequest(jwksUri)));
    this.#keys.set(jwksUri, { keys, at: now });
    return keys;
  }

  /** `GET /signin/upstream/:district/:method`: off to the district's provider. */
  async start(districtId: string, method: OidcUpstream, returnTo: string): Promise<Response> {
    const sso = this.#sso;
    const metadata = await this.#discover(method.issuer);
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const binding = bindBrowser(sso);
    const stored: UpstreamState = {
      districtId,
      methodId: method.id,
      nonce,
      verifier,
      returnTo,
      browser: binding.hash,
    };
    const now = sso.clock.now();
    await sso.oneTime.put(`upstream:${state}`, JSON.stringify(stored), new Date(now.getTime() + 600_000));
    const url = new URL(metadata.authorization_endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', method.clientId);
    url.searchParams.set('redirect_uri', sso.urls.upstreamCallback(districtId, method.id));
    url.searchParams.set('scope', (method.scopes ?? ['openid', 'email', 'profile']).join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    return redirect(url.href, 303, { 'set-cookie': binding.setCookie });
  }

  /** `GET /signin/upstream/:district/:method/callback`: back from the provider. */
  async callback(request: Request, districtId: string, method: OidcUpstream): Promise<Response> {
    const sso = this.#sso;
    const query = new URL(request.url).searchParams;
    const ip = clientAddress(request, sso.trustForwardedFor);
    const stateValue = query.get('state') ?? '';
    const storedText =
      stateValue === '' ? undefined : await sso.oneTime.take(`upstream:${stateValue}`, sso.clock.now());
    const stored = storedText === undefined ? undefined : (JSON.parse(storedText) as UpstreamState);
    if (
      stored === undefined ||
      stored.districtId !== districtId ||
      stored.methodId !== method.id ||
      !browserMatches(sso, request, stored.browser)
    ) {
      throw new SsoError('SSO_UPSTREAM_STATE_INVALID');
    }
    const error = query.get('error');
    if (error !== null) {
      await sso.audit({
        type: 'signin.failed',
        districtId,
        via: method.id,
        code: 'SSO_UPSTREAM_REFUSED',
        detail: {
          error: error.slice(0, 100),
          description: (query.get('error_description') ?? '').slice(0, 200),
        },
        ...(ip === undefined ? {} : { ip }),
      });
      throw new SsoError('SSO_UPSTREAM_REFUSED');
    }
    const code = query.get('code');
    if (code === null) throw new SsoError('SSO_UPSTREAM_STATE_INVALID', 'The answer has no code.');
    const metadata = await this.#discover(method.issuer);
    const { idToken } = await processTokenResponse(
      await this.#call(
        tokenRequest(metadata.token_endpoint, method, {
          code,
          redirectUri: sso.urls.upstreamCallback(districtId, method.id),
          verifier: stored.verifier,
        }),
      ),
    );
    const expected = {
      issuer: method.issuer,
      clientId: method.clientId,
      nonce: stored.nonce,
      now: sso.clock.now(),
    };
    let claims: Record<string, unknown>;
    try {
      claims = await verifyIdToken(idToken, await this.#jwks(metadata.jwks_uri, false), expected);
    } catch (error) {
      // The provider may have rotated its keys since they were cached: fetch them once more.
      if (!SsoError.isSsoError(error) || error.code !== 'SSO_UPSTREAM_TOKEN_INVALID') throw error;
      claims = await verifyIdToken(idToken, await this.#jwks(metadata.jwks_uri, true), expected);
    }
    const user = await matchRosterUser(
      sso,
      districtId,
      method.match,
      { methodId: method.id, claims },
      { allowedEmailDomains: method.allowedEmailDomains, ip },
    );
    return withCookies(
      await completeSignIn(sso, request, {
        user,
        methodId: method.id,
        amr: ['fed'],
        returnTo: stored.returnTo,
        ip,
      }),
      [clearBinding(sso)],
    );
  }
}
