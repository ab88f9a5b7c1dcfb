import { describe, expect, it } from 'vitest';
import { hashClientSecret, isHashedClientSecret, matchesClientSecret } from './client-secret.ts';

const secret = 'quiz-secret-0123456789-abcdefghijklmnop';

describe('client secrets at rest', () => {
  it('hashes to a prefixed SHA-256 that does not contain the secret', () => {
    const stored = hashClientSecret(secret);
    expect(stored).toMatch(/^sha256\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(secret);
    expect(isHashedClientSecret(stored)).toBe(true);
    expect(isHashedClientSecret(secret)).toBe(false);
  });

  it('matches the right secret against a hash or a legacy plaintext, nothing else', () => {
    const stored = hashClientSecret(secret);
    expect(matchesClientSecret(stored, secret)).toBe(true);
    expect(matchesClientSecret(stored, `${secret}x`)).toBe(false);
    expect(matchesClientSecret(stored, stored)).toBe(false); // the hash itself is not a secret that works
    expect(matchesClientSecret(secret, secret)).toBe(true);
    expect(matchesClientSecret(secret, 'other')).toBe(false);
    expect(matchesClientSecret(undefined, secret)).toBe(false);
    expect(matchesClientSecret(stored, undefined)).toBe(false);
  });
});
