import { createMemoryAuditLog } from '../../src/adapters/memory/memory-audit-log.ts';
import { createMemoryDeadLetters } from '../../src/adapters/memory/memory-dead-letters.ts';
import { createMemoryGradeOutbox } from '../../src/adapters/memory/memory-grade-outbox.ts';
import { createMemoryGradebook } from '../../src/adapters/memory/memory-gradebook.ts';
import { createMemoryLearnerLinks } from '../../src/adapters/memory/memory-learner-links.ts';
import { createMemoryResultsSource } from '../../src/adapters/memory/memory-results-source.ts';
import { createMemorySyncState } from '../../src/adapters/memory/memory-sync-state.ts';
import { createGradeSync } from '../../src/engine/create-grade-sync.ts';
import type { GradeSyncOptions } from '../../src/engine/engine-options.ts';
import type { CourseBinding, LearningResult, SyncMode } from '../../src/ports.ts';
import { TestClock } from './clock.ts';

export const binding: CourseBinding = {
  id: 'binding-1',
  tenantId: 'tenant-1',
  lmsId: 'lms-1',
  contextId: 'context-1',
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
};

export const target = { lmsId: binding.lmsId, contextId: binding.contextId };

export const emailOf = (index: number) => `learner${index}@school.example`;

/** The engine over memory adapters, a memory LMS and a memory learning platform, with `count` enrolled learners. */
export function createMemoryHarness(
  options: { mode?: SyncMode; count?: number; engine?: Partial<GradeSyncOptions> } = {},
) {
  const clock = new TestClock();
  const gradebook = createMemoryGradebook();
  const source = createMemoryResultsSource({ platform: 'coursera', pageSize: 7 });
  const outbox = createMemoryGradeOutbox();
  const state = createMemorySyncState();
  const deadLetters = createMemoryDeadLetters();
  const audit = createMemoryAuditLog();
  const learnerLinks = createMemoryLearnerLinks();
  let counter = 0;
  const engine = createGradeSync({
    gradebook,
    roster: gradebook,
    source,
    outbox,
    state,
    deadLetters,
    audit,
    learnerLinks,
    clock,
    generateId: () => `id-${++counter}`,
    random: () => 0.5,
    defaultMode: options.mode ?? 'final-grade',
    ...options.engine,
    delivery: {
      concurrency: 4,
      ratePerSecond: 5000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      ...options.engine?.delivery,
    },
  });
  const count = options.count ?? 3;
  gradebook.setMembers(
    target,
    Array.from({ length: count }, (_, index) => ({
      userId: `lms-user-${index + 1}`,
      email: emailOf(index + 1),
      roles: ['Learner'],
    })),
  );
  const courseResult = (
    index: number,
    fraction: number,
    overrides: Partial<LearningResult> = {},
  ): LearningResult => ({
    learnerExternalId: emailOf(index),
    email: emailOf(index),
    courseId: binding.courseId,
    grade: { kind: 'fraction', value: fraction },
    completedAt: new Date(Date.UTC(2025, 1, 20, 12, index)),
    updatedAt: new Date(Date.UTC(2025, 1, 20, 12, index)),
    ...overrides,
  });
  const itemResult = (
    index: number,
    itemId: string,
    points: number,
    overrides: Partial<LearningResult> = {},
  ): LearningResult => ({
    learnerExternalId: emailOf(index),
    courseId: binding.courseId,
    itemId,
    grade: { kind: 'points', points, maximum: 10 },
    completedAt: new Date(Date.UTC(2025, 1, 21, 9, index)),
    updatedAt: new Date(Date.UTC(2025, 1, 21, 9, index)),
    ...overrides,
  });
  return {
    clock,
    gradebook,
    source,
    outbox,
    state,
    deadLetters,
    audit,
    learnerLinks,
    engine,
    courseResult,
    itemResult,
    async bind(overrides: Partial<CourseBinding> = {}) {
      await engine.bind({ ...binding, ...overrides });
    },
  };
}
