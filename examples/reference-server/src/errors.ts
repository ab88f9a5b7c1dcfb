import { PassportError, type PassportErrorOptions } from '@passport/core';

/** Every error code the reference server itself raises. */
export type ServerErrorCode =
  | 'SERVER_CONFIG_INVALID'
  | 'SERVER_DATABASE_OPTIONS_INVALID'
  | 'SERVER_LISTEN_FAILED'
  | 'SERVER_DATABASE_UNAVAILABLE'
  | 'SERVER_DATA_DIR_LOCKED'
  | 'SERVER_MIGRATION_FAILED'
  | 'SERVER_TENANT_INVALID'
  | 'SERVER_TENANT_EXISTS'
  | 'SERVER_TENANT_NOT_FOUND'
  | 'SERVER_ROUTE_NOT_FOUND'
  | 'SERVER_METHOD_NOT_ALLOWED'
  | 'SERVER_BAD_REQUEST'
  | 'SERVER_UNAUTHORIZED'
  | 'SERVER_FORBIDDEN'
  | 'SERVER_CSRF_INVALID'
  | 'SERVER_ACCOUNT_INVALID'
  | 'SERVER_ACCOUNT_EXISTS'
  | 'SERVER_PARTNER_INVALID'
  | 'SERVER_PARTNER_NOT_FOUND'
  | 'SERVER_ACCESS_INVALID'
  | 'SERVER_LAUNCH_INVALID'
  | 'SERVER_ROSTER_SOURCE_INVALID'
  | 'SERVER_ROSTER_SOURCE_NOT_FOUND'
  | 'SERVER_OUTBOUND_REFUSED'
  | 'SERVER_SIGN_IN_METHOD_INVALID'
  | 'SERVER_SIGN_IN_METHOD_REQUIRED'
  | 'SERVER_INTERNAL_ERROR';

/** An error of the reference server: configuration, storage, tenants and HTTP routing. */
export class ServerError extends PassportError<ServerErrorCode> {
  constructor(code: ServerErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, options);
  }
}
