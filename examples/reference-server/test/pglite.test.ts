import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { latestMigration } from './support/migrations.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDataDir(): Promise<string> {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

describe('PGlite data folder', () => {
  it('keeps data across restarts', async () => {
    const dataDir = await tempDataDir();
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await first.migrate();
    await createTenantStore({ db: first.db }).create({ id: 'kept', name: 'Kept' }, 'test');
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect(await second.migrationVersion()).toBe(latestMigration);
      expect((await second.migrate()).applied).toEqual([]);
      expect((await createTenantStore({ db: second.db }).get('kept'))?.name).toBe('Kept');
    } finally {
      await second.close();
    }
  });

  it('refuses a second opener while the folder is open (SERVER_DATA_DIR_LOCKED), and allows it after close', async () => {
    const dataDir = await tempDataDir();
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toMatchObject({
      code: 'SERVER_DATA_DIR_LOCKED',
      message: expect.stringContaining(`process ${process.pid}`),
    });
    await first.close();
    await first.close(); // closing twice is harmless
    const again = await openDatabase({ kind: 'pglite', dataDir });
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = await tempDataDir();
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(exited.stdout);
    expect(deadPid).toBeGreaterThan(0);
    await writeFile(
      join(dataDir, 'pglite.lock'),
      JSON.stringify({ pid: deadPid, since: '2020-01-01T00:00:00Z' }),
    );
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    await handle.close();
  });
});
