import { CourseraError } from '../../errors/coursera-error.ts';
import type { CollectionPage } from './collection.ts';

export interface CrawlOptions<Element> {
  /** Identifies an element, so one seen on an earlier page (or before a restart) is yielded once. */
  keyOf: (element: Element) => string;
  /** Restarts from the first page when `total` changes mid-crawl, at most this many times (default 2). */
  maxRestarts?: number;
  /** Empty pages that do not advance `start` tolerated in a row (default 3). */
  maxStalls?: number;
  /** Pages in one crawl before giving up (default 100 000). */
  maxPages?: number;
  what: string;
}

/**
 * Follows `paging.next` until the last page, yielding each page's new elements. Offset paging over a collection
 * that changes skips or repeats elements: when `total` changes mid-crawl the crawl restarts from the first page
 * (bounded), and elements already yielded are not yielded again. An empty page is followed, not taken as the end,
 * unless paging stops advancing.
 */
export async function* crawl<Element>(
  fetchPage: (start: string | undefined) => Promise<CollectionPage<Element>>,
  options: CrawlOptions<Element>,
): AsyncGenerator<Element[]> {
  const maxRestarts = options.maxRestarts ?? 2;
  const maxStalls = options.maxStalls ?? 3;
  const maxPages = options.maxPages ?? 100_000;
  const seen = new Set<string>();
  let restarts = 0;
  let pages = 0;
  let start: string | undefined;
  let firstTotal: number | undefined;
  let stalls = 0;
  while (true) {
    if (++pages > maxPages) throw stalled(options.what, `more than ${maxPages} pages`);
    const page = await fetchPage(start);
    if (start === undefined) firstTotal = page.total;
    else if (
      page.total !== undefined &&
      firstTotal !== undefined &&
      page.total !== firstTotal &&
      restarts < maxRestarts
    ) {
      restarts++;
      start = undefined;
      stalls = 0;
      continue;
    }
    const fresh: Element[] = [];
    for (const element of page.elements) {
      const key = options.keyOf(element);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(element);
    }
    if (fresh.length > 0) yield fresh;
    if (page.next === undefined) return;
    const advances =
      page.next !== start && !(isOffset(page.next) && isOffset(start) && Number(page.next) < Number(start));
    if (advances) stalls = 0;
    else if (page.elements.length > 0) throw stalled(options.what, `next page ${page.next} after ${start}`);
    else if (++stalls > maxStalls) throw stalled(options.what, `${stalls} empty pages in a row`);
    start = page.next;
  }
}

function isOffset(value: string | undefined): value is string {
  return value !== undefined && /^\d+$/.test(value);
}

function stalled(what: string, why: string): CourseraError {
  return new CourseraError('COURSERA_BAD_RESPONSE', `Paging of ${what} does not advance (${why})`, {
    detail: { why },
  });
}
