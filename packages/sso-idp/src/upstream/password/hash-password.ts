import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const defaults = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyLength = 32;

function derive(
  password: string,
  salt: Buffer,
  options: { N: number; r: number; p: number },
): Promise<Buffer> {
  const scryptOptions: ScryptOptions = { ...options, maxmem: 128 * options.N * options.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, scryptOptions, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** Hashes a password with scrypt (N=2^15, r=8, p=1, 16-byte salt): `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, cost: { N?: number } = {}): Promise<string> {
  const options = { ...defaults, ...cost };
  const salt = randomBytes(16);
  const key = await derive(password, salt, options);
  return [
    'scrypt',
    options.N,
    options.r,
    options.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Verifies a password against a stored hash in constant time; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (![options.N, options.r, options.p].every(Number.isSafeInteger) || options.N > 2 ** 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), options);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash to verify against when the username is unknown, so timing does not reveal which usernames exist. */
export const decoyHash = `scrypt$${defaults.N}$${defaults.r}$${defaults.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
