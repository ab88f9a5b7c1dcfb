import type { z } from 'zod';
import { readApiJson } from './read-api-response.ts';
import { collectionSchema } from './schemas.ts';

/** One page of a collection: `{elements, paging: {next, total}}`. */
export interface CollectionPage<Element> {
  elements: Element[];
  /** The `start` of the next page; undefined on the last page. */
  next: string | undefined;
  /** How many elements the whole collection has, when the API says. */
  total: number | undefined;
}

export async function readCollectionPage<Element extends z.ZodType>(
  response: Response,
  element: Element,
  what: string,
  now?: Date,
): Promise<CollectionPage<z.output<Element>>> {
  const body = await readApiJson(response, collectionSchema(element), what, now);
  return {
    elements: body.elements as z.output<Element>[],
    next: body.paging?.next ?? undefined,
    total: body.paging?.total ?? undefined,
  };
}
