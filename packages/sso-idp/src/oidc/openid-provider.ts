import Provider from 'oidc-provider';
import type { SsoContext } from '../context.ts';
import { errorPage } from '../http/error-page.ts';
import { redirect, withCookies } from '../http/respond.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { matchesClientSecret } from './client-secret.ts';
import { createInteractionHandler } from './interactions/handle-interaction.ts';
import { callNodeListener } from './node-bridge.ts';
import { type ProviderSettings, providerConfiguration } from './provider-configuration.ts';

export type OpenIdProviderSettings = Omit<ProviderSettings, 'jwks'>;

type Listener = ReturnType<Provider['callback']>;

/**
 * Passport's OpenID provider: node-oidc-provider (OpenID Certified) embedded behind a Fetch handler. Its state
 * lives in the `OidcArtifactStore`, its clients are the registered apps, its signing keys come from the key ring
 * (the provider is rebuilt, in every process, when the published key set changes).
 */
export class OpenIdProvider {
  readonly #sso: SsoContext;
  readonly #keyRing: KeyRing;
  readonly #settings: OpenIdProviderSettings;
  #current: { version: string; provider: Provider; listener: Listener } | undefined;
  #building: Promise<{ version: string; provider: Provider; listener: Listener }> | undefined;
  readonly #issuerPath: string;
  readonly #interaction: ReturnType<typeof createInteractionHandler>;

  constructor(sso: SsoContext, keyRing: KeyRing, settings: OpenIdProviderSettings) {
    this.#sso = sso;
    this.#keyRing = keyRing;
    this.#settings = settings;
    this.#issuerPath = new URL(sso.urls.issuer).pathname;
    this.#interaction = createInteractionHandler(sso, () => this.provider());
  }

  async #instance() {
    const version = await this.#keyRing.version();
    if (this.#current !== undefined && this.#current.version === version) return this.#current;
    this.#building ??= (async () => {
      const keys = await this.#keyRing.keys();
      const provider = new Provider(
        this.#sso.urls.issuer,
        providerConfiguration(this.#sso, {
          ...this.#settings,
          jwks: { keys: keys.map((key) => ({ ...key.privateJwk, kid: key.kid, alg: key.alg, use: 'sig' })) },
        }),
      );
      // Stored secrets are hashes: compare a presented secret by its hash (see client-secret.ts).
      provider.Client.prototype.compareClientSecret = async function (
        this: { clientSecret?: unknown },
        actual: string,
      ) {
        return matchesClientSecret(this.clientSecret, actual);
      };
      provider.on('server_error', (_context: unknown, error: unknown) =>
        this.#sso.reportError(error, 'oidc'),
      );
      const built = { version, provider, listener: provider.callback() };
      this.#current = built;
      return built;
    })().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  /** The embedded oidc-provider instance (current keys). */
  async provider(): Promise<Provider> {
    return (await this.#instance()).provider;
  }

  /** True when the request is for the provider (discovery, authorization, token, userinfo, JWKS, logout). */
  owns(request: Request): boolean {
    const path = new URL(request.url).pathname;
    return path === this.#issuerPath || path.startsWith(`${this.#issuerPath}/`);
  }

  /** Answers a request under the issuer path. */
  async handle(request: Request): Promise<Response> {
    try {
      const { listener } = await this.#instance();
      const url = new URL(request.url);
      const path = url.pathname;
      if (
        request.method === 'GET' &&
        path === `${this.#issuerPath}/auth` &&
        url.searchParams.get('prompt') === 'none'
      ) {
        const silent = await this.#silentAuthorization(request, url);
        if (silent !== undefined) return silent;
      }
      const logoutConfirm = request.method === 'POST' && path === `${this.#issuerPath}/session/end/confirm`;
      const form = logoutConfirm ? new URLSearchParams(await request.clone().text()) : undefined;
      const response = await callNodeListener(listener, request, { mountPath: this.#issuerPath });
      if (form?.has('logout') === true && response.status >= 300 && response.status < 400) {
        // RP-initiated logout also ends the Passport session, so single sign-on really ends.
        const ended = await this.#sso.sessions.end(request);
        if (ended.session !== undefined) {
          await this.#sso.audit({
            type: 'signout',
            userId: ended.session.userId,
            districtId: ended.session.districtId,
            via: 'oidc',
          });
        }
        return withCookies(response, [ended.setCookie]);
      }
      return response;
    } catch (error) {
      return errorPage(error);
    }
  }

  /**
   * `prompt=none` with a Passport session but perhaps no provider session yet (the person signed in to Passport,
   * not to this app): the request goes on without the prompt and with `passport_silent=1`, and the interaction
   * step then either completes without any page or answers the error prompt=none calls for.
   */
  async #silentAuthorization(request: Request, url: URL): Promise<Response | undefined> {
    if ((await this.#sso.sessions.peek(request)) === undefined) return undefined;
    const next = new URL(url);
    next.searchParams.delete('prompt');
    next.searchParams.set('passport_silent', '1');
    return redirect(`${next.pathname}${next.search}`, 303);
  }

  /** `GET /interaction/:uid`, `POST /interaction/:uid/confirm`, `POST /interaction/:uid/abort`. */
  interaction(request: Request, uid: string, action: 'show' | 'confirm' | 'abort'): Promise<Response> {
    return this.#interaction(request, uid, action);
  }

  /** The person and client an access token was issued to, while it is valid. */
  async accessTokenOwner(token: string): Promise<{ accountId: string; clientId: string } | undefined> {
    if (token.length < 20 || token.length > 200) return undefined;
    const found = await (await this.provider()).AccessToken.find(token);
    if (found === undefined || found.accountId === undefined || found.clientId === undefined)
      return undefined;
    if (found.isExpired === true || found.isValid === false) return undefined;
    return { accountId: found.accountId, clientId: found.clientId };
  }

  /** Retires the signing key and creates a new one; the old key stays published for the overlap window. */
  async rotateKeys(): Promise<{ retired: string[]; created: string }> {
    const rotated = await this.#keyRing.rotate();
    await this.#sso.audit({ type: 'keys.rotated', via: 'oidc', detail: { created: rotated.created } });
    return rotated;
  }
}
