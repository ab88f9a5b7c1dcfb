import { createPrivateKey, sign } from 'node:crypto';
import type { JWK } from 'jose';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs a payload with RS256 under any header, as is: certification cases carry headers without `kid` or even
 * without `alg`, which a JOSE library refuses to produce.
 */
export function signWithHeader(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateJwk: JWK,
): string {
  const input = `${encode(header)}.${encode(payload)}`;
  const key = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), key).toString('base64url');
  return `${input}.${signature}`;
}
