/**
 * Appends a path segment to a service URL before its query string. Canvas and Moodle line item URLs carry a query
 * (`…/lineitem?type_id=2`): the scores URL is `…/lineitem/scores?type_id=2`, never `…?type_id=2/scores`.
 */
export function appendPath(url: string, segment: string): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/\/$/, '')}/${segment.replace(/^\//, '')}`;
  return parsed.href;
}

/** Adds query parameters, keeping the ones the URL already has. */
export function withQuery(
  url: string,
  parameters: Readonly<Record<string, string | number | undefined>>,
): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined) parsed.searchParams.set(name, String(value));
  return parsed.href;
}
