import { CourseraError } from '../../errors/coursera-error.ts';

export const COURSERA_SCOPE = 'access_business_api';

export interface AuthorizationSettings {
  /** `https://accounts.coursera.org` in production. */
  accountsUrl: string;
  clientId: string;
  redirectUri: string;
}

/**
 * The one-time admin consent: `{accountsUrl}/oauth2/v1/auth?response_type=code&...&access_type=offline`, so the
 * answer includes a refresh token.
 */
export function buildAuthorizationUrl(settings: AuthorizationSettings, state: string): URL {
  const url = new URL('/oauth2/v1/auth', settings.accountsUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('scope', COURSERA_SCOPE);
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('state', state);
  return url;
}

/** Reads the redirect back from consent: the code, or why there is none. */
export function readAuthorizationCallback(callbackUrl: URL | string, expectedState: string): string {
  const query = new URL(callbackUrl).searchParams;
  if (query.get('state') !== expectedState) {
    throw new CourseraError('COURSERA_AUTHORIZATION_FAILED', 'The consent callback state does not match', {
      specError: 'invalid_request',
      description: 'The Coursera connection could not be confirmed. Start the connection again.',
    });
  }
  const error = query.get('error');
  if (error !== null) {
    throw new CourseraError('COURSERA_AUTHORIZATION_FAILED', `Coursera consent was not given (${error})`, {
      specError: error,
      description:
        error === 'access_denied'
          ? 'The Coursera administrator declined access. Passport needs consent (scope access_business_api) to sync.'
          : `Coursera did not grant access (${error}).`,
      detail: { errorDescription: query.get('error_description') },
    });
  }
  const code = query.get('code');
  if (code === null || code === '') {
    throw new CourseraError('COURSERA_AUTHORIZATION_FAILED', 'The consent callback has no code', {
      specError: 'invalid_request',
    });
  }
  return code;
}
