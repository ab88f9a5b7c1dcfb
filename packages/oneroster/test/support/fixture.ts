/**
 * The district the API tests read: a generated one (30 students, three schools), with one semester retyped as a
 * term so the /terms endpoints have something to answer, imported into tenant `district-a`; tenant `district-b`
 * holds another generated district with the same sourcedIds and different people, so a leak between tenants shows.
 */
import type { CsvDataset, CsvRow } from '../../src/csv/dataset.ts';
import { generateDataset } from '../../src/generate/district.ts';
import type { FileName } from '../../src/model/files.ts';
import { importDataset } from '../../src/store/import-dataset.ts';
import type { RosterStore } from '../../src/store/roster-store.ts';

export const importedAt = new Date('2026-03-01T10:00:00.000Z');
export const tenantA = 'district-a';
export const tenantB = 'district-b';

export function fixtureDataset(seed: number): CsvDataset {
  const dataset = generateDataset({ students: 30, seed });
  for (const row of dataset.tables.academicSessions?.rows ?? []) {
    if (row.sourcedId === 'sem-2026-1') row.type = 'term';
  }
  return dataset;
}

export function rowsOf(dataset: CsvDataset, file: FileName): CsvRow[] {
  return dataset.tables[file]?.rows ?? [];
}

export async function loadFixture(store: RosterStore): Promise<{ a: CsvDataset; b: CsvDataset }> {
  const a = fixtureDataset(7);
  const b = fixtureDataset(8);
  for (const [tenant, dataset] of [
    [tenantA, a],
    [tenantB, b],
  ] as const) {
    const outcome = await importDataset(store, tenant, dataset, { importedAt });
    if (outcome.status !== 'applied') throw new Error(`fixture import into ${tenant} was ${outcome.status}`);
  }
  return { a, b };
}
