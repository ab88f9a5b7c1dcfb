import type { PlatformRegistration } from '../../ports.ts';
import type { LoginRequest } from './read-login-request.ts';

/** The OIDC authentication request to the platform (LTI 1.3 core §4.1.1): an implicit-flow id_token, form post. */
export function buildAuthRequestUrl(input: {
  registration: PlatformRegistration;
  login: LoginRequest;
  redirectUri: string;
  state: string;
  nonce: string;
}): URL {
  const url = new URL(input.registration.authorizationEndpoint);
  const parameters: Array<[string, string]> = [
    ['scope', 'openid'],
    ['response_type', 'id_token'],
    ['response_mode', 'form_post'],
    ['prompt', 'none'],
    ['client_id', input.registration.clientId],
    ['redirect_uri', input.redirectUri],
    ['login_hint', input.login.loginHint],
    ['state', input.state],
    ['nonce', input.nonce],
  ];
  if (input.login.messageHint !== undefined) parameters.push(['lti_message_hint', input.login.messageHint]);
  for (const [name, value] of parameters) url.searchParams.set(name, value);
  return url;
}
