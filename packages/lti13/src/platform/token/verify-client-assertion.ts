import { LtiError } from '../../errors.ts';
import { verifyPeerJwt } from '../../keys/verify-peer-jwt.ts';
import type { ToolRegistration } from '../../ports.ts';
import type { PlatformContext } from '../platform-context.ts';

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Verifies an RFC 7523 client assertion: signed by a registered tool's key, `iss` = `sub` = its client id, `aud`
 * naming the token endpoint (or the platform's declared token audience), `exp` and `iat` present and current, and a
 * `jti` never seen before.
 */
export async function verifyClientAssertion(
  context: PlatformContext,
  input: { assertion: string; tokenEndpoint: string; acceptedAudiences: readonly string[] },
): Promise<ToolRegistration> {
  const unverified = (() => {
    try {
      const [, payload = ''] = input.assertion.split('.');
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The client assertion is not a JWT.');
    }
  })();
  const clientId = unverified.sub;
  const tool = typeof clientId === 'string' ? await context.tools.getTool(clientId) : undefined;
  if (tool === undefined)
    throw new LtiError(
      'LTI_CLIENT_ASSERTION_INVALID',
      `The client assertion names no registered tool (sub ${String(clientId)}).`,
    );
  const keys =
    tool.jwksUri !== undefined
      ? { jwksUri: tool.jwksUri }
      : tool.jwks !== undefined
        ? { jwks: tool.jwks }
        : undefined;
  if (keys === undefined)
    throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', `Tool ${tool.clientId} has no registered keys.`);
  const payload = await verifyPeerJwt({
    token: input.assertion,
    keys,
    keySets: context.keySets,
    code: 'LTI_CLIENT_ASSERTION_INVALID',
  });
  if (payload.iss !== tool.clientId || payload.sub !== tool.clientId) {
    throw new LtiError(
      'LTI_CLIENT_ASSERTION_INVALID',
      'The client assertion iss and sub must both be the client id.',
    );
  }
  const audience =
    typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!audience.some((aud) => input.acceptedAudiences.includes(aud as string))) {
    throw new LtiError(
      'LTI_CLIENT_ASSERTION_INVALID',
      `The client assertion aud must be ${input.acceptedAudiences.join(' or ')}.`,
    );
  }
  const now = context.clock.now().getTime() / 1000;
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The client assertion must carry exp and iat.');
  }
  if (payload.exp <= now - 5)
    throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The client assertion has expired.');
  if (payload.iat > now + 60 || payload.iat < now - 3600) {
    throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The client assertion iat is not current.');
  }
  if (typeof payload.jti !== 'string' || payload.jti === '')
    throw new LtiError('LTI_CLIENT_ASSERTION_INVALID', 'The client assertion has no jti.');
  const fresh = await context.replayGuard.use(
    `client-assertion:${tool.clientId}:${payload.jti}`,
    new Date(payload.exp * 1000 + 60_000),
  );
  if (!fresh) throw new LtiError('LTI_CLIENT_ASSERTION_REPLAYED');
  return tool;
}
