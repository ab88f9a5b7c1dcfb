import type { AdapterPayload } from 'oidc-provider';
import { rosterScopes } from '../claims/roster-claims.ts';
import type { AppRegistration } from '../ports.ts';

/** The scopes an app may ask for. Which claims it then receives is up to each district's grant. */
export const offeredScopes = ['openid', 'offline_access', ...rosterScopes] as const;

/**
 * An app's OpenID Connect settings as oidc-provider client metadata. Public clients (no secret) authenticate with
 * `none` and must use PKCE; the app id travels as `passport_app_id` for pairwise subjects and grant checks.
 */
export function clientMetadata(app: AppRegistration, issuer: string): AdapterPayload {
  const oidc = app.oidc;
  if (oidc === undefined) throw new Error(`app ${app.appId} has no OpenID Connect settings`);
  const subjectType = oidc.subjectType ?? 'pairwise';
  const hosts = new Set(oidc.redirectUris.map((uri) => new URL(uri).host));
  // Stored registrations carry the hash; oidc-provider compares through `matchesClientSecret`.
  const secret = oidc.clientSecretHash ?? oidc.clientSecret;
  const authMethod =
    secret === undefined && oidc.tokenEndpointAuthMethod !== 'private_key_jwt'
      ? 'none'
      : (oidc.tokenEndpointAuthMethod ?? 'client_secret_basic');
  const sectorBase = new URL(issuer);
  sectorBase.protocol = 'https:';
  return {
    client_id: oidc.clientId,
    ...(secret === undefined ? {} : { client_secret: secret }),
    client_name: app.name,
    token_endpoint_auth_method: authMethod,
    redirect_uris: [...oidc.redirectUris],
    post_logout_redirect_uris: [...(oidc.postLogoutRedirectUris ?? [])],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: oidc.applicationType ?? 'web',
    subject_type: subjectType,
    // Pairwise subjects are keyed by the app, not by redirect host; the sector URI only satisfies the
    // metadata rule for apps with several redirect hosts and is never fetched.
    ...(subjectType === 'pairwise' && hosts.size > 1
      ? { sector_identifier_uri: new URL(`/sectors/${encodeURIComponent(app.appId)}`, sectorBase).href }
      : {}),
    scope: offeredScopes.join(' '),
    ...(oidc.jwks === undefined ? {} : { jwks: { keys: oidc.jwks.keys.map((key) => ({ ...key })) } }),
    passport_app_id: app.appId,
    passport_require_pkce: oidc.requirePkce === true,
  };
}
