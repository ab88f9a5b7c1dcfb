import { describe, expect, it } from 'vitest';
import { parseCollectionQuery } from './parse-query.ts';

const parse = (query: string, limits = {}) =>
  parseCollectionQuery('users', new URLSearchParams(query), limits);

describe('parseCollectionQuery', () => {
  it('defaults to limit 100, offset 0, no filter, no sort, all fields', () => {
    expect(parse('')).toEqual({ query: { limit: 100, offset: 0 }, warnings: [] });
  });

  it('lowers a limit above the maximum and refuses non-numeric paging with ONEROSTER_QUERY_INVALID_PAGING', () => {
    expect(parse('limit=5000', { maxLimit: 500 }).query.limit).toBe(500);
    expect(parse('limit=7&offset=20').query).toMatchObject({ limit: 7, offset: 20 });
    for (const bad of ['limit=0', 'limit=ten', 'offset=-1', 'limit=1.5']) {
      expect(() => parse(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ONEROSTER_QUERY_INVALID_PAGING' }),
      );
    }
  });

  it('resolves sort and orderBy; an unknown sort field is a warning, not an error', () => {
    const sorted = parse('sort=familyName&orderBy=desc');
    expect(sorted.query.sort?.field.path).toBe('familyName');
    expect(sorted.query.sort?.direction).toBe('desc');
    const unknown = parse('sort=shoeSize');
    expect(unknown.query.sort).toBeUndefined();
    expect(unknown.warnings).toEqual([
      { codeMinor: 'invalid_sort_field', description: expect.stringContaining('shoeSize') },
    ]);
    expect(parse('sort=grades').warnings[0]?.codeMinor).toBe('invalid_sort_field');
    expect(parse('sort=givenName&orderBy=up').warnings[0]?.codeMinor).toBe('invalid_sort_field');
  });

  it('selects known fields and warns about unknown ones', () => {
    expect(parse('fields=sourcedId, givenName,userIds')).toEqual({
      query: { limit: 100, offset: 0, fields: ['sourcedId', 'givenName', 'userIds'] },
      warnings: [],
    });
    const mixed = parse('fields=sourcedId,shoeSize');
    expect(mixed.query.fields).toEqual(['sourcedId']);
    expect(mixed.warnings[0]).toMatchObject({ codeMinor: 'invalid_selection_field' });
    const allUnknown = parse('fields=shoeSize');
    expect(allUnknown.query.fields).toBeUndefined();
  });

  it('throws invalid_filter_field for a bad filter field', () => {
    expect(() => parse("filter=shoeSize='9'")).toThrowError(
      expect.objectContaining({ code: 'ONEROSTER_FILTER_UNKNOWN_FIELD', specError: 'invalid_filter_field' }),
    );
  });

  it('resolves a filter against the collection', () => {
    const { query } = parse(`filter=${encodeURIComponent("role='student' AND orgs.sourcedId='s1'")}`);
    expect(query.filter?.type).toBe('and');
  });
});
