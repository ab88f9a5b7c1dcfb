import { type CryptoKey, compactVerify, importJWK, type JWK } from 'jose';
import { LtiError, type LtiErrorCode } from '../errors.ts';
import { decodeIdToken } from '../tool/launch/decode-id-token.ts';
import { keyFitsAlgorithm } from '../tool/launch/verify-id-token.ts';
import type { RemoteKeySets } from './remote-key-sets.ts';

/** Where a peer's public keys come from: its JWKS URL, or keys given at registration. */
export type PeerKeys = { readonly jwksUri: string } | { readonly jwks: { readonly keys: readonly JWK[] } };

/**
 * Verifies a JWT a peer signed (a tool's client assertion or deep linking response; the platform's access token):
 * RS256 (or the listed algorithms) only, the key found by kid, the algorithm fitting the key. Returns the payload;
 * every failure is `code`, with a message naming the reason.
 */
export async function verifyPeerJwt(input: {
  token: string;
  keys: PeerKeys;
  keySets: RemoteKeySets;
  code: LtiErrorCode;
  algorithms?: readonly string[];
}): Promise<Record<string, unknown>> {
  const { token, code } = input;
  const algorithms = input.algorithms ?? ['RS256'];
  let decoded: ReturnType<typeof decodeIdToken>;
  try {
    decoded = decodeIdToken(token);
  } catch {
    throw new LtiError(code, 'The JWT is malformed.');
  }
  const alg = decoded.header.alg;
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new LtiError(code, `The JWT algorithm ${String(alg)} is not allowed.`);
  }
  const kid = decoded.header.kid;
  let jwk: JWK | undefined;
  if ('jwksUri' in input.keys) {
    if (typeof kid !== 'string') throw new LtiError(code, 'The JWT header has no kid.');
    jwk = await input.keySets.getKey(input.keys.jwksUri, kid);
  } else {
    const keys = input.keys.jwks.keys;
    jwk =
      typeof kid === 'string' ? keys.find((key) => key.kid === kid) : keys.length === 1 ? keys[0] : undefined;
  }
  if (jwk === undefined)
    throw new LtiError(code, `The JWT key ${String(kid)} is not in the signer's key set.`);
  if (!keyFitsAlgorithm(jwk, alg)) throw new LtiError(code, `The key ${String(kid)} cannot verify ${alg}.`);
  let key: CryptoKey;
  try {
    key = (await importJWK(jwk, alg)) as CryptoKey;
  } catch {
    throw new LtiError(code, `The key ${String(kid)} could not be imported.`);
  }
  try {
    await compactVerify(token, key, { algorithms: [alg] });
  } catch {
    throw new LtiError(code, 'The JWT signature does not verify.');
  }
  return { ...decoded.payload };
}
