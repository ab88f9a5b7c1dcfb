import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { SsoError } from '../../errors.ts';

export function jwksRequest(jwksUri: string): Request {
  return new Request(jwksUri, { headers: { accept: 'application/json' } });
}

export async function processJwksResponse(response: Response): Promise<JSONWebKeySet> {
  if (!response.ok)
    throw new SsoError('SSO_UPSTREAM_UNREACHABLE', `The key set answered ${response.status}.`);
  const keys = (await response.json()) as JSONWebKeySet;
  if (!Array.isArray(keys.keys)) throw new SsoError('SSO_UPSTREAM_TOKEN_INVALID', 'The key set has no keys.');
  return keys;
}

/**
 * Verifies an upstream ID token: signature with the upstream's published keys (RS256/PS256/ES256 only), issuer,
 * audience (our client id), expiry with 60 s tolerance, and the nonce of this sign-in.
 */
export async function verifyIdToken(
  idToken: string,
  keys: JSONWebKeySet,
  expected: { issuer: string; clientId: string; nonce: string; now: Date },
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, createLocalJWKSet(keys), {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ['RS256', 'PS256', 'ES256'],
      clockTolerance: 60,
      currentDate: expected.now,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (cause) {
    throw new SsoError('SSO_UPSTREAM_TOKEN_INVALID', undefined, { cause });
  }
  if (payload.nonce !== expected.nonce) {
    throw new SsoError('SSO_UPSTREAM_TOKEN_INVALID', 'The ID token’s nonce is not this sign-in’s.');
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
    throw new SsoError(
      'SSO_UPSTREAM_TOKEN_INVALID',
      'The ID token is for several audiences and not authorized for us.',
    );
  }
  return payload;
}
