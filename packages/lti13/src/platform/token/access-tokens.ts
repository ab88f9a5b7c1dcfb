import { type CryptoKey, compactVerify, importJWK, SignJWT } from 'jose';
import { LtiError } from '../../errors.ts';
import type { PlatformContext } from '../platform-context.ts';

export interface AccessTokenClaims {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

/** Issues a platform access token: a JWT the platform signs itself and verifies locally, no storage needed. */
export async function issueAccessToken(
  context: PlatformContext,
  claims: AccessTokenClaims,
): Promise<{ token: string; expiresIn: number }> {
  const signingKey = await context.keyRing.signingKey();
  const now = Math.floor(context.clock.now().getTime() / 1000);
  const token = await new SignJWT({ scope: claims.scopes.join(' '), client_id: claims.clientId })
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'at+jwt' })
    .setIssuer(context.issuer)
    .setAudience(context.issuer)
    .setSubject(claims.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + context.accessTokenTtlSeconds)
    .setJti(context.generateId())
    .sign(signingKey.cryptoKey);
  return { token, expiresIn: context.accessTokenTtlSeconds };
}

const verificationKeys = new Map<string, CryptoKey>();

/** Verifies a Bearer token of a service request and checks it carries one of `anyOfScopes`. */
export async function authorizeServiceRequest(
  context: PlatformContext,
  request: Request,
  anyOfScopes: readonly string[],
): Promise<AccessTokenClaims> {
  const authorization = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (match === null)
    throw new LtiError('LTI_ACCESS_TOKEN_INVALID', 'The request has no Bearer access token.');
  const token = match[1] as string;
  let payload: Record<string, unknown>;
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: string;
      alg?: string;
    };
    const cacheKey = `${header.kid}:${header.alg}`;
    let key = verificationKeys.get(cacheKey);
    if (key === undefined) {
      const jwk = (await context.keyRing.jwks()).keys.find((candidate) => candidate.kid === header.kid);
      if (jwk === undefined || header.alg !== jwk.alg) throw new Error('unknown key');
      key = (await importJWK(jwk, jwk.alg)) as CryptoKey;
      verificationKeys.set(cacheKey, key);
    }
    const verified = await compactVerify(token, key, { algorithms: [header.alg as string] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    throw new LtiError('LTI_ACCESS_TOKEN_INVALID', 'The access token does not verify.');
  }
  const now = context.clock.now().getTime() / 1000;
  if (payload.iss !== context.issuer || typeof payload.exp !== 'number' || payload.exp <= now) {
    throw new LtiError('LTI_ACCESS_TOKEN_INVALID', 'The access token has expired or was not issued here.');
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  if (!anyOfScopes.some((scope) => scopes.includes(scope))) {
    throw new LtiError(
      'LTI_ACCESS_TOKEN_SCOPE_INSUFFICIENT',
      `This endpoint needs one of the scopes ${anyOfScopes.join(', ')}.`,
    );
  }
  return { clientId: String(payload.sub), scopes };
}
