/** RFC 8288 `Link` headers, as AGS and NRPS use them for paging (`next`, `prev`, `first`, `last`, `differences`). */

export function parseLinkHeader(header: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (header === null) return links;
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (const match of header.matchAll(pattern)) {
    const url = match[1] ?? '';
    const parameters = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(parameters)?.[1];
    if (rel === undefined) continue;
    for (const name of rel.trim().split(/\s+/)) if (!links.has(name)) links.set(name.toLowerCase(), url);
  }
  return links;
}

export function formatLinkHeader(links: ReadonlyArray<readonly [rel: string, url: string]>): string {
  return links.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', ');
}
