/**
 * Client secrets at rest. A secret is 32 random bytes, so a salted SHA-256 is enough to store it (no password-style
 * slow hash is needed for a value nobody could guess). OAuth 1.0a signing needs the secret itself on the server, so
 * a credential that may sign also keeps it sealed with AES-256-GCM under a key the server holds outside the database.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const encode = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const decode = (text: string) => Buffer.from(text, 'base64url');

/** A new secret: 32 random bytes, base64url. */
export function generateSecret(): string {
  return encode(randomBytes(32));
}

/** SHA-256 of a value, base64url (tokens are stored this way). */
export function sha256(value: string): string {
  return encode(createHash('sha256').update(value, 'utf8').digest());
}

export function hashSecret(secret: string, salt: string = encode(randomBytes(16))): string {
  return `sha256$${salt}$${sha256(`${salt}$${secret}`)}`;
}

/** Whether `secret` is the one `hash` was made from, compared in constant time. */
export function verifySecret(secret: string, hash: string): boolean {
  const [scheme, salt, expected] = hash.split('$');
  if (scheme !== 'sha256' || salt === undefined || expected === undefined) return false;
  const actual = decode(sha256(`${salt}$${secret}`));
  const wanted = decode(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** A 32-byte sealing key from base64 or base64url text, or bytes. */
export function sealingKeyFrom(key: string | Uint8Array): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
  if (bytes.length !== 32) throw new RangeError('A sealing key is 32 bytes (44 characters of base64).');
  return bytes;
}

/** Seals a secret for one client (the client id is bound in as associated data). */
export function sealSecret(secret: string, key: Buffer, clientId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(clientId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1.${encode(iv)}.${encode(sealed)}.${encode(cipher.getAuthTag())}`;
}

/** Opens a sealed secret; `undefined` when it was not sealed for this client under this key. */
export function openSecret(sealed: string, key: Buffer, clientId: string): string | undefined {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || data === undefined || tag === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, decode(iv));
    decipher.setAAD(Buffer.from(clientId, 'utf8'));
    decipher.setAuthTag(decode(tag));
    return Buffer.concat([decipher.update(decode(data)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
