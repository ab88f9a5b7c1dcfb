import type { Route, RouteInput } from '../context.ts';
import { readForm } from '../context.ts';
import { alert, html, json, page, redirect } from '../html.ts';
import type { SimOauthClient } from '../state.ts';

/** Coursera's OAuth 2 endpoints: one-time admin consent (authorization code), then refresh tokens. */

export const SCOPE = 'access_business_api';
export const ACCESS_TOKEN_SECONDS = 1800;
export const REFRESH_TOKEN_MS = 14 * 24 * 60 * 60 * 1000;
const CODE_MS = 10 * 60 * 1000;

function redirectAllowed(client: SimOauthClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  return client.redirectUris.includes('*') && /^https?:\/\//.test(redirectUri);
}

function withQuery(base: string, query: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/** Checks the authorization request; answers an error page (never a redirect to an unchecked URI) or the client. */
function checkAuthorizationRequest(input: RouteInput, query: URLSearchParams) {
  const client = input.context.state.oauthClients.get(query.get('client_id') ?? '');
  if (client === undefined) {
    return {
      ok: false as const,
      error: page('Unknown application', alert('This application is not registered with Coursera.'), {
        status: 400,
      }),
    };
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!redirectAllowed(client, redirectUri)) {
    return {
      ok: false as const,
      error: page(
        'Wrong redirect address',
        alert('The redirect_uri is not registered for this application.'),
        {
          status: 400,
        },
      ),
    };
  }
  const state = query.get('state') ?? '';
  if (query.get('response_type') !== 'code') {
    return {
      ok: false as const,
      error: redirect(withQuery(redirectUri, { error: 'unsupported_response_type', state })),
    };
  }
  const scopes = (query.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes(SCOPE))
    return { ok: false as const, error: redirect(withQuery(redirectUri, { error: 'invalid_scope', state })) };
  return { ok: true as const, client, redirectUri, state, scope: SCOPE };
}

const showConsent: Route = {
  method: 'GET',
  path: '/oauth2/v1/auth',
  handle(input) {
    const checked = checkAuthorizationRequest(input, input.url.searchParams);
    if (!checked.ok) return checked.error;
    const organizations = [...input.context.state.organizations.values()];
    const hidden = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'access_type'].map(
      (name) => html`<input type="hidden" name="${name}" value="${input.url.searchParams.get(name) ?? ''}">`,
    );
    return page(
      'Allow access to your Coursera organization',
      html`<p>The application <strong>${checked.client.clientId}</strong> asks to read your organization's programs,
content, memberships and enrollment reports, and to invite learners (permission <code>${SCOPE}</code>).</p>
<form method="post" action="/oauth2/v1/auth">
${hidden}
<label for="organizationId">Organization</label>
<select id="organizationId" name="organizationId">
${organizations.map((organization) => html`<option value="${organization.id}">${organization.name}</option>`)}
</select>
<div>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
    );
  },
};

const decideConsent: Route = {
  method: 'POST',
  path: '/oauth2/v1/auth',
  async handle(input) {
    const form = await readForm(input.request);
    const checked = checkAuthorizationRequest(input, form);
    if (!checked.ok) return checked.error;
    if (form.get('decision') !== 'allow') {
      return redirect(withQuery(checked.redirectUri, { error: 'access_denied', state: checked.state }));
    }
    const { state } = input.context;
    const organizationId = form.get('organizationId') ?? '';
    if (!state.organizations.has(organizationId)) {
      return page('Unknown organization', alert('Choose one of your organizations.'), { status: 400 });
    }
    const code = input.context.secret();
    state.authorizationCodes.set(code, {
      clientId: checked.client.clientId,
      organizationId,
      redirectUri: checked.redirectUri,
      scope: checked.scope,
      expiresAt: state.now() + CODE_MS,
      used: false,
    });
    return redirect(withQuery(checked.redirectUri, { code, state: checked.state }));
  },
};

function oauthError(status: number, error: string, description: string): Response {
  return json({ error, error_description: description }, status, { 'cache-control': 'no-store' });
}

const token: Route = {
  method: 'POST',
  path: '/oauth2/v1/token',
  async handle(input) {
    const { state } = input.context;
    const form = await readForm(input.request);
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(input.request.headers.get('authorization') ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const client = state.oauthClients.get(clientId);
    if (client === undefined || client.clientSecret !== clientSecret) {
      return oauthError(401, 'invalid_client', 'Unknown client or wrong secret');
    }
    const now = state.now();
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = state.authorizationCodes.get(form.get('code') ?? '');
      if (code === undefined || code.clientId !== clientId || code.expiresAt <= now) {
        return oauthError(400, 'invalid_grant', 'The code is unknown or expired');
      }
      if (code.used) {
        // A replayed code revokes what it granted (RFC 6749 §4.1.2).
        for (const grants of [state.accessTokens, state.refreshTokens]) {
          for (const grant of grants.values()) if (grant.clientId === clientId) grant.revoked = true;
        }
        return oauthError(400, 'invalid_grant', 'The code was already used');
      }
      if (form.get('redirect_uri') !== code.redirectUri) {
        return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      }
      code.used = true;
      const accessToken = input.context.secret();
      const refreshToken = input.context.secret();
      const grant = { clientId, organizationId: code.organizationId, scope: code.scope, revoked: false };
      state.accessTokens.set(accessToken, { ...grant, expiresAt: now + ACCESS_TOKEN_SECONDS * 1000 });
      state.refreshTokens.set(refreshToken, { ...grant, expiresAt: now + REFRESH_TOKEN_MS });
      return json(
        {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: ACCESS_TOKEN_SECONDS,
          refresh_token: refreshToken,
          scope: code.scope,
        },
        200,
        { 'cache-control': 'no-store' },
      );
    }
    if (grantType === 'refresh_token') {
      const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (
        refresh === undefined ||
        refresh.clientId !== clientId ||
        refresh.revoked ||
        refresh.expiresAt <= now
      ) {
        return oauthError(400, 'invalid_grant', 'The refresh token is unknown, revoked or expired');
      }
      // Coursera extends the refresh token's life on each use rather than issuing a new one.
      refresh.expiresAt = now + REFRESH_TOKEN_MS;
      const accessToken = input.context.secret();
      state.accessTokens.set(accessToken, {
        clientId,
        organizationId: refresh.organizationId,
        scope: refresh.scope,
        revoked: false,
        expiresAt: now + ACCESS_TOKEN_SECONDS * 1000,
      });
      return json(
        {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: ACCESS_TOKEN_SECONDS,
          scope: refresh.scope,
        },
        200,
        { 'cache-control': 'no-store' },
      );
    }
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(none)'} is not supported`);
  },
};

export const oauthRoutes: Route[] = [showConsent, decideConsent, token];
