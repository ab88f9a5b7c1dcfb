import { PassportError } from '@passport/core';

interface CatalogEntry {
  /** HTTP status a handler answers with. */
  readonly status: number;
  /** The wire code the spec defines, where there is one (OAuth 2.0 / OIDC error codes, SAML status codes). */
  readonly specError?: string;
  /** One line: what went wrong, safe to show anyone. */
  readonly title: string;
  /** What a district administrator (or the app partner) should change so it works next time. */
  readonly fix: string;
}

const samlRequester = 'urn:oasis:names:tc:SAML:2.0:status:Requester';

/**
 * Every error code of `@passport/sso-idp`. The union of keys is closed: `SsoErrorCode` is derived from it and the
 * error code page in the docs is generated from it. "Our failure" (`SSO_INTERNAL_ERROR`) and "the other side said
 * no" (`SSO_UPSTREAM_REFUSED`) are different codes.
 */
export const ssoErrorCatalog = {
  // ── Options and wiring (our side) ────────────────────────────────────────────────────────────────────────────
  SSO_OPTIONS_INVALID: {
    status: 500,
    title: 'The identity provider was configured with invalid options.',
    fix: 'Correct the option named in the message where the identity provider is created.',
  },
  SSO_INTERNAL_ERROR: {
    status: 500,
    specError: 'server_error',
    title: 'The server failed while handling this sign-in.',
    fix: 'Look for the request in the server logs; this is not caused by the district or app configuration.',
  },
  SSO_SIGNING_KEY_MISSING: {
    status: 500,
    title: 'No signing key or certificate is available.',
    fix: 'Rotate keys once (rotateKeys) or configure the SAML signing certificate before signing anything.',
  },

  SSO_DISTRICT_CHANGED: {
    status: 409,
    title: 'The district’s settings changed while this change was being saved; nothing was saved.',
    fix: 'Read the district again and make the change on what it holds now.',
  },
  // ── Apps and district grants ─────────────────────────────────────────────────────────────────────────────────
  SSO_APP_UNKNOWN: {
    status: 404,
    specError: 'invalid_client',
    title: 'This app is not registered with Passport.',
    fix: 'Register the app (client id or SAML entity id) under its partner before signing in to it.',
  },
  SSO_APP_NOT_GRANTED: {
    status: 403,
    specError: 'access_denied',
    title: 'Your district has not enabled this app.',
    fix: 'A district administrator must enable the app for the district (Apps → Grants) before anyone can sign in.',
  },
  SSO_GRANT_SCHOOL_EXCLUDED: {
    status: 403,
    specError: 'access_denied',
    title: 'Your school is not among the schools this app is enabled for.',
    fix: 'A district administrator can add the school to the app’s grant.',
  },
  SSO_GRANT_ROLE_EXCLUDED: {
    status: 403,
    specError: 'access_denied',
    title: 'This app is not enabled for your role.',
    fix: 'A district administrator can add the role to the app’s grant.',
  },
  SSO_GRANT_CLASS_EXCLUDED: {
    status: 403,
    specError: 'access_denied',
    title: 'None of your classes is among the classes this app is enabled for.',
    fix: 'A district administrator can add the class to the app’s grant, or enroll the user in a granted class.',
  },
  SSO_USER_UNKNOWN: {
    status: 403,
    specError: 'access_denied',
    title: 'Your account is no longer in the district roster.',
    fix: 'Check the user in the roster (SIS export); users removed from the roster cannot sign in to apps.',
  },
  SSO_USER_DISABLED: {
    status: 403,
    specError: 'access_denied',
    title: 'Your account is disabled in the district roster.',
    fix: 'Enable the user in the SIS (enabledUser) if they should have access.',
  },
  SSO_CONSENT_DENIED: {
    status: 403,
    specError: 'access_denied',
    title: 'You chose not to share your information with this app.',
    fix: 'Nothing to fix: the user declined. They can sign in again and allow it.',
  },

  // ── Interactions, sessions, browser safety ───────────────────────────────────────────────────────────────────
  SSO_INTERACTION_EXPIRED: {
    status: 400,
    specError: 'invalid_request',
    title: 'This sign-in took too long or was already completed.',
    fix: 'Start again from the app.',
  },
  SSO_SESSION_REQUIRED: {
    status: 401,
    specError: 'login_required',
    title: 'You need to sign in first.',
    fix: 'Sign in to Passport, then try again.',
  },
  SSO_CSRF_INVALID: {
    status: 403,
    specError: 'invalid_request',
    title: 'The form could not be verified (it may have expired or come from another site).',
    fix: 'Reload the page and submit it again.',
  },
  SSO_REDIRECT_UNSAFE: {
    status: 400,
    specError: 'invalid_request',
    title: 'The page to return to is not a Passport page.',
    fix: 'Return addresses must be paths on this Passport server; links to other sites are refused.',
  },
  SSO_REQUEST_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The request is missing a parameter or has an invalid one.',
    fix: 'Send the parameter the message names.',
  },

  // ── Signing in (upstream identity) ───────────────────────────────────────────────────────────────────────────
  SSO_SIGNIN_FAILED: {
    status: 401,
    specError: 'access_denied',
    title: 'The username or password is not correct.',
    fix: 'Check the username and password; a teacher or administrator can reset the password.',
  },
  SSO_SIGNIN_LOCKED: {
    status: 429,
    specError: 'temporarily_unavailable',
    title: 'Too many failed attempts: this account is locked for a while.',
    fix: 'Wait until the lockout ends, or ask an administrator to reset the password.',
  },
  SSO_SIGNIN_RATE_LIMITED: {
    status: 429,
    specError: 'temporarily_unavailable',
    title: 'Too many sign-in attempts from here. Wait a moment and try again.',
    fix: 'Wait for the limit window to pass; raise the limit if a whole school signs in from one address.',
  },
  SSO_BADGE_INVALID: {
    status: 401,
    specError: 'access_denied',
    title: 'This badge does not work here.',
    fix: 'Check that the badge belongs to this district; print a new badge for the student if it is damaged.',
  },
  SSO_BADGE_REVOKED: {
    status: 401,
    specError: 'access_denied',
    title: 'This badge no longer works. Ask your teacher for a new one.',
    fix: 'The badge was revoked, replaced by a newer one or expired; issue a new badge for the student.',
  },
  SSO_BADGE_ROLE_EXCLUDED: {
    status: 403,
    specError: 'access_denied',
    title: 'Badge sign-in is not available for this account.',
    fix: 'Badges are for the roles the district’s badge sign-in method allows (students by default).',
  },
  SSO_SIGNIN_METHOD_UNAVAILABLE: {
    status: 404,
    specError: 'invalid_request',
    title: 'This sign-in method is not set up for the district.',
    fix: 'A district administrator configures sign-in methods (Google, Entra ID, ADFS, passwords) per district.',
  },
  SSO_DISTRICT_UNKNOWN: {
    status: 404,
    specError: 'invalid_request',
    title: 'This district is not known to Passport.',
    fix: 'Pick the district from the list, or ask the district to connect to Passport.',
  },
  SSO_ROSTER_NO_MATCH: {
    status: 403,
    specError: 'access_denied',
    title: 'You signed in, but no one in the district roster matches your account.',
    fix: 'Check the matching rule (email, SIS id, sourcedId) and that the user’s value in the roster equals the one the identity provider sends.',
  },
  SSO_ROSTER_AMBIGUOUS_MATCH: {
    status: 403,
    specError: 'access_denied',
    title: 'You signed in, but several roster records match your account.',
    fix: 'Make the matched value unique in the roster, or match on a unique identifier (SIS id or sourcedId).',
  },
  SSO_UPSTREAM_STATE_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The answer from your district’s sign-in service does not belong to a sign-in started here.',
    fix: 'Start the sign-in again; if it repeats, check that the redirect URI registered upstream is this server’s.',
  },
  SSO_UPSTREAM_REFUSED: {
    status: 403,
    specError: 'access_denied',
    title: 'Your district’s sign-in service did not sign you in.',
    fix: 'The upstream identity provider returned an error; its message is in the audit log.',
  },
  SSO_UPSTREAM_TOKEN_INVALID: {
    status: 502,
    specError: 'server_error',
    title: 'Your district’s sign-in service answered with a token or assertion that failed verification.',
    fix: 'Check the upstream issuer or entity id, client id, certificates and keys in the district’s sign-in settings.',
  },
  SSO_UPSTREAM_ASSERTION_REPLAYED: {
    status: 403,
    specError: 'access_denied',
    title: 'This answer from your district’s sign-in service was already used.',
    fix: 'Start the sign-in again; each SAML assertion is accepted once.',
  },
  SSO_UPSTREAM_UNREACHABLE: {
    status: 502,
    specError: 'temporarily_unavailable',
    title: 'Your district’s sign-in service could not be reached.',
    fix: 'Check the discovery URL and that the upstream identity provider is up.',
  },

  // ── SAML ─────────────────────────────────────────────────────────────────────────────────────────────────────
  SSO_SAML_REQUEST_INVALID: {
    status: 400,
    specError: samlRequester,
    title: 'The SAML request could not be read.',
    fix: 'The service provider must send a well-formed, schema-valid AuthnRequest or LogoutRequest.',
  },
  SSO_SAML_SP_UNKNOWN: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML service provider is not registered.',
    fix: 'Register the app’s SAML entity id, assertion consumer URLs and certificate in Passport.',
  },
  SSO_SAML_SIGNATURE_REQUIRED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request must be signed.',
    fix: 'Configure the service provider to sign its AuthnRequests and LogoutRequests (RSA-SHA256).',
  },
  SSO_SAML_SIGNATURE_INVALID: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request’s signature does not verify.',
    fix: 'Check that the certificate registered in Passport is the one the service provider signs with.',
  },
  SSO_SAML_SIGNATURE_UNSUPPORTED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request uses a signature algorithm or transform Passport does not accept.',
    fix: 'Sign with RSA-SHA256 (or stronger), SHA-256 digests and exclusive canonicalization.',
  },
  SSO_SAML_SIGNATURE_WRAPPED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request’s signature does not cover the request itself.',
    fix: 'The signature must be a direct child of the request and reference its ID; anything else is refused.',
  },
  SSO_SAML_COMMENT_REJECTED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request contains XML comments or processing instructions.',
    fix: 'Service providers never need comments in protocol messages; remove them.',
  },
  SSO_SAML_REQUEST_REPLAYED: {
    status: 403,
    specError: samlRequester,
    title: 'This SAML request was already used.',
    fix: 'Start the sign-in again from the app; each request may be used once.',
  },
  SSO_SAML_REQUEST_EXPIRED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request is too old or from the future.',
    fix: 'Check the service provider’s clock; requests are accepted for a few minutes after IssueInstant.',
  },
  SSO_SAML_DESTINATION_MISMATCH: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request was addressed to another endpoint.',
    fix: 'The Destination must be this identity provider’s SSO or SLO URL from its metadata.',
  },
  SSO_SAML_ACS_UNREGISTERED: {
    status: 403,
    specError: samlRequester,
    title: 'The SAML request asks to deliver the sign-in to an address that is not registered.',
    fix: 'Register the assertion consumer service URL in Passport exactly as the service provider sends it.',
  },
  SSO_SAML_NAMEID_FORMAT_UNSUPPORTED: {
    status: 403,
    specError: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
    title: 'The service provider asked for a NameID format this app is not set up for.',
    fix: 'Set the app’s NameID format in Passport to the one the service provider asks for.',
  },
  SSO_SAML_BINDING_UNSUPPORTED: {
    status: 400,
    specError: samlRequester,
    title: 'This SAML binding is not supported here.',
    fix: 'Use HTTP-Redirect or HTTP-POST.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type SsoErrorCode = keyof typeof ssoErrorCatalog;

export const ssoErrorCodes = Object.keys(ssoErrorCatalog) as SsoErrorCode[];

export interface SsoErrorOptions {
  /** For logs only. Never put passwords, tokens or keys here. */
  detail?: unknown;
  cause?: unknown;
}

/**
 * The error of `@passport/sso-idp`. Its `code` comes from the closed `SsoErrorCode` union, status and spec error
 * from the catalog; `title` is what a signed-out person sees, `fix` tells an administrator what to change.
 */
export class SsoError extends PassportError<SsoErrorCode> {
  readonly title: string;
  readonly fix: string;

  constructor(code: SsoErrorCode, message?: string, options: SsoErrorOptions = {}) {
    const entry: CatalogEntry = ssoErrorCatalog[code];
    const text = message ?? entry.title;
    super(code, text, {
      status: entry.status,
      ...(entry.specError === undefined ? {} : { specError: entry.specError }),
      description: text,
      detail: options.detail,
      cause: options.cause,
    });
    this.title = entry.title;
    this.fix = entry.fix;
  }

  /** True for an `SsoError` from any copy of this package (brand check plus a known code). */
  static isSsoError(value: unknown): value is SsoError {
    return PassportError.is(value) && Object.hasOwn(ssoErrorCatalog, value.code);
  }
}

/** The catalog entry of a code: status, spec error, title and fix. */
export function describeSsoError(code: SsoErrorCode): CatalogEntry {
  return ssoErrorCatalog[code];
}

/** A district saved with the revision it was read at, after another save: `SSO_DISTRICT_CHANGED`. */
export function districtChanged(districtId: string): SsoError {
  return new SsoError(
    'SSO_DISTRICT_CHANGED',
    `District ${districtId} was saved again since it was read; nothing was saved.`,
  );
}
