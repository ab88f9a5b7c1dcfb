// NOT PUBLIC — MODELLED. Coursera does not publish its item-level curriculum API; this shape is our model of it.
// See ./README.md. Replace this file when the real shape is known.
import { z } from 'zod';
import { type ApiContext, buildApiRequest, type PageRequest } from '../api/api-request.ts';
import { type CollectionPage, readCollectionPage } from '../api/collection.ts';

export const itemTypeSchema = z.enum([
  'QUIZ',
  'EXAM',
  'PROGRAMMING_ASSIGNMENT',
  'PEER_REVIEW',
  'LAB',
  'DISCUSSION_PROMPT',
  'STAFF_GRADED',
  'UNGRADED',
]);

export const contentItemSchema = z.looseObject({
  id: z.string().min(1),
  contentId: z.string(),
  moduleId: z.string().nullish(),
  moduleName: z.string().nullish(),
  name: z.string(),
  itemType: itemTypeSchema,
  isGraded: z.boolean(),
  /** Percent of the course grade, 0..100. */
  gradingWeight: z.number().min(0).max(100),
  /** Fraction of `maxScore` needed to pass, 0..1. */
  passingThreshold: z.number().min(0).max(1).nullish(),
  /** 0-based position in the course. */
  order: z.number().int().nonnegative(),
  maxScore: z.number().positive().nullish(),
});

export type CourseraItemType = z.output<typeof itemTypeSchema>;
export type CourseraContentItem = z.output<typeof contentItemSchema>;

/** MODELLED `GET /contents/{contentId}/items`. */
export function buildListContentItemsRequest(
  context: ApiContext,
  contentId: string,
  page: PageRequest,
): Request {
  return buildApiRequest(context, 'GET', `/contents/${encodeURIComponent(contentId)}/items`, { page });
}

export function processListContentItemsResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraContentItem>> {
  return readCollectionPage(response, contentItemSchema, 'the content items (modelled API)', now);
}
