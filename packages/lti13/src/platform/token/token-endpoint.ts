import { LtiError } from '../../errors.ts';
import { parameter, readParameters } from '../../http/parameters.ts';
import { asLtiError, refuse } from '../../http/report-error.ts';
import { errorBody, jsonResponse } from '../../http/respond.ts';
import { type PlatformContext, platformUrl } from '../platform-context.ts';
import { issueAccessToken } from './access-tokens.ts';
import { jwtBearerAssertionType, verifyClientAssertion } from './verify-client-assertion.ts';

/** OAuth errors are JSON with `error` and `error_description` (RFC 6749 §5.2), plus our code and fix. */
export function oauthErrorResponse(error: unknown): Response {
  const ltiError = asLtiError(error);
  const headers: Record<string, string> = {};
  if (ltiError.status === 401)
    headers['www-authenticate'] = `Bearer error="${ltiError.specError ?? 'invalid_token'}"`;
  return jsonResponse(errorBody(ltiError), { status: ltiError.status, headers });
}

/**
 * The token endpoint: the client credentials grant with a JWT client assertion (RFC 7523, LTI Security Framework
 * §4.1). The granted scopes are those requested that the tool was granted at registration.
 */
export async function handleToken(
  context: PlatformContext,
  request: Request,
  acceptedAudiences: readonly string[] = [],
): Promise<Response> {
  try {
    if (request.method !== 'POST')
      throw new LtiError('LTI_METHOD_NOT_ALLOWED', 'The token endpoint answers POST only.');
    const parameters = await readParameters(request);
    if (parameters.get('grant_type') !== 'client_credentials') {
      throw new LtiError(
        'LTI_GRANT_TYPE_UNSUPPORTED',
        `The grant type ${parameters.get('grant_type') ?? '(none)'} is not supported.`,
      );
    }
    if (parameters.get('client_assertion_type') !== jwtBearerAssertionType) {
      throw new LtiError(
        'LTI_CLIENT_ASSERTION_INVALID',
        `client_assertion_type must be ${jwtBearerAssertionType}.`,
      );
    }
    const assertion = parameter(parameters, 'client_assertion');
    if (assertion === undefined)
      throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The request has no client_assertion.');
    const tokenEndpoint = platformUrl(context, context.paths.token);
    const tool = await verifyClientAssertion(context, {
      assertion,
      tokenEndpoint,
      acceptedAudiences: [tokenEndpoint, ...acceptedAudiences],
    });
    const requested = (parameter(parameters, 'scope') ?? '').split(' ').filter((scope) => scope !== '');
    if (requested.length === 0) throw new LtiError('LTI_SCOPE_INVALID', 'The request names no scope.');
    const refused = requested.filter((scope) => !tool.scopes.includes(scope));
    if (refused.length > 0)
      throw new LtiError('LTI_SCOPE_INVALID', `Tool ${tool.clientId} is not granted ${refused.join(', ')}.`);
    const { token, expiresIn } = await issueAccessToken(context, {
      clientId: tool.clientId,
      scopes: requested,
    });
    return jsonResponse({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: requested.join(' '),
    });
  } catch (error) {
    return refuse(error, request, oauthErrorResponse, context.onError, 'token');
  }
}
