import type {
  Account,
  AccountClaims,
  Configuration,
  InteractionDetails,
  KoaContextWithOIDC,
} from 'oidc-provider';
import { interactionPolicy } from 'oidc-provider';
import { checkAppAccess } from '../apps/check-grant.ts';
import { rosterClaims, scopeClaims } from '../claims/roster-claims.ts';
import type { SsoContext } from '../context.ts';
import { escapeHtml, htmlPage } from '../http/html.ts';
import type { OidcArtifactStore } from '../ports.ts';
import { createAdapterFactory } from './artifact-adapter.ts';
import { clientMetadata } from './client-metadata.ts';
import { pairwiseSubject } from './subjects.ts';

export interface ProviderSettings {
  readonly artifacts: OidcArtifactStore;
  /** Private JWKs, the signing key first. */
  readonly jwks: { keys: Record<string, unknown>[] };
  /** Secrets that sign the provider's own cookies; the first signs, all verify (rotation). */
  readonly cookieSecrets: readonly string[];
  /** Secret for pairwise subjects. Changing it changes every pairwise `sub`: never rotate it. */
  readonly pairwiseSecret: string;
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly sessionSeconds: number;
}

type CheckConstructor = new (
  reason: string,
  description: string,
  error: string,
  check: (context: KoaContextWithOIDC) => Promise<boolean>,
) => unknown;

interface PromptLike {
  checks: { add(check: unknown, index?: number): void };
}

/** The request a Koa context stands for, enough to read Passport's session cookie. */
function cookieRequest(context: KoaContextWithOIDC): Request {
  const node = context as unknown as { href: string; get(name: string): string };
  return new Request(node.href, { headers: { cookie: node.get('cookie') } });
}

/** Extra client metadata, under its own name or camel-cased (oidc-provider keeps unknown keys as they are). */
function clientProperty(client: Record<string, unknown> | undefined, name: string): unknown {
  if (client === undefined) return undefined;
  const camel = name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return client[name] ?? client[camel];
}

const appIdOf = (context: KoaContextWithOIDC) =>
  clientProperty(context.oidc.client, 'passport_app_id') as string | undefined;

/**
 * The login prompt gets two checks of Passport's own: the Passport session must still be there and belong to the
 * same person (signing out of Passport ends single sign-on), and the district's grant must let the person into
 * the app (otherwise the interaction page explains the refusal).
 */
function interactionPolicyFor(sso: SsoContext) {
  const policy = interactionPolicy.base() as unknown as PromptLike[] & { get(name: string): PromptLike };
  const { Check } = interactionPolicy as unknown as { Check: CheckConstructor };
  const login = policy.get('login');
  login.checks.add(
    new Check(
      'passport_session',
      'the Passport session ended or changed',
      'login_required',
      async (context) => {
        const accountId = context.oidc.session?.accountId;
        if (accountId === undefined) return false; // no_session already asks for a login
        const session = await sso.sessions.peek(cookieRequest(context));
        return session === undefined || session.userId !== accountId;
      },
    ),
  );
  login.checks.add(
    new Check(
      'passport_grant',
      'the district has not granted this app to the user',
      'access_denied',
      async (context) => {
        const accountId = context.oidc.session?.accountId;
        const appId = appIdOf(context);
        if (accountId === undefined || appId === undefined) return false;
        return !(await checkAppAccess(sso, accountId, appId)).allowed;
      },
    ),
  );
  return policy;
}

function page(context: KoaContextWithOIDC, title: string, body: string) {
  context.type = 'html';
  context.body = htmlPage(title, body);
}

/** oidc-provider's configuration: Passport's storage, roster claims, grant checks, pages and policies. */
export function providerConfiguration(sso: SsoContext, settings: ProviderSettings): Configuration {
  // `linked_account_id`: the app's own id for the person, once the app linked an account (see linking/).
  const claims: Record<string, string[]> = { openid: ['sub', 'linked_account_id'] };
  for (const [scope, names] of Object.entries(scopeClaims)) claims[scope] = [...names];

  return {
    adapter: createAdapterFactory({
      store: settings.artifacts,
      apps: sso.apps,
      clock: sso.clock,
      clientMetadata: (app) => clientMetadata(app, sso.urls.issuer),
    }),
    jwks: settings.jwks,
    cookies: {
      keys: [...settings.cookieSecrets],
      names: { session: 'passport_op', interaction: 'passport_interaction', resume: 'passport_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims,
    scopes: ['openid', 'offline_access', ...Object.keys(scopeClaims)],
    conformIdTokenClaims: false,
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (
      _context: KoaContextWithOIDC,
      accountId: string,
      client: Record<string, unknown>,
    ) =>
      pairwiseSubject(
        settings.pairwiseSecret,
        String(clientProperty(client, 'passport_app_id') ?? client.clientId),
        accountId,
      ),
    sectorIdentifierUriValidate: () => false,
    extraClientMetadata: { properties: ['passport_app_id', 'passport_require_pkce'] },
    extraParams: ['district', 'passport_silent'],
    pkce: {
      required: (_context: KoaContextWithOIDC, client: Record<string, unknown>) =>
        client.clientAuthMethod === 'none' || clientProperty(client, 'passport_require_pkce') === true,
    },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    // Client secrets are stored hashed, so none may serve as a key: asymmetric algorithms only.
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      userinfoSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      introspectionSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      authorizationSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      claimsParameter: { enabled: false },
      registration: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (context: KoaContextWithOIDC, form: string) => {
          page(
            context,
            'Sign out',
            `<main><h1>Sign out of Passport?</h1>${form}
<p>You will be signed out of Passport and of the apps you opened through it.</p>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button></main>`,
          );
        },
        postLogoutSuccessSource: async (context: KoaContextWithOIDC) => {
          page(context, 'Signed out', '<main><h1>You are signed out.</h1></main>');
        },
      },
    },
    interactions: {
      policy: interactionPolicyFor(sso),
      url: async (_context: KoaContextWithOIDC, interaction: InteractionDetails) => {
        const url = new URL(sso.urls.interaction(interaction.uid));
        return url.pathname;
      },
    },
    renderError: async (context: KoaContextWithOIDC, out: Record<string, string>) => {
      page(
        context,
        'Sign-in problem',
        `<main class="refusal"><h1>This sign-in request cannot be completed.</h1>
<p id="oauth-error"><code>${escapeHtml(out.error ?? 'server_error')}</code>: ${escapeHtml(out.error_description ?? '')}</p>
<p>The app that sent you here may be misconfigured. Go back and try again, or tell the app’s support team.</p></main>`,
      );
    },
    findAccount: async (context: KoaContextWithOIDC, accountId: string): Promise<Account | undefined> => {
      const appId = appIdOf(context);
      if (appId === undefined) return undefined;
      const decision = await checkAppAccess(sso, accountId, appId);
      const route = context.oidc.route ?? '';
      // During authorization the policy checks explain a refusal on a page; tokens and userinfo just stop.
      if (!decision.allowed) {
        if (route === 'authorization' || route === 'resume') {
          return { accountId, claims: async () => ({ sub: accountId }) };
        }
        return undefined;
      }
      const released = rosterClaims(decision.user, decision.grant);
      const link = await sso.links.find(accountId, appId);
      return {
        accountId,
        claims: async (): Promise<AccountClaims> => ({
          ...released,
          ...(link === undefined ? {} : { linked_account_id: link.externalAccountId }),
          sub: accountId,
        }),
      };
    },
    ttl: {
      AccessToken: settings.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: settings.refreshTokenSeconds,
      Interaction: 600,
      Session: settings.sessionSeconds,
      Grant: settings.refreshTokenSeconds,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
    },
    rotateRefreshToken: true,
    clockTolerance: 5,
  };
}
