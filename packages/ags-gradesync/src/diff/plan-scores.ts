import { mapScore } from '../mapping/map-score.ts';
import type { ScoreMappingOptions, ScoreMappingTarget } from '../mapping/score-mapping-options.ts';
import type { LearnerMatcher } from '../matching/match-learner.ts';
import type {
  CourseBinding,
  LearningResult,
  LineItemSlot,
  MatchFinding,
  NewOutboxEntry,
  PlanCounters,
  SentScore,
} from '../ports.ts';
import { compareWithSent, timestampToSend } from './compare-with-sent.ts';
import { fingerprintScore } from './fingerprint.ts';

/** A line item and how results are graded on it. */
export interface SlotTarget extends ScoreMappingTarget {
  readonly slot: LineItemSlot;
}

export interface ScorePlanInput {
  readonly binding: CourseBinding;
  readonly runId: string;
  readonly level: 'course' | 'item';
  /** Where each result goes: `course` for course results, the item id for item results. */
  readonly targets: ReadonlyMap<string, SlotTarget>;
  readonly matcher: LearnerMatcher;
  /** What the LMS last accepted, by line item then user. */
  readonly sent: ReadonlyMap<string, ReadonlyMap<string, SentScore>>;
  /** An explicit full resync: unchanged scores are sent again (with their original timestamps). */
  readonly resend: boolean;
  readonly options: ScoreMappingOptions;
}

export interface ScorePlan {
  readonly entries: NewOutboxEntry[];
  readonly counters: PlanCounters;
  readonly byLineItem: Record<string, PlanCounters>;
  readonly findings: MatchFinding[];
}

export const emptyCounters = (): PlanCounters => ({
  considered: 0,
  queued: 0,
  unchanged: 0,
  stale: 0,
  unmatched: 0,
  ambiguous: 0,
  notGradable: 0,
  notLinked: 0,
});

/**
 * The incremental diff: results in, the scores to send out. Each result of the binding's course is routed to its
 * line item, matched to an LMS user, mapped to a score and compared with the last score the LMS accepted for that
 * (line item, user); only new and changed scores are planned. Results repeat across overlapping reads, so within a
 * plan the newest result of a (line item, user) wins. Pages are added as they are read; `finish` returns the plan.
 */
export function createScorePlanner(input: ScorePlanInput) {
  const planned = new Map<string, NewOutboxEntry>();
  const counters = emptyCounters();
  const byLineItem: Record<string, PlanCounters> = {};
  const findings = new Map<string, MatchFinding>();
  const emptySent: ReadonlyMap<string, SentScore> = new Map();
  const countersOf = (lineItemId: string) => {
    let found = byLineItem[lineItemId];
    if (found === undefined) {
      found = emptyCounters();
      byLineItem[lineItemId] = found;
    }
    return found;
  };

  const add = (result: LearningResult) => {
    if (result.courseId !== input.binding.courseId) return;
    const isItem = result.itemId !== undefined;
    if (isItem !== (input.level === 'item')) return;
    counters.considered++;
    const key = result.itemId ?? 'course';
    const target = input.targets.get(key);
    if (target === undefined) {
      counters.notLinked++;
      const findingKey = `item:${key}`;
      if (!findings.has(findingKey))
        findings.set(findingKey, {
          code: 'GRADESYNC_ITEM_NOT_LINKED',
          itemId: key,
          message: `Item ${key} has no line item in this LMS course (in mode A, deep-link it as an activity).`,
        });
      return;
    }
    const lineItemId = target.slot.lineItemId;
    const lineItemCounters = countersOf(lineItemId);
    lineItemCounters.considered++;
    const match = input.matcher.match(result);
    if (match.kind !== 'matched') {
      const ambiguous = match.kind === 'ambiguous';
      counters[ambiguous ? 'ambiguous' : 'unmatched']++;
      lineItemCounters[ambiguous ? 'ambiguous' : 'unmatched']++;
      const findingKey = `learner:${result.learnerExternalId}`;
      if (!findings.has(findingKey))
        findings.set(
          findingKey,
          ambiguous
            ? {
                code: 'GRADESYNC_LEARNER_AMBIGUOUS',
                learnerExternalId: result.learnerExternalId,
                candidates: match.candidates,
                message: `Learner ${result.learnerExternalId} matches several LMS users (${match.candidates.join(', ')} by ${match.via.join(', ')}); no score is sent until an admin links one.`,
              }
            : {
                code: 'GRADESYNC_LEARNER_UNMATCHED',
                learnerExternalId: result.learnerExternalId,
                message: `Learner ${result.learnerExternalId} has no LMS user in this course (no linked account, launch or membership with their email or sourcedId).`,
              },
        );
      return;
    }
    const mapped = mapScore(result, target, input.options);
    if (mapped.kind !== 'score') {
      counters.notGradable++;
      lineItemCounters.notGradable++;
      return;
    }
    const fingerprint = fingerprintScore(mapped.content);
    const sourceUpdatedAt = result.updatedAt.getTime();
    const sent = (input.sent.get(lineItemId) ?? emptySent).get(match.userId);
    const comparison = compareWithSent({ fingerprint, sourceUpdatedAt }, sent, input.resend);
    if (comparison === 'unchanged' || comparison === 'stale') {
      counters[comparison]++;
      lineItemCounters[comparison]++;
      return;
    }
    const plannedKey = `${lineItemId}\u0000${match.userId}`;
    const earlier = planned.get(plannedKey);
    if (earlier !== undefined && earlier.sourceUpdatedAt > sourceUpdatedAt) return;
    const timestamp = timestampToSend(mapped.content.timestamp, sourceUpdatedAt, sent, comparison);
    const { timestamp: _completion, ...content } = mapped.content;
    planned.set(plannedKey, {
      lmsId: input.binding.lmsId,
      contextId: input.binding.contextId,
      bindingId: input.binding.id,
      runId: input.runId,
      slot: target.slot.slot,
      lineItemId,
      userId: match.userId,
      learnerExternalId: result.learnerExternalId,
      score: { userId: match.userId, ...content, timestamp: new Date(timestamp).toISOString() },
      fingerprint,
      sourceUpdatedAt,
      ...(comparison === 'resend' ? { resend: true } : {}),
    });
  };

  return {
    add(results: Iterable<LearningResult>) {
      for (const result of results) add(result);
    },
    finish(): ScorePlan {
      const entries = [...planned.values()];
      counters.queued = entries.length;
      for (const entry of entries) countersOf(entry.lineItemId).queued++;
      return { entries, counters, byLineItem, findings: [...findings.values()] };
    },
  };
}
