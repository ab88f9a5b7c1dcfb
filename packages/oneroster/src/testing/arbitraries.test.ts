import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../csv/dataset.ts';
import {
  type ColumnSpec,
  type FileName,
  fileNames,
  fileSpecs,
  headerOf,
  metadataColumnPrefix,
} from '../model/files.ts';
import { isCanonicalFloat, isDate, isDatetime, isYear } from '../model/formats.ts';
import { listItemProblem, parseUserIds, splitList, userIdProblem } from '../model/multivalue.ts';
import { vocabularies } from '../model/vocabulary.ts';
import { csvDatasetArbitrary, csvRowWithMetadataArbitrary, csvTableArbitrary } from './arbitraries.ts';

/** What is wrong with a cell under the normalized rules, or undefined. */
function cellProblem(column: ColumnSpec, cell: string, mode: 'bulk' | 'delta'): string | undefined {
  const { kind } = column;
  if (kind.type === 'status' || kind.type === 'dateLastModified') {
    if (mode === 'bulk') return cell === '' ? undefined : 'filled in a bulk row';
    if (kind.type === 'status')
      return (vocabularies.status as readonly string[]).includes(cell) ? undefined : 'status';
    return isDatetime(cell) ? undefined : 'dateLastModified';
  }
  if (cell === '') return column.required ? 'blank required cell' : undefined;
  if (cell.trim() !== cell) return 'surrounding whitespace';
  const items = splitList(cell);
  switch (kind.type) {
    case 'enum':
      return (vocabularies[kind.vocabulary] as readonly string[]).includes(cell) ? undefined : 'vocabulary';
    case 'date':
      return isDate(cell) ? undefined : 'date';
    case 'datetime':
      return isDatetime(cell) ? undefined : 'datetime';
    case 'boolean':
      return cell === 'true' || cell === 'false' ? undefined : 'boolean';
    case 'float':
      return isCanonicalFloat(cell) ? undefined : 'float';
    case 'year':
      return isYear(cell) ? undefined : 'year';
    case 'grades':
      return items.every((grade) => (vocabularies.grade as readonly string[]).includes(grade))
        ? undefined
        : 'grade';
    case 'list':
      return items.every((item) => listItemProblem(item) === undefined) ? undefined : 'list item';
    case 'userIds': {
      const userIds = parseUserIds(cell);
      return userIds?.every((userId) => userIdProblem(userId) === undefined) ? undefined : 'userIds';
    }
    case 'ref':
      if (kind.many !== true) return undefined;
      return new Set(items).size === items.length &&
        items.every((item) => listItemProblem(item) === undefined)
        ? undefined
        : 'references';
    default:
      return undefined;
  }
}

function rowProblems(file: FileName, row: CsvRow): string[] {
  const mode = row.status === '' ? 'bulk' : 'delta';
  const problems = fileSpecs[file].flatMap((column) => {
    const problem = cellProblem(column, row[column.name] ?? '', mode);
    return problem === undefined ? [] : [`${column.name}: ${problem} (${JSON.stringify(row[column.name])})`];
  });
  const columns = Object.keys(row);
  const header = headerOf(file);
  if (columns.slice(0, header.length).join() !== header.join()) problems.push('spec columns out of order');
  if (!columns.slice(header.length).every((column) => column.startsWith(metadataColumnPrefix))) {
    problems.push('extra columns that are not metadata.*');
  }
  return problems;
}

describe.each(fileNames)('%s arbitraries', (file) => {
  it('generate normalized rows: spec columns in order, then metadata.*, every cell well-formed', () => {
    fc.assert(
      fc.property(csvRowWithMetadataArbitrary(file), (row) => {
        expect(rowProblems(file, row)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('generate tables with unique sourcedIds and one header', () => {
    fc.assert(
      fc.property(csvTableArbitrary(file), (table) => {
        const ids = table.rows.map((row) => row.sourcedId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const row of table.rows) {
          expect(Object.keys(row)).toEqual(table.columns);
          expect(row.status === '').toBe(table.mode === 'bulk');
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('csvDatasetArbitrary', () => {
  it('generates all 13 files whose references resolve, with the plan it promises', () => {
    fc.assert(
      fc.property(csvDatasetArbitrary(), (dataset) => {
        const rowsOf = (file: FileName) => dataset.tables[file]?.rows ?? [];
        const idsOf = (file: FileName) => new Set(rowsOf(file).map((row) => row.sourcedId));
        for (const file of fileNames) {
          expect(dataset.tables[file]?.mode).toBe(dataset.manifest.files[file]);
          for (const row of rowsOf(file)) {
            expect(rowProblems(file, row)).toEqual([]);
            for (const column of fileSpecs[file]) {
              if (column.kind.type !== 'ref') continue;
              const targets = idsOf(column.kind.target);
              for (const sourcedId of splitList(row[column.name] ?? ''))
                expect(targets.has(sourcedId)).toBe(true);
            }
          }
        }
        const users = new Map(rowsOf('users').map((user) => [user.sourcedId, user]));
        for (const demographics of rowsOf('demographics'))
          expect(users.has(demographics.sourcedId ?? '')).toBe(true);
        for (const result of rowsOf('results')) {
          expect(users.get(result.studentSourcedId ?? '')?.role).toBe('student');
        }
        for (const user of rowsOf('users')) {
          expect(splitList(user.agentSourcedIds ?? '')).not.toContain(user.sourcedId);
        }
        const orgs = new Map(rowsOf('orgs').map((org, index) => [org.sourcedId, { org, index }]));
        for (const file of ['classes', 'enrollments'] as const) {
          for (const row of rowsOf(file))
            expect(orgs.get(row.schoolSourcedId ?? '')?.org.type).toBe('school');
        }
        for (const file of ['orgs', 'academicSessions'] as const) {
          const rows = rowsOf(file);
          rows.forEach((row, index) => {
            if (row.parentSourcedId === '') return;
            const parentIndex = rows.findIndex((candidate) => candidate.sourcedId === row.parentSourcedId);
            expect(parentIndex).toBeGreaterThanOrEqual(0);
            expect(parentIndex).toBeLessThan(index);
          });
        }
      }),
      { numRuns: 60 },
    );
  });
});
