import { describe, expect, it } from 'vitest';
import { compareEntities, compareText, matchesFilter } from './evaluate.ts';
import { parseFilter } from './parse-filter.ts';
import { parseFilterInstant, resolveFilter } from './resolve-filter.ts';

const users = [
  {
    sourcedId: 'u1',
    status: 'active',
    dateLastModified: '2026-01-02T00:00:00.000Z',
    givenName: 'Ann',
    familyName: "O'Brien",
    role: 'student',
    enabledUser: true,
    orgs: [{ href: '', sourcedId: 's1', type: 'org' }],
    grades: ['09'],
    metadata: { house: 'red' },
  },
  {
    sourcedId: 'u2',
    status: 'tobedeleted',
    dateLastModified: '2026-02-01T12:00:00.000Z',
    givenName: 'Bob',
    familyName: 'Jones',
    role: 'teacher',
    enabledUser: false,
    orgs: [
      { href: '', sourcedId: 's1', type: 'org' },
      { href: '', sourcedId: 's2', type: 'org' },
    ],
  },
  {
    sourcedId: 'u3',
    givenName: 'Émile',
    familyName: 'jones',
    role: 'student',
    enabledUser: true,
    orgs: [{ href: '', sourcedId: 's2', type: 'org' }],
    grades: ['10', '11'],
  },
];

function select(filter: string): string[] {
  const resolved = resolveFilter('users', parseFilter(filter));
  return users.filter((user) => matchesFilter(user, resolved)).map((user) => user.sourcedId);
}

describe('matchesFilter', () => {
  it('compares text exactly and case-sensitively', () => {
    expect(select("familyName='Jones'")).toEqual(['u2']);
    expect(select("familyName~'ones'")).toEqual(['u2', 'u3']);
    expect(select("familyName~'ONES'")).toEqual([]);
    expect(select("familyName='O''Brien'")).toEqual(['u1']);
  });

  it('orders text by code point (uppercase before lowercase, accents after ASCII)', () => {
    expect(select("familyName<'K'")).toEqual(['u2']);
    expect(select("givenName>'Z'")).toEqual(['u3']);
  });

  it('compares datetimes as instants, whatever their spelling', () => {
    expect(select("dateLastModified>'2026-01-02T00:00:00Z'")).toEqual(['u2']);
    expect(select("dateLastModified>='2026-01-02'")).toEqual(['u1', 'u2']);
    expect(select("dateLastModified='2026-01-02T01:00:00+01:00'")).toEqual(['u1']);
  });

  it('lets an absent value satisfy only !=', () => {
    expect(select("status!='active'")).toEqual(['u2', 'u3']);
    expect(select("status<'z'")).toEqual(['u1', 'u2']);
    expect(select("metadata.house='red'")).toEqual(['u1']);
    expect(select("metadata.house!='red'")).toEqual(['u2', 'u3']);
  });

  it('matches list fields on any item, and != when no item equals', () => {
    expect(select("orgs.sourcedId='s1'")).toEqual(['u1', 'u2']);
    expect(select("orgs.sourcedId!='s1'")).toEqual(['u3']);
    expect(select("grades>'10'")).toEqual(['u3']);
    expect(select("grades!='09'")).toEqual(['u2', 'u3']);
  });

  it('compares booleans as true/false', () => {
    expect(select("enabledUser='true'")).toEqual(['u1', 'u3']);
    expect(select("enabledUser!='TRUE'")).toEqual(['u2']);
  });

  it('joins any number of predicates with AND or OR', () => {
    expect(select("role='student' AND enabledUser='true' AND grades='10'")).toEqual(['u3']);
    expect(select("givenName='Ann' OR givenName='Bob' OR givenName='Nobody'")).toEqual(['u1', 'u2']);
  });
});

describe('resolveFilter', () => {
  function codeOf(filter: string, file: 'users' | 'results' = 'users'): string | undefined {
    try {
      resolveFilter(file, parseFilter(filter));
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return undefined;
  }

  it('refuses fields the collection does not have, naming the reference form', () => {
    expect(codeOf("shoeSize='9'")).toBe('ONEROSTER_FILTER_UNKNOWN_FIELD');
    expect(codeOf("userIds='x'")).toBe('ONEROSTER_FILTER_UNKNOWN_FIELD');
    try {
      resolveFilter('users', parseFilter("orgs='s1'"));
    } catch (error) {
      expect((error as Error).message).toContain('orgs.sourcedId');
      expect((error as { specError: string }).specError).toBe('invalid_filter_field');
    }
  });

  it('refuses values that do not fit the field', () => {
    expect(codeOf("score>'high'", 'results')).toBe('ONEROSTER_FILTER_INVALID_VALUE');
    expect(codeOf("dateLastModified>'yesterday'")).toBe('ONEROSTER_FILTER_INVALID_VALUE');
    expect(codeOf("enabledUser='yes'")).toBe('ONEROSTER_FILTER_INVALID_VALUE');
    expect(codeOf("score~'1'", 'results')).toBe('ONEROSTER_FILTER_UNSUPPORTED_OPERATOR');
    expect(codeOf("score>='-1.5e2'", 'results')).toBeUndefined();
  });

  it('parses filter instants leniently but exactly', () => {
    expect(parseFilterInstant('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(parseFilterInstant('2026-01-02T03:04')).toBe(Date.UTC(2026, 0, 2, 3, 4));
    expect(parseFilterInstant('2026-01-02T03:04:05.123456Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 123));
    expect(parseFilterInstant('2026-01-02T03:04:05-0200')).toBe(Date.UTC(2026, 0, 2, 5, 4, 5));
    expect(parseFilterInstant('2026-13-02')).toBeUndefined();
    expect(parseFilterInstant('02/01/2026')).toBeUndefined();
  });
});

describe('compareEntities', () => {
  it('sorts by a field with absent values last ascending and first descending, ties by sourcedId', () => {
    const field = resolveFilter('users', parseFilter("status='x'"));
    if (field.type !== 'predicate') throw new Error('expected a predicate');
    const ascending = [...users].sort(compareEntities({ field: field.field, direction: 'asc' }));
    expect(ascending.map((user) => user.sourcedId)).toEqual(['u1', 'u2', 'u3']);
    const descending = [...users].sort(compareEntities({ field: field.field, direction: 'desc' }));
    expect(descending.map((user) => user.sourcedId)).toEqual(['u3', 'u2', 'u1']);
    expect(
      [...users]
        .reverse()
        .sort(compareEntities(undefined))
        .map((user) => user.sourcedId),
    ).toEqual(['u1', 'u2', 'u3']);
  });

  it('compares text by code point, astral characters after the rest of the BMP', () => {
    expect(compareText('a', 'b')).toBe(-1);
    expect(compareText('Z', 'a')).toBe(-1);
    expect(compareText('ab', 'a')).toBe(1);
    expect(compareText('\u{1F600}', '\uFFFD')).toBe(1);
    expect(compareText('', '')).toBe(0);
  });
});
