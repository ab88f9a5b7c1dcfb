import { describe, expect, it } from 'vitest';
import type { CollectionPage } from './collection.ts';
import { crawl } from './crawl.ts';

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of iterable) all.push(...page);
  return all;
}

/** Offset paging over a list that the test may change between pages. */
function offsetPaging(list: string[], limit: number, beforePage?: (start: number) => void) {
  const starts: (string | undefined)[] = [];
  const fetchPage = async (start: string | undefined): Promise<CollectionPage<string>> => {
    starts.push(start);
    const offset = Number(start ?? 0);
    beforePage?.(offset);
    const elements = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? String(offset + limit) : undefined;
    return { elements, next, total: list.length };
  };
  return { fetchPage, starts };
}

describe('crawl', () => {
  it('follows paging.next to the last page', async () => {
    const list = ['a', 'b', 'c', 'd', 'e'];
    const paging = offsetPaging(list, 2);
    expect(await collect(crawl(paging.fetchPage, { keyOf: (x) => x, what: 'letters' }))).toEqual(list);
    expect(paging.starts).toEqual([undefined, '2', '4']);
  });

  it('restarts when total changes mid-crawl and yields every element exactly once', async () => {
    const list = ['c', 'd', 'e', 'f'];
    let inserted = false;
    const paging = offsetPaging(list, 2, (offset) => {
      if (offset === 2 && !inserted) {
        inserted = true;
        list.unshift('b'); // a new element before the offset: naive offset paging would repeat 'd'
      }
    });
    const seen = await collect(crawl(paging.fetchPage, { keyOf: (x) => x, what: 'letters' }));
    expect(seen.sort()).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(paging.starts[2]).toBeUndefined();
  });

  it('follows an empty page that does not advance, then continues', async () => {
    let empties = 1;
    const fetchPage = async (start: string | undefined): Promise<CollectionPage<string>> => {
      if (start === '2' && empties-- > 0) return { elements: [], next: '2', total: 3 };
      if (start === undefined) return { elements: ['a', 'b'], next: '2', total: 3 };
      return { elements: ['c'], next: undefined, total: 3 };
    };
    expect(await collect(crawl(fetchPage, { keyOf: (x) => x, what: 'letters' }))).toEqual(['a', 'b', 'c']);
  });

  it('fails with COURSERA_BAD_RESPONSE when empty pages never advance', async () => {
    const fetchPage = async (): Promise<CollectionPage<string>> => ({ elements: [], next: '0', total: 1 });
    await expect(collect(crawl(fetchPage, { keyOf: (x) => x, what: 'letters' }))).rejects.toMatchObject({
      code: 'COURSERA_BAD_RESPONSE',
    });
  });

  it('fails with COURSERA_BAD_RESPONSE when paging goes backwards', async () => {
    const fetchPage = async (start: string | undefined): Promise<CollectionPage<string>> =>
      start === undefined
        ? { elements: ['a'], next: '5', total: 9 }
        : { elements: ['b'], next: '1', total: 9 };
    await expect(collect(crawl(fetchPage, { keyOf: (x) => x, what: 'letters' }))).rejects.toMatchObject({
      code: 'COURSERA_BAD_RESPONSE',
    });
  });
});
