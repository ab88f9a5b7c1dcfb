import { describe, expect, it } from 'vitest';
import { formatLinkHeader, parseLinkHeader } from './link-header.ts';

describe('Link header', () => {
  it('parses several relations, quoted or not, with commas inside URLs', () => {
    const links = parseLinkHeader(
      '<https://lms.example/lineitems?page=2&a=1,2>; rel="next", <https://lms.example/lineitems?page=1>; rel=first, <https://lms.example/m?since=1>; rel="differences"',
    );
    expect(links.get('next')).toBe('https://lms.example/lineitems?page=2&a=1,2');
    expect(links.get('first')).toBe('https://lms.example/lineitems?page=1');
    expect(links.get('differences')).toBe('https://lms.example/m?since=1');
    expect(parseLinkHeader(null).size).toBe(0);
  });

  it('round-trips what it formats', () => {
    const header = formatLinkHeader([
      ['next', 'https://a/b?c=1'],
      ['last', 'https://a/b?c=9'],
    ]);
    expect(Object.fromEntries(parseLinkHeader(header))).toEqual({
      next: 'https://a/b?c=1',
      last: 'https://a/b?c=9',
    });
  });
});
