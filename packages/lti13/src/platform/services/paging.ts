import { formatLinkHeader } from '../../http/link-header.ts';

/** Offset paging with `limit` and `page` query parameters and a `Link` header (`first`, `prev`, `next`, `last`). */
export function paginate<T>(
  items: readonly T[],
  url: URL,
  defaultLimit: number,
): { page: T[]; link: string | undefined } {
  const requested = Number.parseInt(url.searchParams.get('limit') ?? '', 10);
  const limit = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 1000) : defaultLimit;
  const pageNumber = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const start = (pageNumber - 1) * limit;
  const lastPage = Math.max(1, Math.ceil(items.length / limit));
  const pageUrl = (number: number) => {
    const copy = new URL(url);
    copy.searchParams.set('page', String(number));
    copy.searchParams.set('limit', String(limit));
    return copy.href;
  };
  const links: Array<[string, string]> = [['first', pageUrl(1)]];
  if (pageNumber > 1) links.push(['prev', pageUrl(pageNumber - 1)]);
  if (pageNumber < lastPage) links.push(['next', pageUrl(pageNumber + 1)]);
  links.push(['last', pageUrl(lastPage)]);
  return {
    page: items.slice(start, start + limit),
    link: items.length > limit ? formatLinkHeader(links) : undefined,
  };
}
