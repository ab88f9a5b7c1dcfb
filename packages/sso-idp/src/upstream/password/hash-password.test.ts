import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from './hash-password.ts';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('tr0ub4dor&3', { N: 1024 });
    const second = await hashPassword('tr0ub4dor&3', { N: 1024 });
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('tr0ub4dor&3', first)).toBe(true);
    expect(await verifyPassword('tr0ub4dor&4', first)).toBe(false);
  });

  it('refuses malformed hashes and the decoy', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$9999999999$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('', decoyHash)).toBe(false);
  });
});
