import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnKind } from '../model/files.ts';
import { isDate, isDatetime, isYear, parseFloatText } from '../model/formats.ts';
import type { OneRosterCsvFindingCode } from './finding-codes.ts';
import {
  gradeCodeOf,
  isStrictDate,
  isStrictDatetime,
  isStrictFloat,
  isStrictList,
  isStrictUserIds,
  isStrictYear,
  normalizeValue,
} from './normalize.ts';

const kinds = {
  id: { type: 'id' },
  string: { type: 'string' },
  classType: { type: 'enum', vocabulary: 'classType' },
  scoreStatus: { type: 'enum', vocabulary: 'scoreStatus' },
  status: { type: 'status' },
  modified: { type: 'dateLastModified' },
  date: { type: 'date' },
  boolean: { type: 'boolean' },
  float: { type: 'float' },
  year: { type: 'year' },
  list: { type: 'list' },
  grades: { type: 'grades' },
  userIds: { type: 'userIds' },
  ref: { type: 'ref', target: 'orgs' },
  refs: { type: 'ref', target: 'orgs', many: true },
} as const satisfies Record<string, ColumnKind>;

type Case = [kind: keyof typeof kinds, raw: string, value: string, codes: OneRosterCsvFindingCode[]];

const strict: Array<[keyof typeof kinds, string]> = [
  ['id', 'u-1'],
  ['string', '  kept as written  '],
  ['classType', 'scheduled'],
  ['scoreStatus', 'fully graded'],
  ['status', 'tobedeleted'],
  ['modified', '2026-01-02T03:04:05Z'],
  ['modified', '2026-01-02T03:04:05.123Z'],
  ['date', '2024-02-29'],
  ['boolean', 'false'],
  ['float', '-12.50'],
  ['year', '2027'],
  ['list', 'Math,Science'],
  ['grades', '09,10,KG,Other'],
  ['userIds', '{LDAP:12},{SIS:ab:c}'],
  ['ref', 's1'],
  ['refs', 's1,d1'],
];

const normalized: Case[] = [
  ['id', ' u-1 ', 'u-1', ['ONEROSTER_CSV_VALUE_TRIMMED']],
  ['classType', 'Scheduled', 'scheduled', ['ONEROSTER_CSV_CASE_NORMALIZED']],
  ['scoreStatus', 'Fully Graded', 'fully graded', ['ONEROSTER_CSV_CASE_NORMALIZED']],
  ['classType', ' homeroom', 'homeroom', ['ONEROSTER_CSV_VALUE_TRIMMED']],
  ['status', 'inactive', 'tobedeleted', ['ONEROSTER_CSV_STATUS_INACTIVE']],
  ['status', 'Active', 'active', ['ONEROSTER_CSV_CASE_NORMALIZED']],
  ['boolean', 'TRUE', 'true', ['ONEROSTER_CSV_CASE_NORMALIZED']],
  ['boolean', 'False', 'false', ['ONEROSTER_CSV_CASE_NORMALIZED']],
  ['modified', '2026-01-02', '2026-01-02T00:00:00.000Z', ['ONEROSTER_CSV_DATETIME_DATE_ONLY']],
  [
    'modified',
    '2026-01-02T03:04:05+02:00',
    '2026-01-02T01:04:05.000Z',
    ['ONEROSTER_CSV_DATETIME_NORMALIZED'],
  ],
  ['modified', '2026-01-02 03:04:05Z', '2026-01-02T03:04:05.000Z', ['ONEROSTER_CSV_DATETIME_NORMALIZED']],
  ['modified', '2026-01-02T23:30-0100', '2026-01-03T00:30:00.000Z', ['ONEROSTER_CSV_DATETIME_NORMALIZED']],
  ['date', '2026-3-4', '2026-03-04', ['ONEROSTER_CSV_DATE_NORMALIZED']],
  ['date', '2026/03/04', '2026-03-04', ['ONEROSTER_CSV_DATE_NORMALIZED']],
  ['float', '+5', '5', ['ONEROSTER_CSV_FLOAT_NORMALIZED']],
  ['float', '.5', '0.5', ['ONEROSTER_CSV_FLOAT_NORMALIZED']],
  ['float', '1e2', '100', ['ONEROSTER_CSV_FLOAT_NORMALIZED']],
  ['float', ' 7 ', '7', ['ONEROSTER_CSV_VALUE_TRIMMED']],
  ['list', 'Math, Science,', 'Math,Science', ['ONEROSTER_CSV_LIST_NORMALIZED']],
  ['grades', '9', '09', ['ONEROSTER_CSV_GRADE_NORMALIZED']],
  ['grades', 'K', 'KG', ['ONEROSTER_CSV_GRADE_NORMALIZED']],
  [
    'grades',
    'pk, 1',
    'PK,01',
    ['ONEROSTER_CSV_LIST_NORMALIZED', 'ONEROSTER_CSV_GRADE_NORMALIZED', 'ONEROSTER_CSV_GRADE_NORMALIZED'],
  ],
  ['grades', 'Adult', 'Adult', ['ONEROSTER_CSV_GRADE_EXTENSION']],
  [
    'userIds',
    '{LDAP: 12}, {SIS:3}',
    '{LDAP:12},{SIS:3}',
    ['ONEROSTER_CSV_LIST_NORMALIZED', 'ONEROSTER_CSV_VALUE_TRIMMED'],
  ],
  ['ref', 's1 ', 's1', ['ONEROSTER_CSV_VALUE_TRIMMED']],
  ['refs', 's1, d1', 's1,d1', ['ONEROSTER_CSV_LIST_NORMALIZED']],
  ['refs', ' ', '', ['ONEROSTER_CSV_LIST_NORMALIZED']],
];

const refused: Case[] = [
  ['classType', 'online', 'online', ['ONEROSTER_CSV_ENUM_INVALID']],
  ['status', 'deleted', 'deleted', ['ONEROSTER_CSV_ENUM_INVALID']],
  ['boolean', 'yes', 'yes', ['ONEROSTER_CSV_BOOLEAN_INVALID']],
  ['boolean', '1', '1', ['ONEROSTER_CSV_BOOLEAN_INVALID']],
  ['date', '03/04/2026', '03/04/2026', ['ONEROSTER_CSV_DATE_INVALID']],
  ['date', '2026-02-30', '2026-02-30', ['ONEROSTER_CSV_DATE_INVALID']],
  ['modified', '2026-01-02T03:04:05', '2026-01-02T03:04:05', ['ONEROSTER_CSV_DATETIME_INVALID']],
  ['modified', '01/02/2026 10:00', '01/02/2026 10:00', ['ONEROSTER_CSV_DATETIME_INVALID']],
  ['float', '12,5', '12,5', ['ONEROSTER_CSV_FLOAT_INVALID']],
  ['float', 'A+', 'A+', ['ONEROSTER_CSV_FLOAT_INVALID']],
  ['year', '26', '26', ['ONEROSTER_CSV_YEAR_INVALID']],
  ['year', '2026-2027', '2026-2027', ['ONEROSTER_CSV_YEAR_INVALID']],
  ['userIds', 'LDAP:12', 'LDAP:12', ['ONEROSTER_CSV_USER_ID_INVALID']],
  ['userIds', '{:12}', '{:12}', ['ONEROSTER_CSV_USER_ID_INVALID']],
  ['userIds', '{LDAP:}', '{LDAP:}', ['ONEROSTER_CSV_USER_ID_INVALID']],
];

describe('normalizeValue', () => {
  it.each(strict)('keeps the strict %s value %j without a finding', (kind, raw) => {
    expect(normalizeValue(kinds[kind], raw)).toBeUndefined();
  });

  it.each(normalized)('normalizes the %s value %j to %j with a warning', (kind, raw, value, codes) => {
    const outcome = normalizeValue(kinds[kind], raw);
    expect(outcome?.value).toBe(value);
    expect(outcome?.findings.map((finding) => finding.code)).toEqual(codes);
  });

  it.each(refused)('refuses the %s value %j, keeping it, with an error', (kind, raw, value, codes) => {
    const outcome = normalizeValue(kinds[kind], raw);
    expect(outcome?.value).toBe(value);
    expect(outcome?.findings.map((finding) => finding.code)).toEqual(codes);
  });

  it('normalizes to values that are strict on a second read (idempotent)', () => {
    for (const [kind, raw] of normalized) {
      const once = normalizeValue(kinds[kind], raw);
      const value = once?.value ?? raw;
      if (value === '' || once?.findings.some((finding) => finding.code === 'ONEROSTER_CSV_GRADE_EXTENSION'))
        continue;
      expect(normalizeValue(kinds[kind], value), `${kind} ${raw}`).toBeUndefined();
    }
  });
});

describe('strict checks agree with the strict text rules of model/formats.ts', () => {
  const digitsAndPunctuation = (characters: string, maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...characters), maxLength });

  it('dates', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^(19|20)\d\d-[01]\d-[0-3]\d$/), digitsAndPunctuation('0123456789-', 12)),
        // formats.isDate goes through Date.UTC, which reads years 0000-0099 as 1900-1999: leave those out.
        (text) => text.startsWith('00') || isStrictDate(text) === isDate(text),
      ),
      { numRuns: 2000 },
    );
  });

  it('datetimes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-6]\d:[0-6]\d(\.\d{1,4})?Z$/),
          digitsAndPunctuation('0123456789-:.TZ', 26),
        ),
        (text) => isStrictDatetime(text) === isDatetime(text),
      ),
      { numRuns: 2000 },
    );
  });

  it('years and floats', () => {
    fc.assert(
      fc.property(digitsAndPunctuation('0123456789-.+e', 8), (text) => {
        expect(isStrictYear(text)).toBe(isYear(text));
        expect(isStrictFloat(text)).toBe(parseFloatText(text) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('list checks', () => {
  it('accepts lists with no empty item and no spaces around items', () => {
    expect(isStrictList('')).toBe(true);
    expect(isStrictList('a')).toBe(true);
    expect(isStrictList('a,b c,d')).toBe(true);
    for (const sloppy of ['a,', ',a', 'a,,b', 'a, b', 'a ,b', ' a', 'a '])
      expect(isStrictList(sloppy)).toBe(false);
  });

  it('accepts userIds items only as {type:identifier}', () => {
    expect(isStrictUserIds('{LDAP:12}')).toBe(true);
    expect(isStrictUserIds('{LDAP:12},{SIS:x:y}')).toBe(true);
    expect(isStrictUserIds('')).toBe(true);
    for (const sloppy of ['{LDAP:12},', '{LDAP12}', '{:1}', '{a:}', '{a:1}x', '{ a:1}', '{a:1},{b:{2}}']) {
      expect(isStrictUserIds(sloppy), sloppy).toBe(false);
    }
  });

  it('maps sloppy grades to CEDS codes', () => {
    expect(gradeCodeOf('9')).toBe('09');
    expect(gradeCodeOf('k')).toBe('KG');
    expect(gradeCodeOf('other')).toBe('Other');
    expect(gradeCodeOf('0')).toBeUndefined();
    expect(gradeCodeOf('14')).toBeUndefined();
  });
});
