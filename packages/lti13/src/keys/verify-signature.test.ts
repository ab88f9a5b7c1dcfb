import { generateKeyPairSync } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { publicKeyObject, verifySignature } from './verify-signature.ts';

async function signed(alg: string, options: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const token = await new CompactSign(new TextEncoder().encode('{"sub":"x"}'))
    .setProtectedHeader({ alg })
    .sign(privateKey);
  const lastDot = token.lastIndexOf('.');
  return {
    jwk: await exportJWK(publicKey),
    input: token.slice(0, lastDot),
    signature: Buffer.from(token.slice(lastDot + 1), 'base64url'),
  };
}

describe('verifySignature', () => {
  for (const alg of [
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'ES256',
    'ES384',
    'ES512',
    'EdDSA',
  ]) {
    it(`verifies ${alg} signatures made by jose, and refuses altered input`, async () => {
      const token = await signed(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
      const key = publicKeyObject(token.jwk);
      expect(verifySignature(alg, key, token.input, token.signature)).toBe(true);
      expect(verifySignature(alg, key, `${token.input}x`, token.signature)).toBe(false);
    });
  }

  it('refuses a signature checked with another algorithm than the one that made it', async () => {
    const token = await signed('RS256');
    expect(verifySignature('PS256', publicKeyObject(token.jwk), token.input, token.signature)).toBe(false);
    expect(verifySignature('HS256', publicKeyObject(token.jwk), token.input, token.signature)).toBe(false);
  });

  it('refuses RSA keys shorter than 2048 bits', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => publicKeyObject(publicKey.export({ format: 'jwk' }) as never)).toThrow(/2048/);
  });
});
