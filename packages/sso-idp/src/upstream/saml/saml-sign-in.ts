import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { clientAddress, readForm } from '../../http/forms.ts';
import { redirect, withCookies } from '../../http/respond.ts';
import type { SamlUpstream } from '../../ports.ts';
import { decodePostMessage } from '../../saml/receive/decode-message.ts';
import { validateSchema } from '../../saml/receive/validate-schema.ts';
import { verifyPostSignature } from '../../saml/receive/verify-post-signature.ts';
import { type SamlSigningCredential, signedRedirectQuery } from '../../saml/respond/sign.ts';
import {
  attribute,
  children,
  escapeXml,
  namespaces,
  onlyChild,
  parseSamlXml,
  textOf,
} from '../../saml/xml.ts';
import { bindBrowser, browserMatches, clearBinding } from '../browser-binding.ts';
import { completeSignIn } from '../complete-sign-in.ts';
import { matchRosterUser } from '../match-roster-user.ts';

interface SamlUpstreamState {
  readonly districtId: string;
  readonly methodId: string;
  readonly requestId: string;
  readonly returnTo: string;
  readonly browser: string;
}

const success = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const invalid = (reason: string) =>
  new SsoError('SSO_UPSTREAM_TOKEN_INVALID', undefined, { detail: { reason } });

/**
 * Sign-in through a district's SAML identity provider (ADFS, Shibboleth, Entra ID in SAML mode), Passport being
 * the service provider: an AuthnRequest over HTTP-Redirect (signed when Passport has SAML credentials), then the
 * Response posted back, verified as strictly as Passport verifies requests: no comments, schema, a signature on
 * the Response or on its single Assertion with the district's registered certificates, and every field read from
 * the signed content (issuer, audience, recipient, InResponseTo, validity window), the assertion used once.
 */
export class SamlUpstreamSignIn {
  readonly #sso: SsoContext;
  readonly #signing: (() => SamlSigningCredential) | undefined;

  /** `signing` gives the credential that signs AuthnRequests now (it follows the SAML rotation schedule). */
  constructor(sso: SsoContext, signing?: () => SamlSigningCredential) {
    this.#sso = sso;
    this.#signing = signing;
  }

  async start(districtId: string, method: SamlUpstream, returnTo: string): Promise<Response> {
    const sso = this.#sso;
    const requestId = `_${randomBytes(20).toString('hex')}`;
    const relayState = randomBytes(24).toString('base64url');
    const binding = bindBrowser(sso);
    const now = sso.clock.now();
    const state: SamlUpstreamState = {
      districtId,
      methodId: method.id,
      requestId,
      returnTo,
      browser: binding.hash,
    };
    await sso.oneTime.put(
      `upstream-saml:${relayState}`,
      JSON.stringify(state),
      new Date(now.getTime() + 600_000),
    );
    const xml = `<samlp:AuthnRequest xmlns:samlp="${namespaces.protocol}" xmlns:saml="${namespaces.assertion}" ID="${requestId}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${escapeXml(method.ssoUrl)}" AssertionConsumerServiceURL="${escapeXml(sso.urls.upstreamCallback(districtId, method.id))}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${escapeXml(sso.urls.upstreamSamlEntity(districtId, method.id))}</saml:Issuer></samlp:AuthnRequest>`;
    const query =
      this.#signing === undefined
        ? `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}&RelayState=${encodeURIComponent(relayState)}`
        : signedRedirectQuery('SAMLRequest', xml, relayState, this.#signing());
    return redirect(`${method.ssoUrl}${method.ssoUrl.includes('?') ? '&' : '?'}${query}`, 303, {
      'set-cookie': binding.setCookie,
    });
  }

  async callback(request: Request, districtId: string, method: SamlUpstream): Promise<Response> {
    const sso = this.#sso;
    const ip = clientAddress(request, sso.trustForwardedFor);
    const form = await readForm(request.clone());
    const relayState = form.get('RelayState') ?? '';
    const stored =
      relayState === '' ? undefined : await sso.oneTime.take(`upstream-saml:${relayState}`, sso.clock.now());
    const state = stored === undefined ? undefined : (JSON.parse(stored) as SamlUpstreamState);
    if (
      state === undefined ||
      state.districtId !== districtId ||
      state.methodId !== method.id ||
      !browserMatches(sso, request, state.browser)
    ) {
      throw new SsoError('SSO_UPSTREAM_STATE_INVALID');
    }
    const xml = decodePostMessage(form.get('SAMLResponse') ?? '');
    const root = parseSamlXml(xml);
    await validateSchema(xml);
    if (root.namespaceURI !== namespaces.protocol || root.localName !== 'Response')
      throw invalid('not a Response');
    const status = onlyChild(
      onlyChild(root, namespaces.protocol, 'Status') ?? root,
      namespaces.protocol,
      'StatusCode',
    );
    const statusValue = status === undefined ? undefined : attribute(status, 'Value');
    if (statusValue !== success) {
      await sso.audit({
        type: 'signin.failed',
        districtId,
        via: method.id,
        code: 'SSO_UPSTREAM_REFUSED',
        detail: { status: (statusValue ?? 'none').slice(0, 200) },
        ...(ip === undefined ? {} : { ip }),
      });
      throw new SsoError('SSO_UPSTREAM_REFUSED');
    }
    const assertions = children(root, namespaces.assertion, 'Assertion');
    if (assertions.length !== 1 || children(root, namespaces.assertion, 'EncryptedAssertion').length > 0) {
      throw invalid('expected exactly one plain Assertion');
    }
    const assertionElement = assertions[0] as Element;
    const responseSigned = children(root, namespaces.signature, 'Signature').length > 0;
    let assertion: Element;
    try {
      if (responseSigned) {
        const signed = parseSamlXml(
          verifyPostSignature(xml, root, method.signingCertificates, root, { allowNestedSignatures: true }),
        );
        const [only] = children(signed, namespaces.assertion, 'Assertion');
        if (only === undefined) throw invalid('the signed Response has no Assertion');
        assertion = only;
      } else {
        assertion = parseSamlXml(
          verifyPostSignature(xml, root, method.signingCertificates, assertionElement),
        );
      }
    } catch (error) {
      if (SsoError.isSsoError(error) && error.code === 'SSO_SAML_SIGNATURE_INVALID')
        throw invalid('signature');
      if (SsoError.isSsoError(error) && error.code === 'SSO_SAML_SIGNATURE_REQUIRED')
        throw invalid('unsigned');
      throw error;
    }
    const identity = this.#readAssertion(assertion, districtId, method, state.requestId);
    const fresh = await sso.oneTime.claim(
      `upstream-assertion:${method.entityId}:${identity.assertionId}`,
      identity.notOnOrAfter,
      sso.clock.now(),
    );
    if (!fresh) throw new SsoError('SSO_UPSTREAM_ASSERTION_REPLAYED');
    const user = await matchRosterUser(
      sso,
      districtId,
      method.match,
      { methodId: method.id, claims: identity.claims },
      { ip },
    );
    return withCookies(
      await completeSignIn(sso, request, {
        user,
        methodId: method.id,
        amr: ['fed'],
        returnTo: state.returnTo,
        ip,
      }),
      [clearBinding(sso)],
    );
  }

  /** Reads and checks the (signed) assertion: issuer, bearer confirmation, audience, validity window. */
  #readAssertion(assertion: Element, districtId: string, method: SamlUpstream, requestId: string) {
    const sso = this.#sso;
    const now = sso.clock.now().getTime();
    const skew = 120_000;
    const issuer = onlyChild(assertion, namespaces.assertion, 'Issuer');
    if (issuer === undefined || textOf(issuer) !== method.entityId) throw invalid('issuer');
    const subject = onlyChild(assertion, namespaces.assertion, 'Subject');
    const nameId = subject === undefined ? undefined : onlyChild(subject, namespaces.assertion, 'NameID');
    if (subject === undefined || nameId === undefined) throw invalid('no NameID');
    const recipient = sso.urls.upstreamCallback(districtId, method.id);
    const confirmed = children(subject, namespaces.assertion, 'SubjectConfirmation').some((confirmation) => {
      if (attribute(confirmation, 'Method') !== 'urn:oasis:names:tc:SAML:2.0:cm:bearer') return false;
      const data = onlyChild(confirmation, namespaces.assertion, 'SubjectConfirmationData');
      if (data === undefined) return false;
      const until = Date.parse(attribute(data, 'NotOnOrAfter') ?? '');
      return (
        attribute(data, 'Recipient') === recipient &&
        attribute(data, 'InResponseTo') === requestId &&
        Number.isFinite(until) &&
        until > now - skew
      );
    });
    if (!confirmed) throw invalid('no bearer confirmation for this request and recipient, or it expired');
    const conditions = onlyChild(assertion, namespaces.assertion, 'Conditions');
    if (conditions === undefined) throw invalid('no Conditions');
    const notBefore = Date.parse(attribute(conditions, 'NotBefore') ?? '');
    const notOnOrAfter = Date.parse(attribute(conditions, 'NotOnOrAfter') ?? '');
    if (
      (Number.isFinite(notBefore) && notBefore > now + skew) ||
      !Number.isFinite(notOnOrAfter) ||
      notOnOrAfter <= now - skew
    ) {
      throw invalid('outside its validity window');
    }
    const audience = sso.urls.upstreamSamlEntity(districtId, method.id);
    const restrictions = children(conditions, namespaces.assertion, 'AudienceRestriction');
    if (
      restrictions.length === 0 ||
      !restrictions.every((restriction) =>
        children(restriction, namespaces.assertion, 'Audience').some((entry) => textOf(entry) === audience),
      )
    ) {
      throw invalid('audience');
    }
    const claims: Record<string, unknown> = { nameid: textOf(nameId) };
    for (const statement of children(assertion, namespaces.assertion, 'AttributeStatement')) {
      for (const entry of children(statement, namespaces.assertion, 'Attribute')) {
        const name = attribute(entry, 'Name');
        if (name === undefined) continue;
        const values = children(entry, namespaces.assertion, 'AttributeValue').map(textOf);
        claims[name] = values.length === 1 ? values[0] : values;
      }
    }
    const assertionId = attribute(assertion, 'ID') ?? '';
    return { claims, assertionId, notOnOrAfter: new Date(notOnOrAfter + skew) };
  }
}
