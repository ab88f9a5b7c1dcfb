/**
 * Importing a OneRoster 1.1 CSV package (a zip or a directory) into a tenant, for packages of any size:
 *   1. stream the package through the validator (`streamPackage`), converting each row that passed its own
 *      checks to its entity and staging it in batches; nothing visible changes. In a package with delta files, a
 *      reference to a row the package does not hold is checked against the tenant's stored rows
 *      (stored-reference-ids.ts): an error when it is in neither;
 *   2. read the validation report: an invalid package is aborted (the staged rows dropped) and its findings
 *      returned, the tenant's data untouched;
 *   3. commit: one transaction applies every file (bulk replaces, delta changes), or the safety guard holds it.
 * The result says what happened with the counts of inserted, updated, deleted and unchanged rows per file.
 */

import { streamPackage } from '../csv/read.ts';
import { inferredManifest } from '../csv/read-manifest.ts';
import type { DataFileMode, ValidateOptions, ValidationReport } from '../csv/validate.ts';
import { csvRowToEntity } from '../model/convert.ts';
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
  const stream = streamPackage(path, {
    ...options.validation,
    ...(knownIds === undefined ? {} : { knownIds }),
  });
  const session = await store.beginImport(tenantId, {
    importedAt: (options.importedAt ?? new Date()).toISOString(),
  });
  try {
    let batch: Record<string, unknown>[] = [];
    let batchFile: FileName | undefined;
    let batchMode: DataFileMode | undefined;
    const flush = async () => {
      if (batchFile !== undefined && batch.length > 0) await session.stage(batchFile, batch, batchMode);
      batch = [];
    };
    for await (const { file, mode, row } of stream) {
      if (file !== batchFile || batch.length >= importBatchSize) {
        await flush();
        batchFile = file;
        batchMode = mode;
      }
      batch.push(csvRowToEntity(file, row, { baseUrl: '' }) as Record<string, unknown>);
    }
    await flush();
    const report = await stream.report;
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
    await session.abort().catch(() => {});
    throw error;
  }
}
