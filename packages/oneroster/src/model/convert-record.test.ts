/**
 * `csvRecordConverter` (the import's conversion, straight from a record's fields) must give exactly what
 * `csvRowToEntity` gives for the row the reader builds from the same fields (`rowOf`): same entity, same key order,
 * same error, for any layout a header can have (columns reordered or missing, extension columns, a repeated one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowOf } from '../csv/read.ts';
import { csvRowWithMetadataArbitrary } from '../testing/arbitraries.ts';
import { csvRecordConverter, csvRowToEntity } from './convert.ts';
import { fileNames, fileSpecs } from './files.ts';

const baseUrls = fc.constantFrom('', 'https://sis.example/ims/oneroster/v1p1', 'http://127.0.0.1:3000/v1p1/');

/** What a conversion gave: the entity as JSON (key order included), or the error's code and message. */
function outcome(convert: () => unknown): string {
  try {
    return `entity ${JSON.stringify(convert())}`;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return `error ${code} ${message}`;
  }
}

describe.each(fileNames)('%s: converting a record from its fields', (file) => {
  it('gives what csvRowToEntity gives for the row built from the same fields, in any layout', () => {
    const cases = fc.record({
      row: csvRowWithMetadataArbitrary(file),
      baseUrl: baseUrls,
      // Per column: kept or dropped (a missing column reads blank), and its cell kept, blanked or spoiled.
      dropped: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      cells: fc.array(fc.constantFrom('keep', 'keep', 'keep', 'blank', 'spoil'), {
        minLength: 40,
        maxLength: 40,
      }),
      order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      repeatMetadata: fc.boolean(),
    });
    fc.assert(
      fc.property(cases, ({ row, baseUrl, dropped, cells, order, repeatMetadata }) => {
        const specNames = fileSpecs[file].map((column) => column.name);
        const metadataNames = Object.keys(row).filter((column) => !specNames.includes(column));
        const present = Object.keys(row).filter(
          (column, index) => metadataNames.includes(column) || !dropped[index],
        );
        if (repeatMetadata && metadataNames[0] !== undefined) present.push(metadataNames[0]);
        // The file's fields in a shuffled order, one spare field the layout does not name.
        const positions = present
          .map((column, index) => ({ column, index, rank: order[index] ?? 0 }))
          .sort((left, right) => left.rank - right.rank || left.index - right.index);
        const fields: string[] = ['spare'];
        const fieldOf = new Map<number, number>();
        positions.forEach(({ column, index }) => {
          const cell = cells[index] === 'blank' ? '' : cells[index] === 'spoil' ? 'x,{' : (row[column] ?? '');
          fieldOf.set(index, fields.length);
          fields.push(cell);
        });
        const metadataColumns = present.filter((column) => metadataNames.includes(column));
        const columns = [...specNames, ...metadataColumns];
        const indexes = columns.map((column, position) => {
          if (position >= specNames.length) {
            // The n-th metadata column of the layout is the n-th present one.
            let seen = -1;
            const wanted = position - specNames.length;
            for (let index = 0; index < present.length; index++) {
              if (!metadataNames.includes(present[index] ?? '')) continue;
              seen++;
              if (seen === wanted) return fieldOf.get(index) ?? -1;
            }
            return -1;
          }
          const index = present.indexOf(column);
          return index < 0 ? -1 : (fieldOf.get(index) ?? -1);
        });
        const layout = { columns, indexes };
        const convert = csvRecordConverter(file, layout, { baseUrl });
        expect(outcome(() => convert(fields))).toBe(
          outcome(() =>
            csvRowToEntity(file, rowOf({ file, columns, indexes, width: fields.length }, fields), {
              baseUrl,
            }),
          ),
        );
      }),
      { numRuns: 150 },
    );
  });
});
