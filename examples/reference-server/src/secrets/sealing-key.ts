import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerError } from '../errors.ts';

/**
 * The 32-byte key that seals secrets the server must be able to read back (OAuth 1.0a consumer secrets). It never
 * lives in the database: `PASSPORT_SEALING_KEY` (base64) when set, else `sealing.key` in the data folder, created
 * on first use with owner-only permissions. Losing it means re-issuing OAuth 1.0a credentials.
 */
export async function loadSealingKey(options: {
  environment: Record<string, string | undefined>;
  dataDir: string;
}): Promise<Uint8Array> {
  const fromEnvironment = options.environment.PASSPORT_SEALING_KEY;
  if (fromEnvironment) return decode(fromEnvironment, 'PASSPORT_SEALING_KEY');
  const path = join(options.dataDir, 'sealing.key');
  try {
    return decode((await readFile(path, 'utf8')).trim(), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return decode((await readFile(path, 'utf8')).trim(), path);
    throw error;
  }
}

function decode(text: string, source: string): Uint8Array {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ServerError(
      'SERVER_CONFIG_INVALID',
      `${source} must hold 32 bytes in base64 (it holds ${key.length}).`,
    );
  }
  return key;
}

/**
 * A 32-byte key for one purpose (`info`), derived from the sealing key with HKDF-SHA256: every process of one
 * deployment derives the same keys, and no derived key reveals the sealing key or another derived key.
 */
export function deriveKey(sealingKey: Uint8Array, info: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', sealingKey, new Uint8Array(0), info, 32));
}
