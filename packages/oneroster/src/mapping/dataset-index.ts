/**
 * Lookup maps over an in-memory dataset, built on first use and kept for the whole export: rows of a file by
 * sourcedId, and rows of a file by the ids one of their columns refers to. A join therefore holds, in memory, one
 * map entry per row of each file it reaches (on top of the dataset itself, which is in memory already).
 */
import type { CsvDataset, CsvRow } from '../csv/dataset.ts';
import { type FileName, fileSpecs } from '../model/files.ts';
import { splitList } from '../model/multivalue.ts';

/** Whether a column holds a comma-separated list in the spec (`orgSourcedIds`, `grades`, `userIds`, ...). */
export function isMultiValued(file: FileName, column: string): boolean {
  const kind = fileSpecs[file].find((spec) => spec.name === column)?.kind;
  if (kind === undefined) return false;
  return (
    kind.type === 'list' ||
    kind.type === 'grades' ||
    kind.type === 'userIds' ||
    (kind.type === 'ref' && kind.many === true)
  );
}

/** The values of a cell: its items when the column is multi-valued, else the cell itself; blank gives none. */
export function valuesOf(file: FileName, column: string, row: CsvRow): string[] {
  const cell = row[column] ?? '';
  if (cell === '') return [];
  return isMultiValued(file, column) ? splitList(cell) : [cell];
}

export class DatasetIndex {
  readonly #dataset: CsvDataset;
  readonly #byId = new Map<FileName, Map<string, CsvRow>>();
  readonly #referencing = new Map<string, Map<string, CsvRow[]>>();

  constructor(dataset: CsvDataset) {
    this.#dataset = dataset;
  }

  rows(file: FileName): readonly CsvRow[] {
    return this.#dataset.tables[file]?.rows ?? [];
  }

  /** The row of `file` with this sourcedId (the first, if the data repeats it). */
  byId(file: FileName, id: string): CsvRow | undefined {
    let map = this.#byId.get(file);
    if (map === undefined) {
      map = new Map();
      for (const row of this.rows(file)) {
        const sourcedId = row.sourcedId ?? '';
        if (!map.has(sourcedId)) map.set(sourcedId, row);
      }
      this.#byId.set(file, map);
    }
    return map.get(id);
  }

  /** The rows of `file` whose `column` refers to `id` (any item, for multi-valued columns), in file order. */
  referencing(file: FileName, column: string, id: string): readonly CsvRow[] {
    const key = `${file}\u0000${column}`;
    let map = this.#referencing.get(key);
    if (map === undefined) {
      map = new Map();
      for (const row of this.rows(file)) {
        for (const value of valuesOf(file, column, row)) {
          const list = map.get(value);
          if (list === undefined) map.set(value, [row]);
          else list.push(row);
        }
      }
      this.#referencing.set(key, map);
    }
    return map.get(id) ?? [];
  }
}
