// NOT PUBLIC — MODELLED. The simulator's side of src/coursera/not-public/: item-level curriculum and item grades.
// Replace together with that folder when Coursera's real shapes are known.
import type { Route } from '../context.ts';
import { apiError } from '../html.ts';
import { collectionResponse } from '../paging.ts';
import {
  addItem,
  addSyntheticItemGrade,
  itemsOf,
  type SimItem,
  type SimItemGrade,
  sortedBySequence,
} from '../state.ts';
import { apiRoute } from './business-api.ts';

export function itemView(item: SimItem) {
  return {
    id: item.id,
    contentId: item.contentId,
    moduleId: item.moduleId,
    moduleName: item.moduleName,
    name: item.name,
    itemType: item.itemType,
    isGraded: item.isGraded,
    gradingWeight: item.gradingWeight,
    passingThreshold: item.passingThreshold,
    order: item.order,
    maxScore: item.maxScore,
  };
}

export function itemGradeView(grade: SimItemGrade) {
  return {
    externalId: grade.externalId,
    programId: grade.programId,
    contentId: grade.contentId,
    itemId: grade.itemId,
    score: grade.score ?? null,
    maxScore: grade.maxScore,
    isPassed: grade.isPassed,
    completedAt: grade.completedAt ?? null,
    updatedAt: grade.updatedAt,
  };
}

/** MODELLED `GET /contents/{contentId}/items`. */
const listItems = apiRoute('GET', '/contents/:contentId/items', (input) => {
  const { state } = input.context;
  const content = state.contents.get(input.params.contentId!);
  const visible = [...state.programs.values()].some(
    (program) =>
      program.organizationId === input.params.organizationId &&
      program.contentIds.includes(content?.id ?? ''),
  );
  if (content === undefined || !visible)
    return apiError(404, 'NOT_FOUND', `No content ${input.params.contentId}`);
  if (input.fault?.kind === 'total-change') {
    // A new item in the middle of a crawl: inserted at the front, the others move down.
    for (const item of itemsOf(state, content.id)) item.order++;
    const added = addItem(state, content.id, {
      moduleName: 'Week 0',
      name: `Item added mid-crawl ${state.random.id().slice(0, 6)}`,
      itemType: 'QUIZ',
      isGraded: true,
      gradingWeight: 0,
      passingThreshold: 0.5,
      maxScore: 5,
    });
    added.order = 0;
  }
  return collectionResponse(itemsOf(state, content.id).map(itemView), input.url, input.fault);
});

/** MODELLED `GET /itemGrades?q=byProgramId&programId=...&updatedAfter=<epoch ms>`. */
const listItemGrades = apiRoute('GET', '/itemGrades', (input) => {
  const { state } = input.context;
  const query = input.url.searchParams;
  if (query.get('q') !== 'byProgramId')
    return apiError(400, 'BAD_REQUEST', 'Only q=byProgramId is supported');
  const program = state.programs.get(query.get('programId') ?? '');
  if (program === undefined || program.organizationId !== input.params.organizationId) {
    return apiError(404, 'NOT_FOUND', `No program ${query.get('programId')}`);
  }
  const afterText = query.get('updatedAfter');
  if (afterText !== null && !/^\d+$/.test(afterText)) {
    return apiError(400, 'BAD_REQUEST', 'updatedAfter must be epoch milliseconds');
  }
  if (input.fault?.kind === 'total-change') addSyntheticItemGrade(state, program);
  const after = afterText === null ? undefined : Number(afterText);
  const grades = sortedBySequence(
    [...state.itemGrades.values()].filter(
      (grade) => grade.programId === program.id && (after === undefined || grade.updatedAt > after),
    ),
  );
  return collectionResponse(grades.map(itemGradeView), input.url, input.fault);
});

export const notPublicApiRoutes: Route[] = [listItems, listItemGrades];
