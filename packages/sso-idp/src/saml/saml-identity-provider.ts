import { randomBytes } from 'node:crypto';
import { checkAppAccess } from '../apps/check-grant.ts';
import { rosterClaims } from '../claims/roster-claims.ts';
import type { SsoContext } from '../context.ts';
import { SsoError } from '../errors.ts';
import { errorPage } from '../http/error-page.ts';
import { autoPostResponse, escapeHtml } from '../http/html.ts';
import { redirect, withCookies } from '../http/respond.ts';
import { signInUrl } from '../oidc/interactions/sign-in-redirect.ts';
import type { AppRegistration, SamlAppSettings, SamlParticipant, SessionRecord } from '../ports.ts';
import type { AuthnRequestMessage } from './receive/read-message.ts';
import { receiveSamlMessage } from './receive/receive-message.ts';
import { checkNameIdPolicy, nameIdFor } from './respond/name-id.ts';
import {
  attributeStatement,
  errorResponseXml,
  loginResponseXml,
  logoutRequestXml,
  logoutResponseXml,
  statusCodes,
} from './respond/response-xml.ts';
import { type SamlSigningCredential, signedRedirectQuery, signMessage } from './respond/sign.ts';
import {
  checkSigningSchedule,
  publishedCertificatesAt,
  signingCredentialAt,
} from './respond/signing-schedule.ts';
import { identityProvider, serviceProvider } from './samlify-entities.ts';

export interface SamlSettings {
  /**
   * Signing credentials. Without dates the first signs and all are published; with `signFrom`/`retireAt` they
   * rotate on the clock (publish the next, switch, retire the previous).
   */
  readonly signing: readonly SamlSigningCredential[];
  /** Secret for persistent (pairwise) NameIDs; the same secret as OIDC pairwise subjects. */
  readonly pairwiseSecret: string;
  /** How long an assertion may be used. Default 5 minutes. */
  readonly assertionSeconds?: number;
}

/** A sign-on waiting for the person to sign in (or re-authenticate). */
interface PendingSignOn {
  readonly appId: string;
  readonly acsUrl: string;
  readonly requestId?: string;
  readonly relayState?: string;
  readonly forceAuthnAfter?: number;
  readonly isPassive: boolean;
}

/** A single logout in progress: the participants still to sign out, then whom to answer. */
interface LogoutChain {
  readonly remaining: readonly SamlParticipant[];
  readonly originator?: { readonly appId: string; readonly requestId: string; readonly relayState?: string };
  readonly finalUrl: string;
}

const newId = () => `_${randomBytes(20).toString('hex')}`;

/**
 * Passport as a SAML 2.0 identity provider for apps that only speak SAML: metadata, SP-initiated sign-on (HTTP-
 * Redirect and HTTP-POST bindings), IdP-initiated sign-on from the portal, single logout. Requests are verified
 * strictly by `receiveSamlMessage`; responses are built here and signed with samlify (assertion and, unless the
 * app opts out, the whole response; RSA-SHA256).
 */
export class SamlIdentityProvider {
  readonly #sso: SsoContext;
  readonly #settings: SamlSettings;

  constructor(sso: SsoContext, settings: SamlSettings) {
    checkSigningSchedule(settings.signing);
    this.#sso = sso;
    this.#settings = settings;
  }

  /** The credential that signs now (rotation: see `signing-schedule.ts`). */
  get #signing(): SamlSigningCredential {
    return signingCredentialAt(this.#settings.signing, this.#sso.clock.now());
  }

  #path(url: string) {
    return new URL(url).pathname;
  }

  /**
   * `GET /saml/metadata`: the IdP metadata, with the signing certificate first and every other live one (the next
   * one before a switch, the previous one during the overlap after it).
   */
  metadata(): Response {
    const now = this.#sso.clock.now();
    const xml = identityProvider(
      this.#sso.urls,
      signingCredentialAt(this.#settings.signing, now),
      publishedCertificatesAt(this.#settings.signing, now),
    ).getMetadata();
    return new Response(xml, {
      headers: {
        'content-type': 'application/samlmetadata+xml; charset=utf-8',
        'cache-control': 'max-age=300',
      },
    });
  }

  /** `GET|POST /saml/sso`: an AuthnRequest from a service provider. */
  async singleSignOn(request: Request): Promise<Response> {
    try {
      const received = await receiveSamlMessage(this.#sso, request, 'AuthnRequest', {
        endpoint: this.#sso.urls.samlSso,
      });
      const { app, message } = received;
      const saml = app.saml as SamlAppSettings;
      const acsUrl = selectAssertionConsumer(saml, message);
      const pending: PendingSignOn = {
        appId: app.appId,
        acsUrl,
        requestId: message.id,
        isPassive: message.isPassive,
        ...(received.relayState === undefined ? {} : { relayState: received.relayState }),
        ...(message.forceAuthn ? { forceAuthnAfter: this.#sso.clock.now().getTime() } : {}),
      };
      try {
        checkNameIdPolicy(message.nameIdFormat, saml.nameIdFormat);
      } catch (error) {
        return this.#errorToServiceProvider(
          app,
          pending,
          statusCodes.requester,
          statusCodes.invalidNameIdPolicy,
          error,
        );
      }
      // A cross-site POST carries no SameSite=Lax session cookie: look again from a same-site GET.
      return await this.#continue(request, pending, request.method === 'POST');
    } catch (error) {
      return errorPage(error);
    }
  }

  /** `GET /saml/continue/:key`: back from the sign-in page. */
  async resume(request: Request, key: string): Promise<Response> {
    try {
      const stored = await this.#sso.oneTime.take(`saml-pending:${key}`, this.#sso.clock.now());
      if (stored === undefined) throw new SsoError('SSO_INTERACTION_EXPIRED');
      return await this.#continue(request, JSON.parse(stored) as PendingSignOn);
    } catch (error) {
      return errorPage(error);
    }
  }

  /** `GET /saml/launch/:appId`: IdP-initiated sign-on (a portal tile). */
  async launch(request: Request, appId: string): Promise<Response> {
    try {
      const app = await this.#sso.apps.getApp(appId);
      const first = app?.saml?.assertionConsumerServices[0];
      if (app === undefined || first === undefined) throw new SsoError('SSO_APP_UNKNOWN');
      return await this.#continue(request, { appId, acsUrl: first.url, isPassive: false });
    } catch (error) {
      return errorPage(error);
    }
  }

  async #continue(request: Request, pending: PendingSignOn, lookAgain = false): Promise<Response> {
    const sso = this.#sso;
    const app = await sso.apps.getApp(pending.appId);
    if (app?.saml === undefined) throw new SsoError('SSO_APP_UNKNOWN');
    const active = await sso.sessions.read(request);
    const stale =
      active !== undefined &&
      pending.forceAuthnAfter !== undefined &&
      active.session.authTime.getTime() <= pending.forceAuthnAfter;
    if (active === undefined || stale) {
      if (pending.isPassive && !(lookAgain && active === undefined)) {
        return this.#errorToServiceProvider(app, pending, statusCodes.responder, statusCodes.noPassive);
      }
      const key = randomBytes(24).toString('base64url');
      const now = sso.clock.now();
      await sso.oneTime.put(
        `saml-pending:${key}`,
        JSON.stringify(pending),
        new Date(now.getTime() + 15 * 60_000),
      );
      const back = `${sso.urls.basePath}/saml/continue/${key}`;
      if (lookAgain && active === undefined) return redirect(back);
      return redirect(signInUrl(sso.urls, back, { reauthenticate: stale }));
    }
    const { session } = active;
    const decision = await checkAppAccess(sso, session.userId, app.appId);
    if (!decision.allowed) {
      await sso.audit({
        type: 'sso.refused',
        userId: session.userId,
        districtId: session.districtId,
        appId: app.appId,
        code: decision.code,
        via: 'saml',
      });
      const refusal = new SsoError(decision.code);
      const form = await this.#errorForm(
        app,
        pending,
        statusCodes.responder,
        statusCodes.requestDenied,
        refusal,
      );
      return withCookies(errorPage(refusal, form), [active.setCookie]);
    }
    const response = await this.#loginResponse(app, pending, session, decision);
    return withCookies(response, [active.setCookie]);
  }

  async #loginResponse(
    app: AppRegistration,
    pending: PendingSignOn,
    session: SessionRecord,
    decision: Extract<Awaited<ReturnType<typeof checkAppAccess>>, { allowed: true }>,
  ): Promise<Response> {
    const sso = this.#sso;
    const saml = app.saml as SamlAppSettings;
    const nameId = nameIdFor(saml.nameIdFormat, decision.user, app.appId, this.#settings.pairwiseSecret);
    const sessionIndex = newId();
    const xml = loginResponseXml({
      responseId: newId(),
      assertionId: newId(),
      issuer: sso.urls.samlMetadata,
      destination: pending.acsUrl,
      audience: saml.entityId,
      ...(pending.requestId === undefined ? {} : { inResponseTo: pending.requestId }),
      now: sso.clock.now(),
      validSeconds: this.#settings.assertionSeconds ?? 300,
      nameId,
      authTime: session.authTime,
      amr: session.amr,
      sessionIndex,
      sessionNotOnOrAfter: session.expiresAt,
      attributeStatement: attributeStatement(saml.attributes, rosterClaims(decision.user, decision.grant)),
    });
    const idp = identityProvider(sso.urls, this.#signing, undefined, saml.assertionEncryption);
    const sp = serviceProvider(saml, pending.acsUrl);
    const signed = (await idp.createLoginResponse(
      sp,
      { extract: { request: { id: pending.requestId ?? '' } } },
      'post',
      {},
      { customTagReplacement: () => ({ id: '', context: xml }) },
    )) as { context: string };
    const participant: SamlParticipant = {
      appId: app.appId,
      nameId: nameId.value,
      nameIdFormat: nameId.format,
      sessionIndex,
    };
    await sso.sessions.save({
      ...session,
      samlParticipants: [
        ...session.samlParticipants.filter((entry) => entry.appId !== app.appId),
        participant,
      ],
    });
    await sso.audit({
      type: 'sso.issued',
      userId: session.userId,
      districtId: session.districtId,
      appId: app.appId,
      via: 'saml',
      detail: { initiated: pending.requestId === undefined ? 'idp' : 'sp' },
    });
    return autoPostResponse(pending.acsUrl, {
      SAMLResponse: signed.context,
      ...(pending.relayState === undefined ? {} : { RelayState: pending.relayState }),
    });
  }

  #signedErrorResponse(pending: PendingSignOn, top: string, second: string, error?: unknown) {
    const message = SsoError.isSsoError(error) ? error.title : undefined;
    const xml = errorResponseXml({
      responseId: newId(),
      issuer: this.#sso.urls.samlMetadata,
      destination: pending.acsUrl,
      ...(pending.requestId === undefined ? {} : { inResponseTo: pending.requestId }),
      now: this.#sso.clock.now(),
      status: top,
      secondStatus: second,
      ...(message === undefined ? {} : { message }),
    });
    return Buffer.from(signMessage(xml, 'Response', this.#signing)).toString('base64');
  }

  /** Answers the service provider with an error status (it asked for something Passport will not do). */
  #errorToServiceProvider(
    _app: AppRegistration,
    pending: PendingSignOn,
    top: string,
    second: string,
    error?: unknown,
  ) {
    return autoPostResponse(pending.acsUrl, {
      SAMLResponse: this.#signedErrorResponse(pending, top, second, error),
      ...(pending.relayState === undefined ? {} : { RelayState: pending.relayState }),
    });
  }

  /** A "Return to the app" button on the refusal page, posting a signed RequestDenied response. */
  async #errorForm(
    app: AppRegistration,
    pending: PendingSignOn,
    top: string,
    second: string,
    error: unknown,
  ) {
    const fields: Record<string, string> = {
      SAMLResponse: this.#signedErrorResponse(pending, top, second, error),
      ...(pending.relayState === undefined ? {} : { RelayState: pending.relayState }),
    };
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('');
    return `<form method="post" action="${escapeHtml(pending.acsUrl)}">${inputs}<button type="submit" id="return-to-app">Return to ${escapeHtml(app.name)}</button></form>`;
  }

  // ── Single logout ───────────────────────────────────────────────────────────────────────────────────────────

  /** `GET|POST /saml/slo`: a LogoutRequest from a service provider, or a LogoutResponse during a logout chain. */
  async singleLogout(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const isResponse =
        url.searchParams.has('SAMLResponse') ||
        (request.method === 'POST' && (await request.clone().text()).includes('SAMLResponse='));
      if (isResponse) return await this.#logoutResponseReceived(request);
      const received = await receiveSamlMessage(this.#sso, request, 'LogoutRequest', {
        endpoint: this.#sso.urls.samlSlo,
      });
      const { app, message } = received;
      const active = await this.#sso.sessions.peek(request);
      const participant = active?.samlParticipants.find((entry) => entry.appId === app.appId);
      const matches =
        participant !== undefined &&
        participant.nameId === message.nameId &&
        (message.sessionIndexes.length === 0 || message.sessionIndexes.includes(participant.sessionIndex));
      const originator = {
        appId: app.appId,
        requestId: message.id,
        ...(received.relayState === undefined ? {} : { relayState: received.relayState }),
      };
      if (active !== undefined && !matches) {
        return this.#logoutResponse(app, originator, statusCodes.requester, statusCodes.unknownPrincipal);
      }
      if (active === undefined) return this.#logoutResponse(app, originator, statusCodes.success);
      const ended = await this.#sso.sessions.end(request);
      await this.#sso.audit({
        type: 'signout',
        userId: active.userId,
        districtId: active.districtId,
        appId: app.appId,
        via: 'saml',
      });
      const remaining = active.samlParticipants.filter((entry) => entry.appId !== app.appId);
      const response = await this.#nextInChain({
        remaining,
        originator,
        finalUrl: this.#path(this.#sso.urls.signIn),
      });
      return withCookies(response, [ended.setCookie]);
    } catch (error) {
      return errorPage(error);
    }
  }

  /**
   * Starts single logout for a session that is ending (Passport sign-out): each SAML app it signed in to gets a
   * LogoutRequest in turn, then the browser lands on `finalUrl`.
   */
  async logoutParticipants(participants: readonly SamlParticipant[], finalUrl: string): Promise<Response> {
    return this.#nextInChain({ remaining: participants, finalUrl });
  }

  async #nextInChain(chain: LogoutChain): Promise<Response> {
    const sso = this.#sso;
    for (let index = 0; index < chain.remaining.length; index++) {
      const participant = chain.remaining[index] as SamlParticipant;
      const app = await sso.apps.getApp(participant.appId);
      const slo = app?.saml?.singleLogoutService;
      if (slo === undefined) continue;
      const rest: LogoutChain = { ...chain, remaining: chain.remaining.slice(index + 1) };
      const key = randomBytes(24).toString('base64url');
      const now = sso.clock.now();
      await sso.oneTime.put(
        `saml-slo:${key}`,
        JSON.stringify({ ...rest, awaiting: participant.appId }),
        new Date(now.getTime() + 10 * 60_000),
      );
      const xml = logoutRequestXml({
        id: newId(),
        issuer: sso.urls.samlMetadata,
        destination: slo.url,
        now,
        nameId: { value: participant.nameId, format: participant.nameIdFormat },
        sessionIndex: participant.sessionIndex,
      });
      if (slo.binding === 'post') {
        return autoPostResponse(slo.url, {
          SAMLRequest: Buffer.from(signMessage(xml, 'LogoutRequest', this.#signing)).toString('base64'),
          RelayState: key,
        });
      }
      return redirect(
        `${slo.url}${slo.url.includes('?') ? '&' : '?'}${signedRedirectQuery('SAMLRequest', xml, key, this.#signing)}`,
      );
    }
    if (chain.originator !== undefined) {
      const app = await sso.apps.getApp(chain.originator.appId);
      if (app !== undefined) return this.#logoutResponse(app, chain.originator, statusCodes.success);
    }
    return redirect(chain.finalUrl);
  }

  async #logoutResponseReceived(request: Request): Promise<Response> {
    const received = await receiveSamlMessage(this.#sso, request, 'LogoutResponse', {
      endpoint: this.#sso.urls.samlSlo,
    });
    const key = received.relayState;
    const stored =
      key === undefined ? undefined : await this.#sso.oneTime.take(`saml-slo:${key}`, this.#sso.clock.now());
    if (stored === undefined) throw new SsoError('SSO_INTERACTION_EXPIRED');
    const chain = JSON.parse(stored) as LogoutChain & { awaiting: string };
    if (chain.awaiting !== received.app.appId)
      throw new SsoError('SSO_SAML_REQUEST_INVALID', 'Unexpected LogoutResponse issuer.');
    return this.#nextInChain(chain);
  }

  #logoutResponse(
    app: AppRegistration,
    originator: NonNullable<LogoutChain['originator']>,
    status: string,
    secondStatus?: string,
  ): Response | Promise<Response> {
    const slo = app.saml?.singleLogoutService;
    if (slo === undefined) return redirect(this.#path(this.#sso.urls.signIn));
    const xml = logoutResponseXml({
      id: newId(),
      issuer: this.#sso.urls.samlMetadata,
      destination: slo.url,
      inResponseTo: originator.requestId,
      now: this.#sso.clock.now(),
      status,
      ...(secondStatus === undefined ? {} : { secondStatus }),
    });
    if (slo.binding === 'post') {
      return autoPostResponse(slo.url, {
        SAMLResponse: Buffer.from(signMessage(xml, 'LogoutResponse', this.#signing)).toString('base64'),
        ...(originator.relayState === undefined ? {} : { RelayState: originator.relayState }),
      });
    }
    return redirect(
      `${slo.url}${slo.url.includes('?') ? '&' : '?'}${signedRedirectQuery('SAMLResponse', xml, originator.relayState, this.#signing)}`,
    );
  }
}

/**
 * The assertion consumer service a sign-on answers to: the URL the request names, only if registered exactly;
 * or the registered one with the requested index; or the first registered. Responses use HTTP-POST only.
 */
function selectAssertionConsumer(saml: SamlAppSettings, message: AuthnRequestMessage): string {
  if (
    message.protocolBinding !== undefined &&
    message.protocolBinding !== 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'
  ) {
    throw new SsoError('SSO_SAML_BINDING_UNSUPPORTED', 'Responses are sent with the HTTP-POST binding only.');
  }
  if (message.assertionConsumerServiceUrl !== undefined) {
    const registered = saml.assertionConsumerServices.find(
      (entry) => entry.url === message.assertionConsumerServiceUrl,
    );
    if (registered === undefined) {
      throw new SsoError('SSO_SAML_ACS_UNREGISTERED', undefined, {
        detail: { url: message.assertionConsumerServiceUrl.slice(0, 300) },
      });
    }
    return registered.url;
  }
  if (message.assertionConsumerServiceIndex !== undefined) {
    const indexed = saml.assertionConsumerServices.find(
      (entry, position) => (entry.index ?? position) === message.assertionConsumerServiceIndex,
    );
    if (indexed === undefined) throw new SsoError('SSO_SAML_ACS_UNREGISTERED');
    return indexed.url;
  }
  const first = saml.assertionConsumerServices[0];
  if (first === undefined) throw new SsoError('SSO_SAML_ACS_UNREGISTERED');
  return first.url;
}
