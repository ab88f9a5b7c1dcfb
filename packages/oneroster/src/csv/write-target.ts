/**
 * Where a package is written: a zip file or a directory, built under a temporary name beside the final one and
 * renamed into place only when complete, so a failed or abandoned write never leaves a half package under the
 * final name.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { z } from 'zod';
import { OneRosterError } from '../errors.ts';
import { manifestFileName } from '../model/files.ts';

export type PackageFormat = 'zip' | 'dir';

export type WriteErrorCode =
  | 'ONEROSTER_WRITE_INVALID_CALL'
  | 'ONEROSTER_WRITE_TARGET_EXISTS'
  | 'ONEROSTER_WRITE_ABORTED';

/** Options that fail their schema: `Invalid option <path>: <message>.`, naming every bad option. */
export function invalidOptions(of: string, error: z.ZodError): OneRosterError {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  return new OneRosterError('ONEROSTER_INVALID_OPTIONS', `Invalid ${of} option ${problems.join('; ')}.`, {
    detail: error.issues,
  });
}

/** Errors of the writer that are not bad options. */
export function writeError(code: WriteErrorCode, message: string, cause?: unknown): OneRosterError {
  return new OneRosterError(code, message, cause === undefined ? {} : { cause });
}

export interface PackageTarget {
  /** Aborted when the target fails on its own (a disk error) or is aborted; pending writes reject with its reason. */
  readonly signal: AbortSignal;
  /** A stream for one file of the package; entries are written one after another. */
  openEntry(name: string): Writable;
  /** Ends an entry's stream and waits until it is handed on. */
  closeEntry(entry: Writable): Promise<void>;
  /** Finishes the package and renames it into place. */
  commit(): Promise<void>;
  /** Drops everything written so far. Safe to call more than once and after a failure. */
  abort(reason?: unknown): Promise<void>;
}

export interface TargetOptions {
  /** Entry timestamps inside a zip. Fix it for byte-identical output across runs. */
  modifiedAt: Date;
  /** Deflate level 0–9 for zip entries. */
  compressionLevel: number;
}

/** `.zip` (any case) means zip, anything else a directory. */
export function formatFromPath(out: string): PackageFormat {
  return out.toLowerCase().endsWith('.zip') ? 'zip' : 'dir';
}

export async function openTarget(
  out: string,
  format: PackageFormat,
  options: TargetOptions,
): Promise<PackageTarget> {
  const finalPath = resolve(out);
  await mkdir(dirname(finalPath), { recursive: true });
  const temporaryPath = siblingName(finalPath, 'partial');
  return format === 'zip'
    ? openZipTarget(finalPath, temporaryPath, options)
    : openDirectoryTarget(finalPath, temporaryPath);
}

function siblingName(path: string, purpose: string): string {
  return join(dirname(path), `.${basename(path)}.${purpose}-${randomBytes(6).toString('hex')}`);
}

async function openDirectoryTarget(finalPath: string, temporaryPath: string): Promise<PackageTarget> {
  await mkdir(temporaryPath);
  const controller = new AbortController();
  const open = new Set<Writable>();
  return {
    signal: controller.signal,
    openEntry(name) {
      const entry = createWriteStream(join(temporaryPath, name));
      entry.on('error', (error) => controller.abort(error));
      open.add(entry);
      return entry;
    },
    async closeEntry(entry) {
      entry.end();
      await finished(entry);
      open.delete(entry);
    },
    async commit() {
      controller.signal.throwIfAborted();
      await replaceDirectory(temporaryPath, finalPath);
    },
    async abort(reason) {
      if (!controller.signal.aborted)
        controller.abort(reason ?? writeError('ONEROSTER_WRITE_ABORTED', 'aborted'));
      for (const entry of open) entry.destroy();
      await Promise.all([...open].map((entry) => finished(entry).catch(() => undefined)));
      open.clear();
      await rm(temporaryPath, { recursive: true, force: true });
    },
  };
}

/**
 * Puts the finished directory in place. An existing directory is replaced only when it is empty or holds a
 * OneRoster package (a manifest.csv), so a mistyped path never wipes out unrelated files.
 */
async function replaceDirectory(temporaryPath: string, finalPath: string): Promise<void> {
  const existing = await lstat(finalPath).catch(() => undefined);
  if (existing === undefined) {
    await rename(temporaryPath, finalPath);
    return;
  }
  const entries = existing.isDirectory() ? await readdir(finalPath) : undefined;
  if (entries === undefined || (entries.length > 0 && !entries.includes(manifestFileName))) {
    throw writeError(
      'ONEROSTER_WRITE_TARGET_EXISTS',
      `${finalPath} exists and is not an empty directory or a OneRoster package; refusing to replace it`,
    );
  }
  if (entries.length === 0) {
    await rename(temporaryPath, finalPath);
    return;
  }
  const previous = siblingName(finalPath, 'previous');
  await rename(finalPath, previous);
  try {
    await rename(temporaryPath, finalPath);
  } catch (error) {
    await rename(previous, finalPath);
    throw error;
  }
  await rm(previous, { recursive: true, force: true });
}

async function openZipTarget(
  finalPath: string,
  temporaryPath: string,
  options: TargetOptions,
): Promise<PackageTarget> {
  const controller = new AbortController();
  const zip = new yazl.ZipFile();
  const file = createWriteStream(temporaryPath, { flags: 'wx' });
  const written = pipeline(zip.outputStream, file);
  zip.on('error', (error: unknown) => {
    if (!controller.signal.aborted) controller.abort(error);
  });
  written.catch((error: unknown) => {
    if (!controller.signal.aborted) controller.abort(error);
  });
  const entryOptions = {
    mtime: options.modifiedAt,
    mode: 0o100644,
    compress: options.compressionLevel > 0,
    compressionLevel: options.compressionLevel,
  };
  const open = new Set<PassThrough>();
  return {
    signal: controller.signal,
    openEntry(name) {
      const entry = new PassThrough();
      open.add(entry);
      zip.addReadStream(entry, name, entryOptions);
      return entry;
    },
    async closeEntry(entry) {
      entry.end();
      open.delete(entry as PassThrough);
    },
    async commit() {
      controller.signal.throwIfAborted();
      zip.end();
      await written;
      await rename(temporaryPath, finalPath);
    },
    async abort(reason) {
      if (!controller.signal.aborted)
        controller.abort(reason ?? writeError('ONEROSTER_WRITE_ABORTED', 'aborted'));
      for (const entry of open) entry.destroy();
      open.clear();
      zip.outputStream.unpipe(file);
      file.destroy();
      await finished(file).catch(() => undefined);
      await rm(temporaryPath, { force: true });
    },
  };
}
