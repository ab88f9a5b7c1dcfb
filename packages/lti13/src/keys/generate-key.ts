import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { StoredKey } from '../ports.ts';

export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256';

/**
 * Generates a signing key pair. The kid is the key's RFC 7638 thumbprint, so the same key always has the same kid
 * wherever it is published.
 */
export async function generateSigningKey(options: { alg?: SigningAlgorithm; now: Date }): Promise<StoredKey> {
  const alg = options.alg ?? 'RS256';
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwk: { ...privateJwk, kid, alg },
    createdAt: options.now,
  };
}
