/**
 * Imports a OneRoster dataset held in memory (`CsvDataset`: a small package read with `readPackage`, or
 * `generateDataset`) into a tenant: each file's rows converted to entities, staged, and applied in one commit.
 * It does not validate: use `importPackage` for a package on disk, which validates first.
 */
import type { CsvDataset } from '../csv/dataset.ts';
import type { DataFileMode } from '../csv/validate.ts';
import { csvRowToEntity } from '../model/convert.ts';
import { type FileName, fileNames } from '../model/files.ts';
import {
  defaultImportGuard,
  type ImportGuardOptions,
  type ImportOutcome,
  type RosterStore,
} from './roster-store.ts';

export interface ImportOptions {
  /** Apply even when the safety guard would hold the import. Default false. */
  confirm?: boolean;
  guard?: ImportGuardOptions;
  /** The import time stamped on rows a bulk file changes. Default now. */
  importedAt?: Date;
}

/** Rows staged per call. */
export const importBatchSize = 2000;

export async function importDataset(
  store: RosterStore,
  tenantId: string,
  dataset: CsvDataset,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const session = await store.beginImport(tenantId, {
    importedAt: (options.importedAt ?? new Date()).toISOString(),
  });
  try {
    const modes: Partial<Record<FileName, DataFileMode>> = {};
    for (const file of fileNames) {
      const table = dataset.tables[file];
      const mode = table?.mode ?? dataset.manifest.files[file];
      if (mode === 'bulk' || mode === 'delta') modes[file] = mode;
      const rows = table?.rows ?? [];
      for (let start = 0; start < rows.length; start += importBatchSize) {
        const entities = rows
          .slice(start, start + importBatchSize)
          .map((row) => csvRowToEntity(file, row, { baseUrl: '' }) as Record<string, unknown>);
        await session.stage(file, entities);
      }
    }
    return await session.commit({
      modes,
      confirm: options.confirm ?? false,
      guard: { ...defaultImportGuard, ...options.guard },
    });
  } catch (error) {
    await session.abort().catch(() => {});
    throw error;
  }
}
