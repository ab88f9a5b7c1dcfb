import { PassportError } from '@passport/core';

interface CatalogEntry {
  /** HTTP status a handler answers with. */
  readonly status: number;
  /** The wire code the spec defines, where there is one (OAuth 2.0 / OIDC error codes). */
  readonly specError?: string;
  /** One line: what went wrong, safe to show anyone. */
  readonly title: string;
  /** What an LMS administrator (or the tool's operator) should change so it works next time. */
  readonly fix: string;
}

/**
 * Every error code this package produces, with its HTTP status and the text an administrator needs. The union of
 * keys is closed: `LtiErrorCode` is derived from it, and docs list the codes from it.
 */
export const ltiErrorCatalog = {
  // ── Options and wiring (our side) ────────────────────────────────────────────────────────────────────────────
  LTI_OPTIONS_INVALID: {
    status: 500,
    title: 'The LTI tool or platform was configured with invalid options.',
    fix: 'Correct the option named in the message where the tool or platform is created.',
  },
  LTI_INTERNAL_ERROR: {
    status: 500,
    specError: 'server_error',
    title: 'The server failed while handling this LTI request.',
    fix: 'Look for the request in the server logs; this is not caused by the LMS configuration.',
  },
  LTI_SIGNING_KEY_MISSING: {
    status: 500,
    title: 'No usable signing key is available.',
    fix: 'A stored key could not be imported: remove it from the key store, or call keyRing.rotate() to generate a new one.',
  },

  // ── OIDC login initiation (tool side) ────────────────────────────────────────────────────────────────────────
  LTI_LOGIN_REQUEST_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The login initiation request is missing a required parameter.',
    fix: 'The platform must send iss, login_hint and target_link_uri to the tool login URL (GET or POST).',
  },
  LTI_PLATFORM_UNKNOWN: {
    status: 403,
    specError: 'unauthorized_client',
    title: 'The issuer is not a registered platform.',
    fix: 'Register the platform (issuer, client id, endpoints, deployment) in the tool, or check the issuer the LMS sends.',
  },
  LTI_CLIENT_UNKNOWN: {
    status: 403,
    specError: 'unauthorized_client',
    title: 'The client id is not registered for this issuer.',
    fix: 'Register this client id for the issuer in the tool, or check which developer key / tool registration the LMS uses.',
  },
  LTI_CLIENT_AMBIGUOUS: {
    status: 400,
    specError: 'invalid_request',
    title: 'Several registrations share this issuer and the login did not say which client id it is for.',
    fix: 'Configure the LMS to send client_id in the login initiation (required when one issuer hosts many tenants).',
  },
  LTI_TARGET_LINK_URI_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The target_link_uri is not one of this tool’s URLs.',
    fix: 'Set the tool link URL in the LMS to a URL the tool serves (the tool only redirects to its own origins).',
  },
  LTI_REGISTRATION_PENDING: {
    status: 403,
    specError: 'unauthorized_client',
    title: 'The registration exists but has not been activated yet.',
    fix: 'An administrator must activate this tool registration (in the LMS and in the tool) before it can launch.',
  },

  // ── Launch request ───────────────────────────────────────────────────────────────────────────────────────────
  LTI_LAUNCH_REQUEST_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The launch must be a form POST.',
    fix: 'The platform must send the id_token and state with response_mode=form_post to the tool’s redirect URI.',
  },
  LTI_PLATFORM_REFUSED_LOGIN: {
    status: 400,
    specError: 'access_denied',
    title: 'The platform answered the authentication request with an error.',
    fix: 'Read the platform error in the message: usually the redirect URI, client id or deployment is not configured in the LMS.',
  },
  LTI_ID_TOKEN_MISSING: {
    status: 400,
    specError: 'invalid_request',
    title: 'The launch carries no id_token.',
    fix: 'The platform must post an id_token field to the tool’s launch URL.',
  },
  LTI_ID_TOKEN_MALFORMED: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token is not a signed JWT (three base64url parts holding JSON).',
    fix: 'The platform must send a JWS compact serialization as id_token; check for truncation by a proxy.',
  },
  LTI_NOT_LTI_TOKEN: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token is a JWT but not an LTI 1.3 message.',
    fix: 'The platform must send an LTI 1.3 id_token (iss, aud and the https://purl.imsglobal.org/spec/lti/claim/* claims).',
  },

  // ── State, nonce ─────────────────────────────────────────────────────────────────────────────────────────────
  LTI_STATE_MISSING: {
    status: 400,
    specError: 'invalid_request',
    title: 'The launch carries no state.',
    fix: 'The platform must echo the state it received in the authentication request.',
  },
  LTI_STATE_UNKNOWN: {
    status: 400,
    specError: 'invalid_request',
    title: 'The state was never issued by this tool.',
    fix: 'Start the launch again from the LMS; if it repeats, the LMS is not running the login initiation step.',
  },
  LTI_STATE_EXPIRED: {
    status: 400,
    specError: 'invalid_request',
    title: 'The login took too long: its state has expired.',
    fix: 'Start the launch again from the LMS; raise the login state lifetime if users are often this slow.',
  },
  LTI_STATE_REPLAYED: {
    status: 400,
    specError: 'invalid_request',
    title: 'This state has already been used for a launch.',
    fix: 'Start the launch again from the LMS; reloading or re-posting a launch page is refused.',
  },
  LTI_STATE_MISMATCH: {
    status: 400,
    specError: 'invalid_request',
    title: 'The state does not belong to this browser.',
    fix: 'The browser lost the login cookie (third-party cookies blocked?). Enable LTI platform storage in the LMS, or open the tool in a new window.',
  },
  LTI_NONCE_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token carries no nonce.',
    fix: 'The platform must copy the nonce from the authentication request into the id_token.',
  },
  LTI_NONCE_UNKNOWN: {
    status: 400,
    specError: 'invalid_token',
    title: 'The nonce was never issued by this tool.',
    fix: 'The platform must copy the nonce from this login’s authentication request, not invent one.',
  },
  LTI_NONCE_MISMATCH: {
    status: 400,
    specError: 'invalid_token',
    title: 'The nonce belongs to a different login than this state.',
    fix: 'The platform must use the nonce of the same authentication request whose state it returns.',
  },
  LTI_NONCE_REPLAYED: {
    status: 400,
    specError: 'invalid_token',
    title: 'The nonce has already been used: this id_token was replayed.',
    fix: 'Start the launch again from the LMS; each id_token can be used once.',
  },

  // ── Signature ────────────────────────────────────────────────────────────────────────────────────────────────
  LTI_KID_MISSING: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token header has no kid.',
    fix: 'The platform must name its signing key (kid) in the JWT header, matching a key in its JWKS.',
  },
  LTI_KID_UNKNOWN: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token was signed with a key that is not in the platform’s key set.',
    fix: 'Check the JWKS URL registered for this platform; the platform must publish the key it signs with.',
  },
  LTI_ALG_NOT_ALLOWED: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token uses an algorithm LTI does not allow (none, HMAC or unlisted).',
    fix: 'The platform must sign with RS256 (or an algorithm configured for this registration).',
  },
  LTI_ALG_KEY_MISMATCH: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token’s algorithm does not fit the platform key it names.',
    fix: 'The platform must sign with the algorithm of the key it names in kid (see the key’s alg in its JWKS).',
  },
  LTI_SIGNATURE_INVALID: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token signature does not verify.',
    fix: 'Check that the JWKS URL registered for this issuer and client id is the platform’s; the token may be forged or altered.',
  },
  LTI_JWKS_UNAVAILABLE: {
    status: 502,
    title: 'The platform’s key set could not be fetched.',
    fix: 'Check the JWKS URL registered for this platform and that the tool can reach it.',
  },
  LTI_JWKS_INVALID: {
    status: 502,
    title: 'The platform’s key set is not a JSON Web Key Set.',
    fix: 'The JWKS URL must answer JSON of the form {"keys": [...]}; check the URL registered for this platform.',
  },

  // ── Registered claims ────────────────────────────────────────────────────────────────────────────────────────
  LTI_ISSUER_MISMATCH: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token’s issuer is not the platform this login started with.',
    fix: 'The platform must use the same issuer in the login initiation and in the id_token.',
  },
  LTI_AUDIENCE_MISMATCH: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token is not addressed to this tool’s client id.',
    fix: 'Check the client id registered in the tool against the LMS developer key / registration.',
  },
  LTI_AZP_MISMATCH: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token has several audiences and its azp is not this tool’s client id.',
    fix: 'When aud lists several clients, the platform must set azp to the tool’s client id.',
  },
  LTI_TOKEN_EXPIRED: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token has expired.',
    fix: 'Start the launch again; if it repeats, check the clock of the LMS server (and the tool’s allowed skew).',
  },
  LTI_TOKEN_NOT_YET_VALID: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token was issued in the future.',
    fix: 'The clocks of the LMS server and the tool differ; synchronize them with NTP or raise the allowed skew.',
  },
  LTI_TOKEN_TOO_OLD: {
    status: 401,
    specError: 'invalid_token',
    title: 'The id_token was issued too long ago.',
    fix: 'Start the launch again; if it repeats, check the LMS server clock (iat) or raise the maximum launch age.',
  },
  LTI_SUBJECT_EMPTY: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token’s sub (the user id) is an empty string.',
    fix: 'The platform must send a non-empty sub, or omit sub entirely for an anonymous launch.',
  },

  // ── LTI claims ───────────────────────────────────────────────────────────────────────────────────────────────
  LTI_CLAIMS_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'Several required LTI claims are missing.',
    fix: 'The platform must send message_type, version and roles in every LTI launch.',
  },
  LTI_VERSION_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token has no LTI version claim.',
    fix: 'The platform must send https://purl.imsglobal.org/spec/lti/claim/version = "1.3.0".',
  },
  LTI_VERSION_UNSUPPORTED: {
    status: 400,
    specError: 'invalid_token',
    title: 'The LTI version is not 1.3.0.',
    fix: 'Configure the LMS link as an LTI 1.3 (Advantage) tool; this tool speaks LTI 1.3.0 only.',
  },
  LTI_MESSAGE_TYPE_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token has no message_type claim.',
    fix: 'The platform must send https://purl.imsglobal.org/spec/lti/claim/message_type.',
  },
  LTI_MESSAGE_TYPE_UNSUPPORTED: {
    status: 400,
    specError: 'invalid_token',
    title: 'The message type is not one this tool handles.',
    fix: 'Use LtiResourceLinkRequest, LtiDeepLinkingRequest or LtiSubmissionReviewRequest placements only.',
  },
  LTI_ROLES_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token has no roles claim.',
    fix: 'The platform must send the roles claim (an empty array when the user has no role).',
  },
  LTI_DEPLOYMENT_ID_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token has no deployment_id claim.',
    fix: 'The platform must send https://purl.imsglobal.org/spec/lti/claim/deployment_id.',
  },
  LTI_DEPLOYMENT_UNKNOWN: {
    status: 403,
    specError: 'unauthorized_client',
    title: 'The deployment id is not registered for this platform and client id.',
    fix: 'Add the deployment id (shown in the message) to the platform registration in the tool.',
  },
  LTI_RESOURCE_LINK_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The resource link launch has no resource_link.id.',
    fix: 'The platform must send https://purl.imsglobal.org/spec/lti/claim/resource_link with an id.',
  },
  LTI_CONTEXT_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The launch has no context (course).',
    fix: 'Launch the tool from inside a course, or allow context-less launches in the tool (requireContext: false).',
  },
  LTI_DEEP_LINKING_SETTINGS_INVALID: {
    status: 400,
    specError: 'invalid_token',
    title: 'The deep linking request’s settings are missing or incomplete.',
    fix: 'The platform must send deep_linking_settings with deep_link_return_url, accept_types and accept_presentation_document_targets.',
  },
  LTI_FOR_USER_MISSING: {
    status: 400,
    specError: 'invalid_token',
    title: 'The submission review request has no for_user claim.',
    fix: 'The platform must send https://purl.imsglobal.org/spec/lti/claim/for_user with the reviewed user’s id.',
  },
  LTI_TARGET_LINK_URI_MISMATCH: {
    status: 400,
    specError: 'invalid_token',
    title: 'The id_token’s target_link_uri differs from the one in the login initiation.',
    fix: 'The platform must send the same target_link_uri in the login initiation and in the id_token.',
  },
  LTI_CLAIM_INVALID: {
    status: 400,
    specError: 'invalid_token',
    title: 'An LTI claim does not have the shape the specification defines.',
    fix: 'Correct the claim named in the message on the platform side.',
  },

  // ── Deep linking ─────────────────────────────────────────────────────────────────────────────────────────────
  LTI_CONTENT_ITEM_INVALID: {
    status: 400,
    title: 'A deep linking content item is invalid or not accepted by the platform.',
    fix: 'Return only the item types and targets the deep linking settings accept, with their required fields.',
  },
  LTI_DEEP_LINKING_RESPONSE_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The deep linking response is not a valid signed LtiDeepLinkingResponse.',
    fix: 'The tool must post a JWT signed with its registered key, addressed to the platform, echoing data.',
  },

  // ── Services, tool side: the platform said no ────────────────────────────────────────────────────────────────
  LTI_SERVICE_UNAVAILABLE: {
    status: 400,
    title: 'The launch does not offer this service or scope.',
    fix: 'Enable the service (grades, names and roles) for this tool in the LMS and grant the scope.',
  },
  LTI_ACCESS_TOKEN_REFUSED: {
    status: 502,
    title: 'The platform refused to issue an access token.',
    fix: 'Check the token URL, client id, tool JWKS and the scopes granted to this tool in the LMS.',
  },
  LTI_SERVICE_REFUSED: {
    status: 502,
    title: 'The platform refused the service call.',
    fix: 'Read the platform status and body in the message; check the scopes granted to the tool.',
  },
  LTI_SERVICE_RATE_LIMITED: {
    status: 503,
    title: 'The platform is throttling the tool.',
    fix: 'Retry later (the message says when); reduce the rate of grade or roster calls.',
  },
  LTI_SCORE_TIMESTAMP_STALE: {
    status: 409,
    title: 'The platform refused a score older than the one it stores.',
    fix: 'Send scores with increasing timestamps; an older score never replaces a newer one.',
  },
  LTI_SCORE_USER_NOT_GRADABLE: {
    status: 422,
    title: 'The platform does not accept a score for this user (not a student of the course).',
    fix: 'Send scores only for learners enrolled in the course.',
  },
  LTI_SERVICE_RESPONSE_INVALID: {
    status: 502,
    title: 'The platform answered with a body that does not match the service’s media type.',
    fix: 'Report it to the LMS vendor with the message; the response did not follow the LTI Advantage specification.',
  },

  // ── Platform side: refusing a tool ───────────────────────────────────────────────────────────────────────────
  LTI_TOOL_UNKNOWN: {
    status: 400,
    specError: 'unauthorized_client',
    title: 'The client id is not a tool registered on this platform.',
    fix: 'Register the tool on the platform (client id, redirect URIs, JWKS) before it connects.',
  },
  LTI_REDIRECT_URI_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The redirect_uri is not registered for this tool.',
    fix: 'Add the tool’s launch URL to its registered redirect URIs on the platform.',
  },
  LTI_AUTH_REQUEST_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The authentication request is not a valid LTI OIDC request.',
    fix: 'The tool must send scope=openid, response_type=id_token, response_mode=form_post, prompt=none, client_id, redirect_uri, login_hint, state and nonce.',
  },
  LTI_LOGIN_HINT_INVALID: {
    status: 400,
    specError: 'login_required',
    title: 'The login hint does not name a pending launch for this user.',
    fix: 'Start the launch again from the LMS; launch hints expire after a few minutes.',
  },
  LTI_GRANT_TYPE_UNSUPPORTED: {
    status: 400,
    specError: 'unsupported_grant_type',
    title: 'Only the client_credentials grant is supported.',
    fix: 'The tool must request tokens with grant_type=client_credentials.',
  },
  LTI_CLIENT_ASSERTION_INVALID: {
    status: 401,
    specError: 'invalid_client',
    title: 'The client assertion is missing, badly signed or expired.',
    fix: 'The tool must sign a JWT (iss = sub = client id, aud = token URL, exp, iat, jti) with its registered key.',
  },
  LTI_CLIENT_ASSERTION_REPLAYED: {
    status: 401,
    specError: 'invalid_client',
    title: 'The client assertion’s jti has already been used.',
    fix: 'The tool must use a fresh jti for every token request.',
  },
  LTI_SCOPE_INVALID: {
    status: 400,
    specError: 'invalid_scope',
    title: 'The requested scope is not granted to this tool.',
    fix: 'Request only the LTI Advantage scopes the platform granted to the tool.',
  },
  LTI_ACCESS_TOKEN_INVALID: {
    status: 401,
    specError: 'invalid_token',
    title: 'The access token is missing, invalid or expired.',
    fix: 'Obtain a fresh access token from the token endpoint and send it as a Bearer token.',
  },
  LTI_ACCESS_TOKEN_SCOPE_INSUFFICIENT: {
    status: 403,
    specError: 'insufficient_scope',
    title: 'The access token does not carry the scope this endpoint needs.',
    fix: 'Request the scope for this service when obtaining the access token.',
  },
  LTI_RESOURCE_NOT_FOUND: {
    status: 404,
    title: 'No such line item, result, context or membership.',
    fix: 'Check the URL; the tool may only reach its own line items and contexts.',
  },
  LTI_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    title: 'The request body has the wrong media type.',
    fix: 'Send the media type the service defines (application/vnd.ims.lis.v2.lineitem+json, ...score+json).',
  },
  LTI_REQUEST_BODY_INVALID: {
    status: 400,
    specError: 'invalid_request',
    title: 'The request body does not match the service’s schema.',
    fix: 'Correct the fields named in the message.',
  },
  LTI_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'This endpoint does not answer that HTTP method.',
    fix: 'Use the method the service defines for this endpoint.',
  },

  // ── Dynamic registration ─────────────────────────────────────────────────────────────────────────────────────
  LTI_REGISTRATION_REQUEST_INVALID: {
    status: 400,
    specError: 'invalid_client_metadata',
    title: 'The dynamic registration request is invalid.',
    fix: 'Correct the registration fields named in the message.',
  },
  LTI_REGISTRATION_TOKEN_INVALID: {
    status: 401,
    specError: 'invalid_token',
    title: 'The registration token is missing, invalid or expired.',
    fix: 'Start dynamic registration again from the platform; registration tokens are short-lived and single use.',
  },
  LTI_OPENID_CONFIGURATION_INVALID: {
    status: 502,
    title: 'The platform’s openid-configuration could not be fetched or is invalid.',
    fix: 'Check the openid_configuration URL the platform passed; its issuer must match the URL’s origin.',
  },
  LTI_REGISTRATION_REFUSED: {
    status: 502,
    title: 'The platform refused the tool’s registration.',
    fix: 'Read the platform’s answer in the message; check the registration token and the requested scopes.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type LtiErrorCode = keyof typeof ltiErrorCatalog;

export const ltiErrorCodes = Object.keys(ltiErrorCatalog) as LtiErrorCode[];

export interface LtiErrorOptions {
  /** For logs only. Never put key material or tokens here. */
  detail?: unknown;
  cause?: unknown;
  /** Override the catalog status (a platform-side mirror of a peer's status, for instance). */
  status?: number;
}

/**
 * The error of `@passport/lti13`. Its `code` comes from the closed `LtiErrorCode` union, its status and spec error
 * from the catalog; `fix` tells an LMS administrator what to change. The message names the specific value that
 * failed (claim, kid, deployment id) and is safe to show: it never carries tokens or keys.
 */
export class LtiError extends PassportError<LtiErrorCode> {
  readonly fix: string;
  readonly title: string;

  constructor(code: LtiErrorCode, message?: string, options: LtiErrorOptions = {}) {
    const entry: CatalogEntry = ltiErrorCatalog[code];
    const text = message ?? entry.title;
    super(code, text, {
      status: options.status ?? entry.status,
      ...(entry.specError === undefined ? {} : { specError: entry.specError }),
      description: text,
      detail: options.detail,
      cause: options.cause,
    });
    this.fix = entry.fix;
    this.title = entry.title;
  }

  /** True for an `LtiError` from any copy of this package (brand check plus a known code). */
  static isLtiError(value: unknown): value is LtiError {
    return PassportError.is(value) && Object.hasOwn(ltiErrorCatalog, value.code);
  }
}

/** The catalog entry of a code: status, spec error, title and fix. */
export function describeLtiError(code: LtiErrorCode): CatalogEntry {
  return ltiErrorCatalog[code];
}
