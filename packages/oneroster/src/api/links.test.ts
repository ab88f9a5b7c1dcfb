import { describe, expect, it } from 'vitest';
import { pageLinks } from './links.ts';

/** Each link as its own URL with limit and offset set: what pageLinks must produce, character for character. */
function expectedLink(requestUrl: URL, limit: number, offset: number): string {
  const url = new URL(requestUrl);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('offset', String(offset));
  return url.toString();
}

describe('pageLinks', () => {
  const urls = [
    'http://api.test/ims/oneroster/v1p1/users',
    'http://api.test/ims/oneroster/v1p1/users?limit=5',
    'http://api.test/ims/oneroster/v1p1/users?offset=10&limit=5&sort=familyName',
    'http://api.test/ims/oneroster/v1p1/users?filter=familyName%3D%27O%27%27Brien%27&offset=3&offset=4',
    "http://api.test/ims/oneroster/v1p1/users?filter=givenName~'Émile'&fields=sourcedId,givenName",
    'http://api.test/ims/oneroster/v1p1/users?xoffset=%EF%BF%BF&q=a+b&limit=2',
    'http://api.test/ims/oneroster/v1p1/users?offset=%EF%BF%BF&note=%EF%BF%BF#part',
  ];
  it.each(urls)('builds each link as the request URL with limit and offset set: %s', (text) => {
    const requestUrl = new URL(text);
    for (const [limit, offset, total] of [
      [5, 0, 0],
      [5, 0, 12],
      [5, 5, 12],
      [5, 10, 12],
      [5, 20, 12],
      [100, 99_900, 271_930],
    ] as const) {
      const links = pageLinks(requestUrl, limit, offset, total);
      const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
      expect(links.first).toBe(expectedLink(requestUrl, limit, 0));
      expect(links.last).toBe(expectedLink(requestUrl, limit, lastOffset));
      expect(links.prev).toBe(
        offset > 0
          ? expectedLink(requestUrl, limit, Math.max(0, Math.min(offset - limit, lastOffset)))
          : undefined,
      );
      expect(links.next).toBe(
        offset + limit < total ? expectedLink(requestUrl, limit, offset + limit) : undefined,
      );
    }
  });
});
