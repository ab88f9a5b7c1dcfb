/**
 * Incremental diff benchmark (issue: grade sync engine): 100k learners × 20 items = 2M results, 1 % of them changed
 * since the last successful send. Measures the time to find the changed set (route, match, map, fingerprint and
 * compare every result: the engine's planner, exactly as a sync runs it) and the memory it takes.
 * Target: under 10 s on one core.
 *
 *   node --conditions=@passport/source --expose-gc bench/incremental-diff.ts [--learners 100000] [--items 20]
 */

import { fingerprintScore } from '../src/diff/fingerprint.ts';
import { createScorePlanner, type SlotTarget } from '../src/diff/plan-scores.ts';
import { mapScore } from '../src/mapping/map-score.ts';
import { scoreMappingOptionsSchema } from '../src/mapping/score-mapping-options.ts';
import { createLearnerMatcher } from '../src/matching/match-learner.ts';
import type { CourseBinding, LearningResult, RosterMember, SentScore } from '../src/ports.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1] ?? fallback) : fallback;
}

const learners = argument('learners', 100_000);
const items = argument('items', 20);
const changedShare = 0.01;
const pageSize = 10_000;
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);
const gc = (globalThis as { gc?: () => void }).gc;

const binding: CourseBinding = {
  id: 'binding-1',
  tenantId: 'tenant-1',
  lmsId: 'lms-1',
  contextId: 'context-1',
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
};
const options = scoreMappingOptionsSchema.parse({});
const targets = new Map<string, SlotTarget>();
for (let item = 0; item < items; item++) {
  const slot = {
    bindingId: binding.id,
    slot: `granular-created:item:item-${item}`,
    lineItemId: `https://lms.example/api/lti/courses/1/line_items/${1000 + item}`,
    scoreMaximum: 10,
    createdByEngine: true,
  };
  targets.set(`item-${item}`, { slot, scoreMaximum: 10, passFail: item % 5 === 4, passingThreshold: 0.8 });
}
const emails = Array.from({ length: learners }, (_, learner) => `learner${learner}@district.example.org`);
const members: RosterMember[] = emails.map((email, learner) => ({
  userId: `lms-user-${learner}`,
  email,
  roles: ['Learner'],
}));

/** The result a learner has on an item; `changed` ones differ from what was sent. */
function result(learner: number, item: number, changed: boolean): LearningResult {
  const points = (learner * 7 + item * 3) % 11;
  const at = new Date(Date.UTC(2025, 1, 1) + ((learner * items + item) % 86_400) * 1000);
  return {
    learnerExternalId: emails[learner]!,
    email: emails[learner]!,
    courseId: 'course-1',
    itemId: `item-${item}`,
    grade: { kind: 'points', points: changed ? (points + 1) % 11 : points, maximum: 10 },
    completedAt: at,
    updatedAt: changed ? new Date(at.getTime() + 3_600_000) : at,
  };
}
// Deterministic 1 %: every hundredth (learner, item) pair.
const isChanged = (learner: number, item: number) =>
  (learner * items + item) % Math.round(1 / changedShare) === 0;

function* pages(): Generator<LearningResult[]> {
  let page: LearningResult[] = [];
  for (let learner = 0; learner < learners; learner++) {
    for (let item = 0; item < items; item++) {
      page.push(result(learner, item, isChanged(learner, item)));
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}

// ── Setup (not timed): what the LMS last accepted, as the sync state holds it. ──────────────────────────────────
const setupStarted = performance.now();
const sharedScore = {
  userId: '',
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  timestamp: '',
} as const;
const sent = new Map<string, Map<string, SentScore>>();
for (const [itemId, target] of targets) {
  const users = new Map<string, SentScore>();
  const item = Number(itemId.slice(5));
  for (let learner = 0; learner < learners; learner++) {
    const original = result(learner, item, false);
    const mapped = mapScore(original, target, options);
    if (mapped.kind !== 'score') throw new Error('unexpected');
    users.set(`lms-user-${learner}`, {
      lineItemId: target.slot.lineItemId,
      userId: `lms-user-${learner}`,
      fingerprint: fingerprintScore(mapped.content),
      scoreTimestamp: mapped.content.timestamp,
      sourceUpdatedAt: original.updatedAt.getTime(),
      // The planner never reads the stored score; one shared object keeps the setup's memory out of the figure.
      score: sharedScore,
      sentAt: 0,
    });
  }
  sent.set(target.slot.lineItemId, users);
}
gc?.();
const baseline = process.memoryUsage();
console.log(
  `setup: ${learners.toLocaleString('en')} learners × ${items} items = ${(learners * items).toLocaleString('en')} sent scores in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; heap ${megabytes(baseline.heapUsed)} MB, RSS ${megabytes(baseline.rss)} MB`,
);

// ── Timed: the diff a sync runs over a read of every result. ─────────────────────────────────────────────────────
const started = performance.now();
let peakRss = process.memoryUsage().rss;
const matcher = createLearnerMatcher({ platform: 'coursera', accountLinks: [], launches: [], members });
const planner = createScorePlanner({
  binding,
  runId: 'run-1',
  level: 'item',
  targets,
  matcher,
  sent,
  resend: false,
  options,
});
for (const page of pages()) {
  planner.add(page);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const plan = planner.finish();
const seconds = (performance.now() - started) / 1000;
const after = process.memoryUsage();

const expected = Math.ceil((learners * items) / Math.round(1 / changedShare));
console.log(
  `diff: ${plan.counters.considered.toLocaleString('en')} results considered, ${plan.counters.queued.toLocaleString('en')} changed (expected ${expected.toLocaleString('en')}), ${plan.counters.unchanged.toLocaleString('en')} unchanged`,
);
console.log(
  `time: ${seconds.toFixed(2)} s (${Math.round(plan.counters.considered / seconds).toLocaleString('en')} results/s) — target < 10 s: ${seconds < 10 ? 'met' : 'NOT met'}`,
);
console.log(
  `memory: heap +${megabytes(after.heapUsed - baseline.heapUsed)} MB during the diff (sent state ${megabytes(baseline.heapUsed)} MB before it); peak RSS ${megabytes(peakRss)} MB`,
);
if (plan.counters.queued !== expected) process.exitCode = 1;
