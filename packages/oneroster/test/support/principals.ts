/** An authenticator for handler tests that do not exercise OAuth: `Authorization: Bearer <name>` picks a principal. */
import { AuthError } from '../../src/auth/auth-error.ts';
import type { Authenticator, Principal } from '../../src/auth/principal.ts';
import { type OneRosterScope, oneRosterScopes } from '../../src/auth/scopes.ts';

export function principal(tenantId: string, scopes: readonly OneRosterScope[] = oneRosterScopes): Principal {
  return { tenantId, clientId: `client-${tenantId}`, scopes: new Set(scopes), method: 'oauth2' };
}

export function staticAuthenticator(principals: Record<string, Principal>): Authenticator {
  return {
    async authenticate(request) {
      const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      const found = token === undefined ? undefined : principals[token];
      if (found === undefined) throw new AuthError('ONEROSTER_AUTH_TOKEN_INVALID', 'Unknown test token.');
      return found;
    },
  };
}
