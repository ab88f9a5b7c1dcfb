/**
 * A OneRoster CSV package held in memory: the manifest and, for each file present, its rows as the CSV binding
 * spells them (strings keyed by header, `metadata.*` extension columns included). This is what the writer takes,
 * what a small package reads into, and what the CSV ⇄ JSON conversions start from.
 */
import type { FileMode, FileName } from '../model/files.ts';

/** One data row: header → cell text (normalized where the reader normalized it). Blank cells are ''. */
export type CsvRow = Record<string, string>;

export interface CsvTable {
  /** bulk: the full set for this file; delta: only the rows that changed. */
  mode: Exclude<FileMode, 'absent'>;
  /** The header row: the spec columns in spec order, then any `metadata.*` columns. */
  columns: string[];
  rows: CsvRow[];
}

export interface Manifest {
  /** `manifest.version`, `1.0` for OneRoster 1.1 packages. */
  manifestVersion: string;
  /** `oneroster.version`, `1.1`. */
  onerosterVersion: string;
  /** `file.<name>` for each of the 13 data files. */
  files: Record<FileName, FileMode>;
  /** `source.systemName`, `source.systemCode` and any other properties, kept as read. */
  properties: Record<string, string>;
}

export interface CsvDataset {
  manifest: Manifest;
  tables: Partial<Record<FileName, CsvTable>>;
}
