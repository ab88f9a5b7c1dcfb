/**
 * Importing a OneRoster 1.1 CSV package (a zip or a directory) into a tenant, for packages of any size:
 *   1. stream the package through the validator (`checkPackage`, what `streamPackage` runs), converting each row
 *      that passed its own checks to its entity (from its fields, `csvRecordConverter`) and staging it in batches; nothing visible changes. In a package with delta files, a
 *      reference to a row the package does not hold is checked against the tenant's stored rows
 *      (stored-reference-ids.ts): an error when it is in neither;
 *   2. read the validation report: an invalid package is aborted (the staged rows dropped) and its findings
 *      returned, the tenant's data untouched;
 *   3. commit: one transaction applies every file (bulk replaces, delta changes), or the safety guard holds it.
 * The result says what happened with the counts of inserted, updated, deleted and unchanged rows per file.
 */

import type { FileLayout } from '../csv/check-header.ts';
import { inferredManifest } from '../csv/read-manifest.ts';
import {
  checkPackage,
  type DataFileMode,
  type ValidateOptions,
  type ValidationReport,
} from '../csv/validate.ts';
import { csvRecordConverter } from '../model/convert.ts';
import type { FileName } from '../model/files.ts';
import { type ImportOptions, importBatchSize } from './import-dataset.ts';
import { defaultImportGuard, type ImportOutcome, type RosterStore } from './roster-store.ts';
import { storedReferenceIds } from './stored-reference-ids.ts';

export type ImportPackageResult =
  | (ImportOutcome & { report: ValidationReport })
  /** The package has errors: nothing was changed. */
  | { status: 'invalid'; report: ValidationReport };

export interface ImportPackageOptions extends ImportOptions {
  /** Passed to the validator (finding cap, progress). */
  validation?: Pick<ValidateOptions, 'maxFindings' | 'onProgress'>;
}

export async function importPackage(
  store: RosterStore,
  tenantId: string,
  path: string,
  options: ImportPackageOptions = {},
): Promise<ImportPackageResult> {
  // A delta package's references to rows it does not hold are checked against the tenant's stored rows.
  const knownIds = await storedReferenceIds(store, tenantId, path);
  const batches: { file: FileName; mode: DataFileMode; entities: Record<string, unknown>[] }[] = [];
  let current: (typeof batches)[number] | undefined;
  let converting:
    | { layout: FileLayout; convert: (fields: readonly string[]) => Record<string, unknown> }
    | undefined;
  // The validator calls back with each row as it parses a chunk; the rows that passed their own checks are
  // converted there, straight from their fields, and staged after the chunk.
  const run = checkPackage(
    path,
    { ...options.validation, ...(knownIds === undefined ? {} : { knownIds }) },
    (file, mode, _line, fields, layout, valid) => {
      if (!valid) return;
      if (converting?.layout !== layout) {
        converting = { layout, convert: csvRecordConverter(file, layout, { baseUrl: '' }) };
      }
      if (current === undefined || current.file !== file || current.entities.length >= importBatchSize) {
        current = { file, mode, entities: [] };
        batches.push(current);
      }
      current.entities.push(converting.convert(fields));
    },
  );
  const session = await store.beginImport(tenantId, {
    importedAt: (options.importedAt ?? new Date()).toISOString(),
  });
  try {
    let step = await run.next();
    for (;;) {
      for (const batch of batches) await session.stage(batch.file, batch.entities, batch.mode);
      batches.length = 0;
      current = undefined;
      if (step.done) break;
      step = await run.next();
    }
    const report = step.value;
    if (!report.valid) {
      await session.abort();
      return { status: 'invalid', report };
    }
    const manifest = report.manifest ?? inferredManifest(Object.keys(report.counts) as FileName[]);
    const modes: Partial<Record<FileName, DataFileMode>> = {};
    for (const [file, mode] of Object.entries(manifest.files) as [FileName, string][]) {
      if (mode === 'bulk' || mode === 'delta') modes[file] = mode;
    }
    const outcome = await session.commit({
      modes,
      confirm: options.confirm ?? false,
      guard: { ...defaultImportGuard, ...options.guard },
    });
    return { ...outcome, report };
  } catch (error) {
    // The validator's package (open files, a zip) is closed when it stopped early.
    await run.return(undefined as never).catch(() => {});
    await session.abort().catch(() => {});
    throw error;
  }
}
