/** Who a request comes from, once authenticated: one credential, on one tenant, with its scopes. */
import type { OneRosterScope } from './scopes.ts';

export interface Principal {
  /** The district whose rows this credential may read; the store is always queried with it. */
  tenantId: string;
  clientId: string;
  scopes: ReadonlySet<OneRosterScope>;
  /** How the request proved it: a bearer token (OAuth 2.0) or a signature (OAuth 1.0a). */
  method: 'oauth2' | 'oauth1';
}

/** Authenticates an API request. Throws `AuthError` (401 codes) when it cannot. */
export interface Authenticator {
  authenticate(request: Request): Promise<Principal>;
}
