import { describe, expect, it } from 'vitest';
import { scoreMappingOptionsSchema } from '../mapping/score-mapping-options.ts';
import { createLearnerMatcher } from '../matching/match-learner.ts';
import type { CourseBinding, LearningResult } from '../ports.ts';
import { createScorePlanner } from './plan-scores.ts';

const binding: CourseBinding = {
  id: 'binding-1',
  tenantId: 'tenant-1',
  lmsId: 'lms-1',
  contextId: 'context-1',
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
};
const slot = {
  bindingId: 'binding-1',
  slot: 'final-grade:course',
  lineItemId: 'line-item-1',
  scoreMaximum: 100,
  createdByEngine: true,
};

function planner() {
  return createScorePlanner({
    binding,
    runId: 'run-1',
    level: 'course',
    targets: new Map([['course', { slot, scoreMaximum: 100, passFail: false }]]),
    matcher: createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [],
      launches: [],
      members: [{ userId: 'user-1', email: 'ada@school.example', roles: ['Learner'] }],
    }),
    sent: new Map(),
    resend: false,
    options: scoreMappingOptionsSchema.parse({}),
  });
}

const result = (
  value: number,
  updatedAt: string,
  overrides: Partial<LearningResult> = {},
): LearningResult => ({
  learnerExternalId: 'ada@school.example',
  courseId: 'course-1',
  grade: { kind: 'fraction', value },
  updatedAt: new Date(updatedAt),
  ...overrides,
});

describe('createScorePlanner', () => {
  it('keeps the newest result of a (line item, user) when pages overlap, whatever their order', () => {
    const plan = planner();
    plan.add([result(0.9, '2025-03-02T00:00:00Z')]);
    plan.add([result(0.5, '2025-03-01T00:00:00Z')]);
    const finished = plan.finish();
    expect(finished.entries).toHaveLength(1);
    expect(finished.entries[0]).toMatchObject({
      lineItemId: 'line-item-1',
      userId: 'user-1',
      slot: 'final-grade:course',
      score: { userId: 'user-1', scoreGiven: 90, timestamp: '2025-03-02T00:00:00.000Z' },
    });
    expect(finished.counters).toMatchObject({ considered: 2, queued: 1 });
    expect(finished.byLineItem['line-item-1']).toMatchObject({ considered: 2, queued: 1 });
  });

  it('ignores other courses and item results at course level; reports an unmatched learner once', () => {
    const plan = planner();
    plan.add([
      result(0.9, '2025-03-02T00:00:00Z', { courseId: 'course-2' }),
      result(0.9, '2025-03-02T00:00:00Z', { itemId: 'quiz-1' }),
      result(0.7, '2025-03-02T00:00:00Z', { learnerExternalId: 'bob@school.example' }),
      result(0.7, '2025-03-03T00:00:00Z', { learnerExternalId: 'bob@school.example' }),
    ]);
    const finished = plan.finish();
    expect(finished.counters).toMatchObject({ considered: 2, unmatched: 2, queued: 0 });
    expect(finished.findings).toEqual([
      expect.objectContaining({
        code: 'GRADESYNC_LEARNER_UNMATCHED',
        learnerExternalId: 'bob@school.example',
      }),
    ]);
  });
});
