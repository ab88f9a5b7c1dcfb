// NOT PUBLIC — MODELLED. Coursera does not publish item grades; this shape is our model of them.
// See ./README.md. Replace this file when the real shape is known.
import { z } from 'zod';
import { type ApiContext, buildApiRequest, type PageRequest } from '../api/api-request.ts';
import { type CollectionPage, readCollectionPage } from '../api/collection.ts';

export const itemGradeSchema = z.looseObject({
  externalId: z.string(),
  programId: z.string(),
  contentId: z.string(),
  itemId: z.string(),
  /** Points scored, when graded. */
  score: z.number().nonnegative().nullish(),
  maxScore: z.number().positive(),
  isPassed: z.boolean(),
  /** Epoch milliseconds. */
  completedAt: z.number().nullish(),
  updatedAt: z.number(),
});

export type CourseraItemGrade = z.output<typeof itemGradeSchema>;

export interface ItemGradeQuery {
  programId: string;
  /** Only grades changed after this time (exclusive). */
  updatedAfter?: Date;
}

/** MODELLED `GET /itemGrades?q=byProgramId&programId=...&updatedAfter=<epoch ms>`. */
export function buildListItemGradesRequest(
  context: ApiContext,
  query: ItemGradeQuery,
  page: PageRequest,
): Request {
  return buildApiRequest(context, 'GET', '/itemGrades', {
    query: { q: 'byProgramId', programId: query.programId, updatedAfter: query.updatedAfter?.getTime() },
    page,
  });
}

export function processListItemGradesResponse(
  response: Response,
  now?: Date,
): Promise<CollectionPage<CourseraItemGrade>> {
  return readCollectionPage(response, itemGradeSchema, 'the item grades (modelled API)', now);
}
