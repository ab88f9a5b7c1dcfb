/**
 * Paging headers: `X-Total-Count` and an RFC 8288 `Link` header with `first`, `last`, and `prev` / `next` when there
 * is such a page. Each link is the request's own URL with `offset` (and `limit`) set, other parameters kept.
 */

export interface PageLinks {
  first: string;
  last: string;
  prev?: string;
  next?: string;
}

/** A value no request can hold in `offset` after `set` (it serializes as `%EF%BF%BF`, replaced by each offset). */
const offsetMarker = '\uFFFF';
const markerPattern = /[?&]offset=(%EF%BF%BF)(?=[&#]|$)/;

export function pageLinks(requestUrl: URL, limit: number, offset: number, total: number): PageLinks {
  // The request's URL with limit and offset set is serialized once; each link puts its offset in the marker's place.
  const url = new URL(requestUrl);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('offset', offsetMarker);
  const template = url.toString();
  const marker = markerPattern.exec(template);
  if (marker === null) throw new Error(`links: no offset in ${template}`);
  const start = marker.index + marker[0].length - (marker[1]?.length ?? 0);
  const head = template.slice(0, start);
  const tail = template.slice(marker.index + marker[0].length);
  const at = (pageOffset: number) => `${head}${pageOffset}${tail}`;
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: PageLinks = { first: at(0), last: at(lastOffset) };
  if (offset > 0) links.prev = at(Math.max(0, Math.min(offset - limit, lastOffset)));
  if (offset + limit < total) links.next = at(offset + limit);
  return links;
}

/** `<url>; rel="next", <url>; rel="last", ...` */
export function formatLinkHeader(links: PageLinks): string {
  return (['next', 'prev', 'first', 'last'] as const)
    .filter((rel) => links[rel] !== undefined)
    .map((rel) => `<${links[rel]}>; rel="${rel}"`)
    .join(', ');
}

/** Parses an RFC 8288 Link header into its relations (the client follows `next`). */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const relations: Record<string, string> = {};
  if (header === null) return relations;
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (const match of header.matchAll(pattern)) {
    const [, url = '', params = ''] = match;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (rel === undefined) continue;
    for (const name of rel.trim().split(/\s+/)) relations[name.toLowerCase()] = url;
  }
  return relations;
}
