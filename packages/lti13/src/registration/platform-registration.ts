import { SignJWT } from 'jose';
import { allScopes } from '../claims/uris.ts';
import { LtiError } from '../errors.ts';
import { refuse } from '../http/report-error.ts';
import { jsonResponse } from '../http/respond.ts';
import { verifyPeerJwt } from '../keys/verify-peer-jwt.ts';
import type { PlatformContext } from '../platform/platform-context.ts';
import { platformUrl } from '../platform/platform-context.ts';
import { oauthErrorResponse } from '../platform/token/token-endpoint.ts';
import type { ToolRegistration } from '../ports.ts';
import { clientRegistrationSchema, platformConfigurationKey, toolConfigurationKey } from './schemas.ts';

/** The platform's OpenID configuration, with the LTI platform configuration (Dynamic Registration §3.4). */
export function openidConfiguration(context: PlatformContext, productFamilyCode = 'passport') {
  return {
    issuer: context.issuer,
    authorization_endpoint: platformUrl(context, context.paths.authorize),
    token_endpoint: platformUrl(context, context.paths.token),
    jwks_uri: platformUrl(context, context.paths.jwks),
    registration_endpoint: platformUrl(context, context.paths.register),
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', ...allScopes],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    claims_supported: ['iss', 'sub', 'aud', 'name', 'given_name', 'family_name', 'email'],
    [platformConfigurationKey]: {
      product_family_code: productFamilyCode,
      version: '1',
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
    },
  };
}

/** A short-lived, single-use registration token, signed by the platform (passed to the tool as `registration_token`). */
export async function createRegistrationToken(
  context: PlatformContext,
  lifetimeSeconds = 3600,
): Promise<string> {
  const signingKey = await context.keyRing.signingKey();
  const now = Math.floor(context.clock.now().getTime() / 1000);
  return new SignJWT({ purpose: 'lti-dynamic-registration' })
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid })
    .setIssuer(context.issuer)
    .setAudience(platformUrl(context, context.paths.register))
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(context.generateId())
    .sign(signingKey.cryptoKey);
}

async function checkRegistrationToken(context: PlatformContext, request: Request): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (match === null)
    throw new LtiError(
      'LTI_REGISTRATION_TOKEN_INVALID',
      'The registration request carries no registration token.',
    );
  const payload = await verifyPeerJwt({
    token: match[1] as string,
    keys: { jwks: await context.keyRing.jwks() },
    keySets: context.keySets,
    code: 'LTI_REGISTRATION_TOKEN_INVALID',
  });
  const now = context.clock.now().getTime() / 1000;
  if (
    payload.iss !== context.issuer ||
    payload.purpose !== 'lti-dynamic-registration' ||
    typeof payload.exp !== 'number' ||
    payload.exp <= now
  ) {
    throw new LtiError(
      'LTI_REGISTRATION_TOKEN_INVALID',
      'The registration token has expired or was not issued for registration.',
    );
  }
  if (
    typeof payload.jti !== 'string' ||
    !(await context.replayGuard.use(`registration-token:${payload.jti}`, new Date(payload.exp * 1000)))
  ) {
    throw new LtiError('LTI_REGISTRATION_TOKEN_INVALID', 'The registration token has already been used.');
  }
}

/**
 * The platform's registration endpoint: checks the registration token, validates the client registration, creates
 * the tool with a new client id and deployment, grants the requested scopes it supports, and answers with the
 * registration (`client_id`, and `deployment_id` in the tool configuration). Moodle keeps such tools pending until
 * an administrator activates them: `status: 'pending'` reproduces that.
 */
export async function handleRegistration(
  context: PlatformContext,
  request: Request,
  status: 'active' | 'pending',
): Promise<Response> {
  try {
    if (request.method !== 'POST') throw new LtiError('LTI_METHOD_NOT_ALLOWED', 'Registrations are POSTed.');
    await checkRegistrationToken(context, request);
    const body = await request.json().catch(() => undefined);
    const parsed = clientRegistrationSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LtiError(
        'LTI_REGISTRATION_REQUEST_INVALID',
        `The registration is invalid at ${issue?.path.map(String).join('.') || '(body)'}: ${issue?.message ?? 'invalid'}.`,
      );
    }
    const registration = parsed.data;
    const toolConfiguration = registration[toolConfigurationKey];
    const requested = registration.scope.split(' ').filter((scope) => scope !== '');
    const granted = requested.filter((scope) => (allScopes as readonly string[]).includes(scope));
    const deepLinking = toolConfiguration.messages.find(
      (message) => message.type === 'LtiDeepLinkingRequest',
    );
    const tool: ToolRegistration = {
      clientId: context.generateId(),
      name: registration.client_name,
      loginUrl: registration.initiate_login_uri,
      redirectUris: registration.redirect_uris,
      targetLinkUri: toolConfiguration.target_link_uri,
      ...(deepLinking?.target_link_uri === undefined ? {} : { deepLinkingUrl: deepLinking.target_link_uri }),
      jwksUri: registration.jwks_uri,
      scopes: granted,
      deploymentIds: [context.generateId()],
      status,
      ...(toolConfiguration.custom_parameters === undefined
        ? {}
        : { custom: toolConfiguration.custom_parameters }),
    };
    await context.tools.saveTool(tool);
    return jsonResponse({
      ...registration,
      client_id: tool.clientId,
      scope: granted.join(' '),
      [toolConfigurationKey]: { ...toolConfiguration, deployment_id: tool.deploymentIds[0] },
    });
  } catch (error) {
    return refuse(error, request, oauthErrorResponse, context.onError, 'register');
  }
}
