import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import type { JWK } from 'jose';

/**
 * JWS signature verification with Node's one-shot `crypto.verify` over a cached `KeyObject`: the hot path of every
 * launch. The token is decoded once by the pipeline, so the signing input and signature are verified as they are,
 * without parsing the token a second time. The algorithm is the caller's (the registration's), never the header's.
 */
interface Verifier {
  readonly hash: string | null;
  readonly options?: { padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' };
}

const verifiers: Readonly<Record<string, Verifier>> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  PS384: { hash: 'sha384', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 } },
  PS512: { hash: 'sha512', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 } },
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  ES512: { hash: 'sha512', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: null },
  Ed25519: { hash: null },
};

const keyObjects = new WeakMap<JWK, KeyObject>();

/** The public `KeyObject` of a JWK, cached per JWK object. Throws for a key that is not a usable public key. */
export function publicKeyObject(jwk: JWK): KeyObject {
  let key = keyObjects.get(jwk);
  if (key === undefined) {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048) throw new TypeError(`RSA keys must be at least 2048 bits; this one has ${bits}`);
    }
    keyObjects.set(jwk, key);
  }
  return key;
}

export function isSupportedAlgorithm(alg: string): boolean {
  return Object.hasOwn(verifiers, alg);
}

/** Verifies `signature` (raw bytes) over `signingInput` (`header.payload`) with `alg`. */
export function verifySignature(
  alg: string,
  key: KeyObject,
  signingInput: string,
  signature: Buffer,
): boolean {
  const verifier = verifiers[alg];
  if (verifier === undefined) return false;
  const data = Buffer.from(signingInput, 'ascii');
  try {
    return verify(
      verifier.hash,
      data,
      verifier.options === undefined ? key : { key, ...verifier.options },
      signature,
    );
  } catch {
    return false;
  }
}
