import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRowWithMetadataArbitrary, datetimeArbitrary } from '../testing/arbitraries.ts';
import { csvRowToEntity, entityToCsvRow } from './convert.ts';
import { fileNames } from './files.ts';
import { type EntityByFile, entitySchemas } from './schemas.ts';

const baseUrls = fc.constantFrom(
  'https://sis.example/ims/oneroster/v1p1',
  'http://127.0.0.1:3000/ims/oneroster/v1p1/',
  'https://district.example/api/ims/oneroster/v1p1',
);

describe.each(fileNames)('%s: CSV ⇄ JSON round trips', (file) => {
  it('csv → json → csv gives the same row, through a valid entity', () => {
    fc.assert(
      fc.property(csvRowWithMetadataArbitrary(file), baseUrls, (row, baseUrl) => {
        const entity = csvRowToEntity(file, row, { baseUrl });
        expect(entitySchemas[file].parse(entity)).toStrictEqual(entity);
        expect(entityToCsvRow(file, entity)).toStrictEqual(row);
      }),
      { numRuns: 200 },
    );
  });

  it('json → csv → json gives the same entity, which survives JSON text', () => {
    const entities = fc
      .tuple(csvRowWithMetadataArbitrary(file), baseUrls, datetimeArbitrary(), fc.boolean())
      .map(([row, baseUrl, datetime, moveDueDate]) => {
        const entity: EntityByFile[typeof file] = csvRowToEntity(file, row, { baseUrl });
        // JSON can say more than a CSV date: a lineItem due at a time of day.
        if (moveDueDate && 'dueDate' in entity) return { entity: { ...entity, dueDate: datetime }, baseUrl };
        return { entity, baseUrl };
      });
    fc.assert(
      fc.property(entities, ({ entity, baseUrl }) => {
        expect(JSON.parse(JSON.stringify(entity))).toStrictEqual(entity);
        const row = entityToCsvRow(file, entity);
        expect(csvRowToEntity(file, row, { baseUrl })).toStrictEqual(entity);
      }),
      { numRuns: 200 },
    );
  });
});
