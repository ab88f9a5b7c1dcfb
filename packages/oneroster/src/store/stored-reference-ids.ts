/**
 * Checking a delta package's references against what a tenant already holds. A delta file names only what changed,
 * so an enrollment may point at a class or a user that is not in the package: the validator cannot tell on its own
 * whether that row exists (a warning, `ONEROSTER_CSV_REFERENCE_UNVERIFIED`). An import knows: before the package is
 * streamed, the sourcedIds of the tenant's active rows are read from the store for every file a reference of the
 * package may point at and that the package does not hold in bulk, and handed to the validator as `knownIds`. A
 * reference found neither in the package nor among them is then an error (`ONEROSTER_CSV_REFERENCE_UNRESOLVED`,
 * with its file, line and column), and one found is no finding at all.
 *
 * Only packages with at least one delta file are checked this way; an all-bulk package keeps the validator's own
 * rules. Rows the tenant holds as `tobedeleted` are not known: a reference to one is unresolved. The ids are kept in
 * the validator's compact hash set (`IdSet`, 8 bytes a slot), so a district of a million users costs some 16 MB.
 */
import { FindingCollector } from '../csv/collect-findings.ts';
import type { Manifest } from '../csv/dataset.ts';
import { IdSet } from '../csv/id-set.ts';
import { readManifest } from '../csv/read-manifest.ts';
import { openPackage } from '../csv/source.ts';
import type { ValidateOptions } from '../csv/validate.ts';
import { type FileName, fileSpecs, manifestFileName } from '../model/files.ts';
import type { RosterStore } from './roster-store.ts';

type KnownIds = NonNullable<ValidateOptions['knownIds']>;

/** The package's manifest, or undefined when it has none or it cannot be read (the validator reports why). */
async function manifestOf(path: string): Promise<Manifest | undefined> {
  try {
    const source = await openPackage(path);
    try {
      const entry = [...source.entries.keys()].find((name) => name.toLowerCase() === manifestFileName);
      if (entry === undefined) return undefined;
      return (await readManifest(await source.open(entry), entry, new FindingCollector(0))).manifest;
    } finally {
      await source.close();
    }
  } catch {
    return undefined;
  }
}

/** The files the references of the package's present files point at (a demographics row names its user). */
function referenceTargets(present: readonly FileName[]): Set<FileName> {
  const targets = new Set<FileName>();
  for (const file of present) {
    if (file === 'demographics') targets.add('users');
    for (const column of fileSpecs[file]) {
      if (column.kind.type === 'ref') targets.add(column.kind.target);
    }
  }
  return targets;
}

/**
 * `knownIds` for validating the package at `path` as an import into `tenantId`, or undefined when the package has no
 * delta file (or no readable manifest).
 */
export async function storedReferenceIds(
  store: RosterStore,
  tenantId: string,
  path: string,
): Promise<KnownIds | undefined> {
  const manifest = await manifestOf(path);
  if (manifest === undefined) return undefined;
  const modes = Object.entries(manifest.files) as [FileName, string][];
  if (!modes.some(([, mode]) => mode === 'delta')) return undefined;
  const present = modes.filter(([, mode]) => mode === 'bulk' || mode === 'delta').map(([file]) => file);
  const known = new Map<FileName, IdSet>();
  for (const target of referenceTargets(present)) {
    // A bulk target is complete in the package: the validator never asks about it.
    if (manifest.files[target] === 'bulk') continue;
    const ids = new IdSet();
    for await (const batch of store.storedIds(tenantId, target)) {
      for (const id of batch) ids.add(id);
    }
    known.set(target, ids);
  }
  return (file, id) => known.get(file)?.has(id) ?? false;
}
