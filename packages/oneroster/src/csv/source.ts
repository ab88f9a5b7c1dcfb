/**
 * Where a package's files come from: a directory, or a zip file read with yauzl. A zip is never held in memory: its
 * central directory lists the entries, and each entry is inflated as a stream only when it is opened.
 *
 * Lenient about layout: when every file sits in one top-level folder (a zip made by compressing the folder rather
 * than its contents), the files are read from that folder with a warning. `__MACOSX/` entries and hidden files are
 * ignored.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { OneRosterError } from '../errors.ts';
import type { OneRosterCsvFinding } from './finding-codes.ts';

export interface PackageEntry {
  /** The path inside the package, relative to its root (after a stripped top-level folder), `/`-separated. */
  name: string;
  /** Bytes once uncompressed. */
  size: number;
}

export interface PackageSource {
  readonly kind: 'directory' | 'zip';
  readonly path: string;
  /** The package's files by name. */
  readonly entries: ReadonlyMap<string, PackageEntry>;
  /** Findings about the layout (a nested folder). */
  readonly findings: readonly OneRosterCsvFinding[];
  /** A stream of the entry's bytes. Throws `ONEROSTER_PACKAGE_UNREADABLE` when it cannot be opened. */
  open(name: string): Promise<Readable>;
  close(): Promise<void>;
}

const ignored = (name: string): boolean =>
  name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'));

/** Strips a single top-level folder that holds every file, with a finding; otherwise returns the names as they are. */
function stripTopFolder(names: string[]): { prefix: string; findings: OneRosterCsvFinding[] } {
  const first = names[0];
  const slash = first?.indexOf('/') ?? -1;
  if (first === undefined || slash <= 0) return { prefix: '', findings: [] };
  const prefix = first.slice(0, slash + 1);
  if (!names.every((name) => name.startsWith(prefix))) return { prefix: '', findings: [] };
  return {
    prefix,
    findings: [
      {
        file: '',
        line: 0,
        code: 'ONEROSTER_CSV_PACKAGE_NESTED_FOLDER',
        severity: 'warning',
        message: `The package's files are inside the folder ${prefix}; they should be at the root of the package.`,
        value: prefix,
      },
    ],
  };
}

function unreadable(path: string, what: string, cause: unknown): OneRosterError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new OneRosterError(
    'ONEROSTER_PACKAGE_UNREADABLE',
    `Cannot read the package ${path}: ${what} (${reason}).`,
    {
      cause,
    },
  );
}

/** Opens a package from a directory or a `.zip` file. */
export async function openPackage(path: string): Promise<PackageSource> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OneRosterError('ONEROSTER_PACKAGE_NOT_FOUND', `No package at ${path}.`, { cause: error });
    }
    throw unreadable(path, 'cannot stat it', error);
  }
  if (stats.isDirectory()) return openDirectory(path);
  if (stats.isFile()) return openZip(path);
  throw unreadable(path, 'not a directory or a file', 'unsupported file type');
}

async function openDirectory(path: string): Promise<PackageSource> {
  let root = path;
  let findings: OneRosterCsvFinding[] = [];
  const list = async (dir: string) => {
    try {
      return (await readdir(dir, { withFileTypes: true })).filter((entry) => !ignored(entry.name));
    } catch (error) {
      throw unreadable(path, 'cannot list the directory', error);
    }
  };
  let listing = await list(root);
  const files = listing.filter((entry) => entry.isFile());
  const folders = listing.filter((entry) => entry.isDirectory());
  if (files.length === 0 && folders.length === 1 && folders[0]) {
    const folder = folders[0].name;
    root = join(path, folder);
    listing = await list(root);
    findings = stripTopFolder([`${folder}/`]).findings;
  }
  const entries = new Map<string, PackageEntry>();
  for (const entry of listing) {
    if (!entry.isFile()) continue;
    const size = (await stat(join(root, entry.name))).size;
    entries.set(entry.name, { name: entry.name, size });
  }
  return {
    kind: 'directory',
    path,
    entries,
    findings,
    async open(name) {
      if (!entries.has(name)) throw unreadable(path, `no file ${name}`, 'not in the package');
      const stream = createReadStream(join(root, name));
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error) => reject(unreadable(path, `cannot open ${name}`, error)));
      });
      return stream;
    },
    async close() {},
  };
}

async function openZip(path: string): Promise<PackageSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw unreadable(path, 'not a directory or a zip file', error);
  }
  const all: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw unreadable(path, 'its list of entries is corrupt', error);
  }
  const files = all.filter((entry) => !entry.fileName.endsWith('/') && !ignored(entry.fileName));
  const { prefix, findings } = stripTopFolder(files.map((entry) => entry.fileName));
  const byName = new Map<string, yauzl.Entry>();
  const entries = new Map<string, PackageEntry>();
  for (const entry of files) {
    const name = entry.fileName.slice(prefix.length);
    byName.set(name, entry);
    entries.set(name, { name, size: entry.uncompressedSize });
  }
  return {
    kind: 'zip',
    path,
    entries,
    findings,
    async open(name) {
      const entry = byName.get(name);
      if (!entry) throw unreadable(path, `no entry ${name}`, 'not in the package');
      try {
        return await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw unreadable(path, `cannot open the entry ${name}`, error);
      }
    },
    async close() {
      zip.close();
    },
  };
}
