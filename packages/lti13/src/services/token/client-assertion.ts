import { SignJWT } from 'jose';
import type { SigningKey } from '../../keys/key-ring.ts';
import type { PlatformRegistration } from '../../ports.ts';

/**
 * The RFC 7523 client assertion a tool signs to obtain an access token: `iss` = `sub` = client id, `aud` the token
 * endpoint (or the platform's declared token audience: D2L Brightspace), `iat` and `exp` (Blackboard requires both),
 * and a fresh `jti`.
 */
export async function createClientAssertion(input: {
  registration: PlatformRegistration;
  signingKey: SigningKey;
  now: Date;
  jti: string;
  lifetimeSeconds?: number;
}): Promise<string> {
  const { registration, signingKey } = input;
  const issuedAt = Math.floor(input.now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
    .setIssuer(registration.clientId)
    .setSubject(registration.clientId)
    .setAudience(registration.tokenAudience ?? registration.tokenEndpoint)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (input.lifetimeSeconds ?? 300))
    .setJti(input.jti)
    .sign(signingKey.cryptoKey);
}
