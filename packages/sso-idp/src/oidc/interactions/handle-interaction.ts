import type { InteractionDetails, Provider } from 'oidc-provider';
import { checkAppAccess } from '../../apps/check-grant.ts';
import { rosterClaims } from '../../claims/roster-claims.ts';
import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { errorPage } from '../../http/error-page.ts';
import { readForm } from '../../http/forms.ts';
import { escapeHtml } from '../../http/html.ts';
import { redirect, withCookies } from '../../http/respond.ts';
import type { AppRegistration, ClaimName, SessionRecord } from '../../ports.ts';
import { createNodeExchange } from '../node-bridge.ts';
import { consentPage } from './consent-page.ts';
import { signInUrl } from './sign-in-redirect.ts';

type Action = 'show' | 'confirm' | 'abort';

const reauthenticationReasons = new Set([
  'login_prompt',
  'max_age',
  'id_token_hint',
  'claims_id_token_sub_value',
]);

/**
 * The interaction endpoint oidc-provider sends the browser to when it needs something from the person:
 * `GET /interaction/:uid` signs them in (through the sign-in page), explains a refusal, or asks for consent;
 * `POST /interaction/:uid/confirm` records consent; `POST /interaction/:uid/abort` declines.
 */
export function createInteractionHandler(sso: SsoContext, provider: () => Promise<Provider>) {
  async function finish(
    request: Request,
    result: Record<string, unknown>,
    cookies: readonly (string | undefined)[] = [],
  ): Promise<Response> {
    const instance = await provider();
    const exchange = await createNodeExchange(request);
    // Merged with the last submission: a consent step must keep the login it follows (prompt=login).
    await instance.interactionFinished(exchange.request, exchange.response, result, {
      mergeWithLastSubmission: !('error' in result),
    });
    return withCookies(await exchange.result, cookies);
  }

  async function details(request: Request, uid: string): Promise<InteractionDetails> {
    const instance = await provider();
    const exchange = await createNodeExchange(new Request(request.url, { headers: request.headers }));
    let found: InteractionDetails;
    try {
      found = await instance.interactionDetails(exchange.request, exchange.response);
    } catch (cause) {
      throw new SsoError('SSO_INTERACTION_EXPIRED', undefined, { cause });
    }
    if (found.uid !== uid) throw new SsoError('SSO_INTERACTION_EXPIRED');
    return found;
  }

  async function refuse(
    request: Request,
    interaction: InteractionDetails,
    code: SsoError['code'],
    app: AppRegistration,
    session: SessionRecord,
    setCookie: string | undefined,
  ): Promise<Response> {
    await sso.audit({
      type: 'sso.refused',
      userId: session.userId,
      districtId: session.districtId,
      appId: app.appId,
      code,
      via: 'oidc',
    });
    const csrf = sso.csrf.issue(request);
    const abort = `${sso.urls.basePath}/interaction/${encodeURIComponent(interaction.uid)}/abort`;
    const back = `<form method="post" action="${escapeHtml(abort)}"><input type="hidden" name="csrf_token" value="${escapeHtml(csrf.token)}">
<button type="submit" id="return-to-app">Return to ${escapeHtml(app.name)}</button></form>`;
    return withCookies(errorPage(new SsoError(code), back), [setCookie, csrf.setCookie]);
  }

  return async function handleInteraction(request: Request, uid: string, action: Action): Promise<Response> {
    try {
      const form = action === 'show' ? undefined : await readForm(request.clone());
      if (form !== undefined) sso.csrf.verify(request, form);
      const interaction = await details(request, uid);
      const clientId = interaction.params.client_id;
      const app = clientId === undefined ? undefined : await sso.apps.findAppByClientId(clientId);
      if (app === undefined) throw new SsoError('SSO_APP_UNKNOWN');

      if (action === 'abort') {
        await sso.audit({
          type: 'consent.denied',
          appId: app.appId,
          via: 'oidc',
          ...(interaction.session?.accountId === undefined ? {} : { userId: interaction.session.accountId }),
        });
        return finish(request, {
          error: 'access_denied',
          error_description: 'The user did not sign in to this app.',
        });
      }

      const silent = interaction.params.passport_silent === '1';
      const active = await sso.sessions.read(request);
      const returnTo = `${sso.urls.basePath}/interaction/${encodeURIComponent(uid)}`;
      const district =
        typeof interaction.params.district === 'string' ? interaction.params.district : undefined;
      const loginHint =
        typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : undefined;
      const toSignIn = async (reauthenticate: boolean, cookies: readonly (string | undefined)[] = []) => {
        if (silent)
          return finish(request, { error: 'login_required', error_description: 'Sign-in is required.' });
        if (reauthenticate) {
          // Remember when re-authentication was asked for, on our clock: only a sign-in after it counts.
          const now = sso.clock.now();
          await sso.oneTime.put(`reauth:${uid}`, String(now.getTime()), new Date(now.getTime() + 600_000));
        }
        return withCookies(
          redirect(signInUrl(sso.urls, returnTo, { district, loginHint, reauthenticate })),
          cookies,
        );
      };
      const refuseOrFail = (code: SsoError['code'], session: SessionRecord, setCookie: string | undefined) =>
        silent
          ? finish(request, { error: 'access_denied', error_description: new SsoError(code).title })
          : refuse(request, interaction, code, app, session, setCookie);
      if (active === undefined) return toSignIn(false);
      const { session } = active;

      if (interaction.prompt.name === 'login') {
        const authSeconds = Math.floor(session.authTime.getTime() / 1000);
        const now = sso.clock.now().getTime();
        const maxAge =
          typeof interaction.params.max_age === 'number' ? interaction.params.max_age : undefined;
        if (maxAge !== undefined && now - session.authTime.getTime() > maxAge * 1000) {
          return toSignIn(true, [active.setCookie]);
        }
        if (interaction.prompt.reasons.some((reason) => reauthenticationReasons.has(reason))) {
          const askedAt = await sso.oneTime.take(`reauth:${uid}`, sso.clock.now());
          if (askedAt === undefined || session.authTime.getTime() < Number(askedAt)) {
            return toSignIn(true, [active.setCookie]);
          }
        }
        const decision = await checkAppAccess(sso, session.userId, app.appId);
        if (!decision.allowed) return refuseOrFail(decision.code, session, active.setCookie);
        return finish(
          request,
          { login: { accountId: session.userId, ts: authSeconds, amr: [...session.amr], remember: false } },
          [active.setCookie],
        );
      }

      if (interaction.prompt.name === 'consent') {
        const accountId = interaction.session?.accountId;
        if (accountId === undefined || accountId !== session.userId) {
          return withCookies(redirect(signInUrl(sso.urls, returnTo, { district, reauthenticate: true })), [
            active.setCookie,
          ]);
        }
        const decision = await checkAppAccess(sso, accountId, app.appId);
        if (!decision.allowed)
          return refuse(request, interaction, decision.code, app, session, active.setCookie);
        const released = Object.keys(rosterClaims(decision.user, decision.grant)) as ClaimName[];
        if (decision.grant.requireConsent === true && action === 'show') {
          if (silent)
            return finish(request, { error: 'consent_required', error_description: 'Consent is required.' });
          const csrf = sso.csrf.issue(request);
          const base = `${sso.urls.basePath}/interaction/${encodeURIComponent(uid)}`;
          return withCookies(
            consentPage({
              app,
              claims: released,
              confirmAction: `${base}/confirm`,
              abortAction: `${base}/abort`,
              csrfToken: csrf.token,
            }),
            [active.setCookie, csrf.setCookie],
          );
        }
        const instance = await provider();
        const grant =
          (interaction.grantId === undefined ? undefined : await instance.Grant.find(interaction.grantId)) ??
          new instance.Grant({ accountId, clientId: app.oidc?.clientId ?? '' });
        const scope = typeof interaction.params.scope === 'string' ? interaction.params.scope : 'openid';
        grant.addOIDCScope(scope);
        const grantId = await grant.save();
        await sso.audit({
          type: 'consent.granted',
          userId: accountId,
          districtId: session.districtId,
          appId: app.appId,
          via: 'oidc',
          detail: { scope, asked: decision.grant.requireConsent === true ? 'yes' : 'no' },
        });
        return finish(request, { consent: { grantId } }, [active.setCookie]);
      }

      throw new SsoError('SSO_INTERACTION_EXPIRED', `Unsupported prompt ${interaction.prompt.name}.`);
    } catch (error) {
      return errorPage(error);
    }
  };
}
