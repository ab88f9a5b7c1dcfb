/**
 * A migrated, empty PGlite database to start a test from. Making one (PGlite's first open, then every migration)
 * takes 5 to 8 s on a loaded 2-core machine; copying one takes a fraction of a second. Tests whose subject is not a
 * first start copy it into their data folder before the server opens it.
 *
 * The template is made once per test run and shared by the run's worker processes through the system temp folder:
 * its name carries the pid of vitest's main process (every worker's parent). It is built under a name of its own and
 * renamed into place, so a worker never copies half a template; when two workers build at once, the first rename
 * wins. Templates of runs that have ended are removed when the next run makes its own.
 */
import { access, cp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open-database.ts';

const prefix = 'passport-pglite-template-';
let ready: Promise<string> | undefined;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function build(): Promise<string> {
  const root = tmpdir();
  const run = process.ppid;
  const template = join(root, `${prefix}${run}`);
  for (const name of await readdir(root)) {
    if (!name.startsWith(prefix)) continue;
    const owner = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(owner) && owner !== run && !running(owner)) {
      await rm(join(root, name), { recursive: true, force: true });
    }
  }
  if (await exists(join(template, 'pgdata'))) return template;
  const building = `${template}.${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: building });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  try {
    await rename(building, template);
  } catch (error) {
    // Another worker's template is in place (the same migrations): keep it.
    await rm(building, { recursive: true, force: true });
    if (!(await exists(join(template, 'pgdata')))) throw error;
  }
  return template;
}

/**
 * Fills `dataDir` with a migrated, empty database, as a first start leaves it before it writes anything else (no
 * sealing key, no demo data, no job queue yet). The server then opens it instead of creating one.
 */
export async function seedMigratedDatabase(dataDir: string): Promise<void> {
  ready ??= build();
  await cp(join(await ready, 'pgdata'), join(dataDir, 'pgdata'), { recursive: true });
}
