import { SignJWT } from 'jose';
import { LtiError } from '../../errors.ts';
import { autoPostForm, htmlHeaders } from '../../http/html.ts';
import { parameter, readParameters } from '../../http/parameters.ts';
import { refuse } from '../../http/report-error.ts';
import { errorResponse } from '../../http/respond.ts';
import type { PlatformContext } from '../platform-context.ts';

function formPost(redirectUri: string, fields: Record<string, string>): Response {
  return new Response(autoPostForm(redirectUri, fields, 'Continue'), { headers: htmlHeaders });
}

/**
 * The platform's OIDC authorization endpoint (LTI 1.3 core §4.1.1 / §5.1.1). An unknown client or an unregistered
 * redirect URI is answered here (never redirect to an unverified URI); every other refusal goes back to the tool
 * as `error` in the form post, with the state, as OIDC requires.
 */
export async function handleAuthorize(context: PlatformContext, request: Request): Promise<Response> {
  try {
    const parameters = await readParameters(request);
    const clientId = parameter(parameters, 'client_id');
    const tool = clientId === undefined ? undefined : await context.tools.getTool(clientId);
    if (tool === undefined)
      throw new LtiError('LTI_TOOL_UNKNOWN', `No tool is registered with client id ${clientId ?? '(none)'}.`);
    const redirectUri = parameter(parameters, 'redirect_uri');
    if (redirectUri === undefined || !tool.redirectUris.includes(redirectUri)) {
      throw new LtiError(
        'LTI_REDIRECT_URI_INVALID',
        `The redirect_uri ${redirectUri ?? '(none)'} is not registered for tool ${tool.clientId}.`,
      );
    }
    const state = parameter(parameters, 'state');
    // Refusals the tool can be told of go back to it in the form post (and to the host's hook).
    const refuseToTool = (error: LtiError) =>
      refuse(
        error,
        request,
        () =>
          formPost(redirectUri, {
            error: error.specError ?? 'invalid_request',
            error_description: error.message,
            ...(state === undefined ? {} : { state }),
          }),
        context.onError,
        'authorize',
      );
    const problems: string[] = [];
    if (parameters.get('scope') !== 'openid') problems.push('scope=openid');
    if (parameters.get('response_type') !== 'id_token') problems.push('response_type=id_token');
    if (parameters.get('response_mode') !== 'form_post') problems.push('response_mode=form_post');
    if (parameters.get('prompt') !== 'none') problems.push('prompt=none');
    const nonce = parameter(parameters, 'nonce');
    if (nonce === undefined) problems.push('nonce');
    const loginHint = parameter(parameters, 'login_hint');
    if (loginHint === undefined) problems.push('login_hint');
    if (problems.length > 0) {
      return refuseToTool(
        new LtiError('LTI_AUTH_REQUEST_INVALID', `The authentication request lacks ${problems.join(', ')}.`),
      );
    }
    const hint = parameter(parameters, 'lti_message_hint');
    const launch = hint === undefined ? undefined : await context.pendingLaunches.take(hint);
    const now = context.clock.now();
    if (
      launch === undefined ||
      launch.clientId !== tool.clientId ||
      launch.userId !== loginHint ||
      launch.expiresAt.getTime() < now.getTime()
    ) {
      return refuseToTool(new LtiError('LTI_LOGIN_HINT_INVALID'));
    }
    if (tool.status !== 'active')
      return refuseToTool(
        new LtiError('LTI_REGISTRATION_PENDING', `Tool ${tool.clientId} is pending activation.`),
      );
    const signingKey = await context.keyRing.signingKey();
    const issuedAt = Math.floor(now.getTime() / 1000);
    const idToken = await new SignJWT({ ...launch.claims, nonce: nonce as string })
      .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
      .setIssuer(context.issuer)
      .setAudience(tool.clientId)
      .setSubject(launch.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + context.idTokenTtlSeconds)
      .sign(signingKey.cryptoKey);
    return formPost(redirectUri, { id_token: idToken, ...(state === undefined ? {} : { state }) });
  } catch (error) {
    return refuse(error, request, errorResponse, context.onError, 'authorize');
  }
}
