import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, openSecret, sealingKeyFrom, sealSecret, verifySecret } from './secrets.ts';

describe('secrets at rest', () => {
  it('verifies a secret against its salted hash and nothing else', () => {
    const hash = hashSecret('the secret');
    expect(hash).toMatch(/^sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('the secret');
    expect(verifySecret('the secret', hash)).toBe(true);
    expect(verifySecret('the secreT', hash)).toBe(false);
    expect(verifySecret('the secret', 'md5$x$y')).toBe(false);
    expect(hashSecret('the secret')).not.toBe(hash);
  });

  it('opens a sealed secret only with the same key and client id', () => {
    const key = sealingKeyFrom(randomBytes(32).toString('base64'));
    const sealed = sealSecret('s3cret', key, 'client-1');
    expect(sealed).not.toContain('s3cret');
    expect(openSecret(sealed, key, 'client-1')).toBe('s3cret');
    expect(openSecret(sealed, key, 'client-2')).toBeUndefined();
    expect(openSecret(sealed, sealingKeyFrom(randomBytes(32)), 'client-1')).toBeUndefined();
    // A changed ciphertext fails authentication (the tag's last character carries padding bits, so change the data).
    const [version, iv, data = '', tag] = sealed.split('.');
    const flipped = `${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}`;
    expect(openSecret([version, iv, flipped, tag].join('.'), key, 'client-1')).toBeUndefined();
    expect(() => sealingKeyFrom('c2hvcnQ=')).toThrow(RangeError);
  });
});
