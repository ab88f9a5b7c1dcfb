import { describe, expect, it } from 'vitest';
import {
  formatUserIds,
  joinList,
  listItemProblem,
  parseUserIdItem,
  parseUserIds,
  splitList,
  userIdProblem,
} from './multivalue.ts';

describe('comma-separated lists', () => {
  it('splits a cell into its items, a blank cell into none', () => {
    expect(splitList('')).toEqual([]);
    expect(splitList('09')).toEqual(['09']);
    expect(splitList('09,10,KG')).toEqual(['09', '10', 'KG']);
  });

  it('keeps items as written so the validator can report them', () => {
    expect(splitList('a,,b')).toEqual(['a', '', 'b']);
    expect(splitList('a, b')).toEqual(['a', ' b']);
  });

  it('joins items, refusing the ones that would not read back', () => {
    expect(joinList(['09', '10'])).toBe('09,10');
    expect(joinList([])).toBe('');
    expect(() => joinList(['Math, Advanced'])).toThrow(RangeError);
    expect(() => joinList([''])).toThrow(/empty/);
    expect(() => joinList([' Art'])).toThrow(/surrounding-whitespace/);
  });

  it('names the problem of an item', () => {
    expect(listItemProblem('Social Studies')).toBeUndefined();
    expect(listItemProblem('')).toBe('empty');
    expect(listItemProblem('a,b')).toBe('comma');
    expect(listItemProblem('a ')).toBe('surrounding-whitespace');
  });
});

describe('userIds items', () => {
  it('reads {type:identifier} items, splitting at the first colon', () => {
    expect(parseUserIdItem('{LDAP:12}')).toEqual({ type: 'LDAP', identifier: '12' });
    expect(parseUserIdItem('{Fed:urn:x:1}')).toEqual({ type: 'Fed', identifier: 'urn:x:1' });
    expect(parseUserIdItem('LDAP:12')).toBeUndefined();
    expect(parseUserIdItem('{LDAP}')).toBeUndefined();
  });

  it('reads and writes a whole cell', () => {
    const userIds = [
      { type: 'LDAP', identifier: '12' },
      { type: 'SIS', identifier: 'a{b}' },
    ];
    expect(parseUserIds('{LDAP:12},{SIS:a{b}}')).toEqual(userIds);
    expect(formatUserIds(userIds)).toBe('{LDAP:12},{SIS:a{b}}');
    expect(parseUserIds('')).toEqual([]);
    expect(parseUserIds('{LDAP:12},SIS')).toBeUndefined();
  });

  it('refuses identifiers that would not read back', () => {
    expect(userIdProblem({ type: 'a:b', identifier: '1' })).toBe('colon-in-type');
    expect(userIdProblem({ type: 'LDAP', identifier: '1,2' })).toBe('comma');
    expect(userIdProblem({ type: '', identifier: '1' })).toBe('empty-type');
    expect(userIdProblem({ type: 'LDAP', identifier: '' })).toBe('empty-identifier');
    expect(userIdProblem({ type: 'LDAP', identifier: ' 1' })).toBe('surrounding-whitespace');
    expect(() => formatUserIds([{ type: 'LDAP', identifier: '1,2' }])).toThrow(RangeError);
  });
});
