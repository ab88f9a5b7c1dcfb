import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { LtiError } from '../../errors.ts';
import type { RemoteKeySets } from '../../keys/remote-key-sets.ts';
import { isSupportedAlgorithm, publicKeyObject, verifySignature } from '../../keys/verify-signature.ts';
import type { PlatformRegistration } from '../../ports.ts';
import type { DecodedIdToken } from './decode-id-token.ts';

/** The key type each asymmetric JWS algorithm needs. HMAC and `none` are never accepted. */
const keyTypeOf: Readonly<Record<string, { kty: string; crv?: string }>> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

export const defaultIdTokenAlgorithms: readonly string[] = ['RS256'];

/** True when the JWK can verify `alg`: its own `alg` if it declares one, else its key type and curve. */
export function keyFitsAlgorithm(jwk: JWK, alg: string): boolean {
  if (jwk.alg !== undefined) return jwk.alg === alg;
  const needed = keyTypeOf[alg];
  if (needed === undefined || jwk.kty !== needed.kty) return false;
  return needed.crv === undefined || jwk.crv === needed.crv;
}

/**
 * Step 7. Verifies the signature with the platform's key named by `kid`. The algorithm is the registration's
 * (RS256 unless configured), never the header's: a header naming `none`, an HMAC or an unlisted algorithm is
 * refused before any key is touched, and the key must fit the algorithm.
 */
export async function verifyIdToken(input: {
  decoded: DecodedIdToken;
  registration: PlatformRegistration;
  keySets: RemoteKeySets;
}): Promise<void> {
  const { decoded, registration, keySets } = input;
  const allowed = registration.algorithms ?? defaultIdTokenAlgorithms;
  const headerAlg = decoded.header.alg;
  if (
    typeof headerAlg !== 'string' ||
    headerAlg === 'none' ||
    headerAlg.startsWith('HS') ||
    !allowed.includes(headerAlg) ||
    !isSupportedAlgorithm(headerAlg)
  ) {
    throw new LtiError(
      'LTI_ALG_NOT_ALLOWED',
      `The id_token algorithm ${typeof headerAlg === 'string' ? headerAlg : '(none)'} is not allowed; allowed: ${allowed.join(', ')}.`,
    );
  }
  const algorithm = allowed.find((candidate) => candidate === headerAlg) as string;
  const kid = decoded.header.kid;
  if (typeof kid !== 'string' || kid === '') throw new LtiError('LTI_KID_MISSING');
  const jwk = await keySets.getKey(registration.jwksUri, kid);
  if (jwk === undefined) {
    throw new LtiError(
      'LTI_KID_UNKNOWN',
      `The key ${kid} is not in the platform key set ${registration.jwksUri}.`,
    );
  }
  if (!keyFitsAlgorithm(jwk, algorithm)) {
    throw new LtiError(
      'LTI_ALG_KEY_MISMATCH',
      `The key ${kid} (${jwk.kty}${jwk.alg ? `, ${jwk.alg}` : ''}) cannot verify ${algorithm}.`,
    );
  }
  let key: KeyObject;
  try {
    key = publicKeyObject(jwk);
  } catch {
    throw new LtiError('LTI_ALG_KEY_MISMATCH', `The key ${kid} cannot be used with ${algorithm}.`);
  }
  // No JWS extension is understood, so a token that marks one critical is refused (RFC 7515 §4.1.11).
  if (decoded.header.crit !== undefined)
    throw new LtiError('LTI_SIGNATURE_INVALID', 'The id_token header lists critical extensions.');
  const lastDot = decoded.token.lastIndexOf('.');
  const signature = Buffer.from(decoded.token.slice(lastDot + 1), 'base64url');
  if (!verifySignature(algorithm, key, decoded.token.slice(0, lastDot), signature)) {
    throw new LtiError('LTI_SIGNATURE_INVALID', `The id_token signature does not verify with key ${kid}.`);
  }
}
