import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerError } from '../errors.ts';

/** Held while a process has the embedded database of a data folder open. */
export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockHolder {
  pid: number;
  since: string;
}

/**
 * PGlite is one process's database: two processes opening one data folder corrupt it. A lock file with the
 * holder's process id guards the folder; a lock left by a process that no longer runs is taken over.
 * Throws `SERVER_DATA_DIR_LOCKED` when a running process holds it (this one included).
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'pglite.lock');
  const holder: LockHolder = { pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(path, JSON.stringify(holder), { flag: 'wx' });
      return { path, release: () => releaseLock(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(path);
    if (current === 'unreadable') continue;
    if (current !== undefined && isRunning(current.pid)) {
      throw new ServerError(
        'SERVER_DATA_DIR_LOCKED',
        `The data folder ${dataDir} is in use by process ${current.pid} (a running Passport server or command, ` +
          `since ${current.since}). Stop it first, or point PASSPORT_DATA_DIR elsewhere. If no such process ` +
          `runs, delete ${path}.`,
        { status: 503, detail: { path, holder: current } },
      );
    }
    await rm(path, { force: true });
  }
  throw new ServerError(
    'SERVER_DATA_DIR_LOCKED',
    `Could not take the lock ${path}; another process keeps taking it`,
    {
      status: 503,
    },
  );

  async function releaseLock(lockPath: string): Promise<void> {
    const current = await readHolder(lockPath);
    if (current !== 'unreadable' && current?.pid === process.pid) await rm(lockPath, { force: true });
  }
}

/** The holder recorded in the lock; undefined when the file is gone; 'unreadable' while it is being written. */
async function readHolder(path: string): Promise<LockHolder | undefined | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number') return { pid: parsed.pid, since: String(parsed.since) };
  } catch {}
  return 'unreadable';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
