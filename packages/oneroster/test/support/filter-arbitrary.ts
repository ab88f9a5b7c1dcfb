/**
 * Generated filters over the fixture's users: fields of every kind (text, enumeration, boolean, datetime, list,
 * GUIDRef paths), every operator, one to four predicates joined by AND or by OR, and values drawn mostly from the
 * data (so predicates match) and sometimes arbitrary text with quotes, operators and non-ASCII letters.
 */
import fc from 'fast-check';
import type { FilterExpression, FilterOperator, FilterPredicate } from '../../src/filter/ast.ts';

export const userFilterFields = [
  'sourcedId',
  'status',
  'dateLastModified',
  'username',
  'enabledUser',
  'givenName',
  'familyName',
  'middleName',
  'role',
  'identifier',
  'email',
  'grades',
  'orgs.sourcedId',
  'agents.sourcedId',
] as const;

const operators: readonly FilterOperator[] = ['=', '!=', '>', '>=', '<', '<=', '~'];

function valuesOf(users: readonly Record<string, unknown>[], path: string): string[] {
  const values = new Set<string>();
  for (const user of users) {
    const [property = '', sub] = path.split('.');
    const value = user[property];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const item of items) {
      const text = sub === undefined ? item : (item as Record<string, unknown>)[sub];
      if (text !== undefined) values.add(String(text));
    }
  }
  return [...values];
}

export function filterArbitrary(users: readonly Record<string, unknown>[]): fc.Arbitrary<FilterExpression> {
  const noise = fc.string({ unit: fc.constantFrom(...`aAzZ09 '"=<>~!.,-_éß漢`), maxLength: 6 });
  const predicate = fc.constantFrom(...userFilterFields).chain((field): fc.Arbitrary<FilterPredicate> => {
    const known = valuesOf(users, field);
    let value: fc.Arbitrary<string>;
    let allowed = operators;
    if (field === 'enabledUser') {
      value = fc.constantFrom('true', 'false');
      allowed = operators.filter((operator) => operator !== '~');
    } else if (field === 'dateLastModified') {
      value = fc.oneof(
        fc.constantFrom(...known, '2026-03-01T10:00:00.000Z'),
        fc
          .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) })
          .map((ms) => new Date(ms).toISOString()),
        fc.constantFrom('2026-03-01', '2026-03-01T10:00:00Z', '2026-03-01T11:00:00+01:00'),
      );
    } else {
      const fromData = known.length === 0 ? noise : fc.constantFrom(...known);
      value = fc.oneof(
        { weight: 3, arbitrary: fromData },
        {
          weight: 1,
          arbitrary: fromData.map((text) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
        },
        { weight: 1, arbitrary: noise },
      );
    }
    return fc.record({
      type: fc.constant('predicate' as const),
      field: fc.constant(field),
      operator: fc.constantFrom(...allowed),
      value,
    });
  });
  return fc.oneof(
    predicate,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      operands: fc.array(predicate, { minLength: 2, maxLength: 4 }),
    }),
  );
}
