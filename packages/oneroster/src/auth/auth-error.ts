/**
 * Why a request was not let in. The OneRoster API answers these as status info payloads (`unauthorisedrequest`,
 * `forbidden`); the token endpoint answers them as OAuth 2.0 errors (`invalid_client`, ...).
 */
import { PassportError, type PassportErrorOptions } from '@passport/core';

export const authErrorCodes = {
  ONEROSTER_AUTH_MISSING: 'The request carries no credentials (no bearer token, no OAuth 1.0a signature).',
  ONEROSTER_AUTH_TOKEN_INVALID: 'The bearer token is unknown or revoked.',
  ONEROSTER_AUTH_TOKEN_EXPIRED: 'The bearer token has expired.',
  ONEROSTER_AUTH_CLIENT_INVALID: 'The client id or secret is wrong, or the credential is revoked.',
  ONEROSTER_AUTH_SIGNATURE_INVALID: 'The OAuth 1.0a signature does not match the request.',
  ONEROSTER_AUTH_SIGNATURE_MALFORMED: 'The OAuth 1.0a parameters are missing, repeated or unsupported.',
  ONEROSTER_AUTH_TIMESTAMP_OUT_OF_WINDOW: 'The OAuth 1.0a timestamp is too far from the server clock.',
  ONEROSTER_AUTH_NONCE_REPLAYED: 'The OAuth 1.0a nonce was already used.',
  ONEROSTER_AUTH_SCOPE_INSUFFICIENT: 'The credential was not granted a scope this request needs.',
  ONEROSTER_AUTH_INVALID_REQUEST: 'The token request is malformed.',
  ONEROSTER_AUTH_UNSUPPORTED_GRANT_TYPE: 'The token endpoint only grants client_credentials.',
  ONEROSTER_AUTH_INVALID_SCOPE: 'A requested scope is unknown or was not granted to the client.',
  ONEROSTER_AUTH_INVALID_OPTIONS: 'An option passed to an auth function is not valid.',
} as const;

export type AuthErrorCode = keyof typeof authErrorCodes;

/** HTTP status and OneRoster code minor (or OAuth 2.0 error, for the token endpoint) of each code. */
const wireOf: Record<AuthErrorCode, { status: number; specError: string }> = {
  ONEROSTER_AUTH_MISSING: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TOKEN_INVALID: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TOKEN_EXPIRED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_CLIENT_INVALID: { status: 401, specError: 'invalid_client' },
  ONEROSTER_AUTH_SIGNATURE_INVALID: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_SIGNATURE_MALFORMED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_TIMESTAMP_OUT_OF_WINDOW: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_NONCE_REPLAYED: { status: 401, specError: 'unauthorisedrequest' },
  ONEROSTER_AUTH_SCOPE_INSUFFICIENT: { status: 403, specError: 'forbidden' },
  ONEROSTER_AUTH_INVALID_REQUEST: { status: 400, specError: 'invalid_request' },
  ONEROSTER_AUTH_UNSUPPORTED_GRANT_TYPE: { status: 400, specError: 'unsupported_grant_type' },
  ONEROSTER_AUTH_INVALID_SCOPE: { status: 400, specError: 'invalid_scope' },
  ONEROSTER_AUTH_INVALID_OPTIONS: { status: 500, specError: 'internal_server_error' },
};

export class AuthError extends PassportError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { ...wireOf[code], ...options });
  }
}
