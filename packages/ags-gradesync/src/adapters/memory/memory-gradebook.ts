import { GradeSyncError } from '../../errors.ts';
import type {
  Gradebook,
  GradebookLineItem,
  GradebookResult,
  GradebookTarget,
  Roster,
  RosterMember,
  ScorePost,
} from '../../ports.ts';

export interface MemoryGradebook extends Gradebook, Roster {
  /** Every score the gradebook took (a visible change), in order; ignored stale scores are not here. */
  readonly changes: ReadonlyArray<{ lineItemId: string; score: ScorePost }>;
  /** Every score posted, taken or not. */
  readonly posts: ReadonlyArray<{ lineItemId: string; score: ScorePost }>;
  /** The line items of a course. */
  lineItems(target: GradebookTarget): GradebookLineItem[];
  /** The score each user holds on a line item. */
  scores(lineItemId: string): Map<string, ScorePost>;
  /** Deletes a line item, as an instructor would. */
  deleteLineItem(lineItemId: string): void;
  /** Adds a line item, as the LMS does when an activity with a grade is created. */
  addLineItem(target: GradebookTarget, lineItem: Omit<GradebookLineItem, 'id'>): GradebookLineItem;
  setMembers(target: GradebookTarget, members: RosterMember[]): void;
  /** The next `count` calls throw what `fail` returns. */
  failNext(count: number, fail: () => Error): void;
}

/**
 * An LMS gradebook and roster in memory, with the AGS rules that matter to the engine: a score whose timestamp is
 * not newer than the stored one is ignored; an unknown line item is `GRADESYNC_LINE_ITEM_DELETED`. For unit tests
 * and examples; the integration tests use the @passport/lti13 platform over HTTP.
 */
export function createMemoryGradebook(options: { idPrefix?: string } = {}): MemoryGradebook {
  const prefix = options.idPrefix ?? 'https://lms.example/lineitems/';
  const items = new Map<string, GradebookLineItem & { targetKey: string }>();
  const scoreTable = new Map<string, Map<string, ScorePost>>();
  const members = new Map<string, RosterMember[]>();
  const changes: Array<{ lineItemId: string; score: ScorePost }> = [];
  const posts: Array<{ lineItemId: string; score: ScorePost }> = [];
  const failures: Array<() => Error> = [];
  let counter = 0;
  const targetKey = (target: GradebookTarget) => `${target.lmsId}\u0000${target.contextId}`;
  const strip = ({ targetKey: _key, ...lineItem }: GradebookLineItem & { targetKey: string }) => lineItem;
  const maybeFail = () => {
    const fail = failures.shift();
    if (fail !== undefined) throw fail();
  };
  const add = (target: GradebookTarget, lineItem: Omit<GradebookLineItem, 'id'>) => {
    const created = { ...lineItem, id: `${prefix}${++counter}`, targetKey: targetKey(target) };
    items.set(created.id, created);
    return strip(created);
  };
  const owned = (target: GradebookTarget, lineItemId: string) => {
    const lineItem = items.get(lineItemId);
    if (lineItem === undefined || lineItem.targetKey !== targetKey(target))
      throw new GradeSyncError('GRADESYNC_LINE_ITEM_DELETED', `No line item ${lineItemId}.`);
    return lineItem;
  };

  return {
    get changes() {
      return changes;
    },
    get posts() {
      return posts;
    },
    async getLineItem(target, lineItemId) {
      maybeFail();
      const lineItem = items.get(lineItemId);
      return lineItem === undefined || lineItem.targetKey !== targetKey(target) ? undefined : strip(lineItem);
    },
    async listLineItems(target, filter = {}) {
      maybeFail();
      return [...items.values()]
        .filter(
          (lineItem) =>
            lineItem.targetKey === targetKey(target) &&
            (filter.resourceId === undefined || lineItem.resourceId === filter.resourceId) &&
            (filter.tag === undefined || lineItem.tag === filter.tag) &&
            (filter.resourceLinkId === undefined || lineItem.resourceLinkId === filter.resourceLinkId),
        )
        .map(strip);
    },
    async createLineItem(target, lineItem) {
      maybeFail();
      return add(target, lineItem);
    },
    async postScore(target, lineItemId, score) {
      maybeFail();
      owned(target, lineItemId);
      posts.push({ lineItemId, score });
      let users = scoreTable.get(lineItemId);
      if (users === undefined) {
        users = new Map();
        scoreTable.set(lineItemId, users);
      }
      const previous = users.get(score.userId);
      if (previous !== undefined && Date.parse(score.timestamp) <= Date.parse(previous.timestamp)) return;
      users.set(score.userId, score);
      changes.push({ lineItemId, score });
    },
    async readResults(target, lineItemId, readOptions = {}) {
      maybeFail();
      const lineItem = owned(target, lineItemId);
      const results: GradebookResult[] = [];
      for (const [userId, score] of scoreTable.get(lineItemId) ?? []) {
        if (readOptions.userId !== undefined && readOptions.userId !== userId) continue;
        results.push({
          userId,
          ...(score.scoreGiven === undefined
            ? {}
            : {
                resultScore:
                  (score.scoreGiven / (score.scoreMaximum ?? lineItem.scoreMaximum)) * lineItem.scoreMaximum,
                resultMaximum: lineItem.scoreMaximum,
              }),
          ...(score.comment === undefined ? {} : { comment: score.comment }),
          timestamp: score.timestamp,
        });
      }
      return results;
    },
    async listMembers(target) {
      maybeFail();
      return members.get(targetKey(target)) ?? [];
    },
    lineItems(target) {
      return [...items.values()].filter((lineItem) => lineItem.targetKey === targetKey(target)).map(strip);
    },
    scores(lineItemId) {
      return new Map(scoreTable.get(lineItemId) ?? []);
    },
    deleteLineItem(lineItemId) {
      items.delete(lineItemId);
      scoreTable.delete(lineItemId);
    },
    addLineItem: add,
    setMembers(target, list) {
      members.set(targetKey(target), list);
    },
    failNext(count, fail) {
      for (let index = 0; index < count; index++) failures.push(fail);
    },
  };
}
