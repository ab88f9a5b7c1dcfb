import { describe, expect, it } from 'vitest';
import { parseFilter } from '../filter/parse-filter.ts';
import { and, contains, eq, filterText, ge, gt, le, lt, ne, or } from './filter-builder.ts';

describe('filter builder', () => {
  it('writes each operator and escapes quotes so the server reads back the same values', () => {
    const built = and(
      eq('familyName', "O'Brien"),
      ne('role', 'teacher'),
      gt('dateLastModified', new Date('2026-01-02T03:04:05.000Z')),
      ge('score', 2.5),
      lt('enabledUser', true),
      le('title', "' OR sourcedId!='"),
      contains('givenName', "''"),
    );
    const text = filterText(built);
    expect(text).toBe(
      "familyName='O''Brien' AND role!='teacher' AND dateLastModified>'2026-01-02T03:04:05.000Z' AND score>='2.5' " +
        "AND enabledUser<'true' AND title<=''' OR sourcedId!=''' AND givenName~''''''",
    );
    expect(parseFilter(text)).toEqual(built);
    expect(filterText(or(eq('a', '1'), eq('b', '2')))).toBe("a='1' OR b='2'");
    expect(filterText(and(eq('a', '1')))).toBe("a='1'");
  });

  it('refuses a field name a filter cannot hold', () => {
    expect(() => eq("x' OR y", '1')).toThrow(RangeError);
    expect(() => eq('', '1')).toThrow(RangeError);
  });
});
