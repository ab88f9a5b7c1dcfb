import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClassroomGradebook } from '../src/adapters/google-classroom/classroom-gradebook.ts';
import { createMemoryAuditLog } from '../src/adapters/memory/memory-audit-log.ts';
import { createMemoryDeadLetters } from '../src/adapters/memory/memory-dead-letters.ts';
import { createMemoryGradeOutbox } from '../src/adapters/memory/memory-grade-outbox.ts';
import { createMemoryLearnerLinks } from '../src/adapters/memory/memory-learner-links.ts';
import { createMemoryResultsSource } from '../src/adapters/memory/memory-results-source.ts';
import { createMemorySyncState } from '../src/adapters/memory/memory-sync-state.ts';
import { createGradeSync } from '../src/engine/create-grade-sync.ts';
import type { CourseBinding, SyncMode } from '../src/ports.ts';
import { type ClassroomSimulator, startClassroomSimulator } from './support/classroom-simulator.ts';

let classroom: ClassroomSimulator;
beforeEach(async () => {
  classroom = await startClassroomSimulator();
  classroom.grantToken('passport-token', 'passport-project');
  classroom.grantToken('other-token', 'another-project');
  classroom.addCourse('gc-course-1', [
    { userId: 'gc-ada', email: 'ada@school.example', fullName: 'Ada Lovelace' },
    { userId: 'gc-bob', email: 'bob@school.example', fullName: 'Bob Moses' },
  ]);
});
afterEach(async () => classroom.close());

const binding: CourseBinding = {
  id: 'binding-gc',
  tenantId: 'district-1',
  lmsId: 'google-classroom',
  contextId: 'gc-course-1',
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
  label: 'Coursera: Data Science',
};

function setup(mode: SyncMode, token = 'passport-token') {
  const tokenRequests: boolean[] = [];
  const gradebook = createClassroomGradebook({
    apiUrl: classroom.url,
    accessToken: async (_target, { refresh }) => {
      tokenRequests.push(refresh);
      return token;
    },
  });
  const source = createMemoryResultsSource({ platform: 'coursera' });
  source.setItems('course-1', [
    { id: 'quiz-1', courseId: 'course-1', title: 'Quiz 1', maximumPoints: 10, order: 0 },
    { id: 'quiz-2', courseId: 'course-1', title: 'Quiz 2', maximumPoints: 20, order: 1 },
  ]);
  const stores = {
    outbox: createMemoryGradeOutbox(),
    state: createMemorySyncState(),
    deadLetters: createMemoryDeadLetters(),
    audit: createMemoryAuditLog(),
    learnerLinks: createMemoryLearnerLinks(),
  };
  const engine = createGradeSync({ gradebook, roster: gradebook, source, ...stores, defaultMode: mode });
  const itemScore = (email: string, itemId: string, points: number, maximum: number, minute = 0) => {
    const at = new Date(Date.UTC(2025, 2, 1, 9, minute));
    source.setResult('program-1', {
      learnerExternalId: email,
      courseId: 'course-1',
      itemId,
      grade: { kind: 'points', points, maximum },
      completedAt: at,
      updatedAt: at,
    });
  };
  return { engine, gradebook, source, stores, itemScore, tokenRequests };
}

describe('Google Classroom adapter (against a simulator of the Classroom API)', () => {
  it('creates the courseWork it grades (maxPoints), patches draft and assigned grades, returns them; never twice', async () => {
    const { engine, itemScore } = setup('granular-created');
    await engine.bind(binding);
    itemScore('ada@school.example', 'quiz-1', 8, 10);
    itemScore('bob@school.example', 'quiz-2', 15, 20);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ lineItemsCreated: 2, queued: 2, unmatched: 0 });
    expect(await engine.drain(binding.lmsId)).toMatchObject({ delivered: 2, deadLettered: 0 });
    const [quiz1, quiz2] = classroom.courseWork('gc-course-1');
    expect([quiz1!.title, quiz1!.maxPoints, quiz1!.project]).toEqual(['Quiz 1', 10, 'passport-project']);
    expect(quiz1!.description).toContain(
      'passport-line-item: tag=passport-item resourceId=passport:item:course-1:quiz-1',
    );
    expect(classroom.submission('gc-course-1', quiz1!.id, 'gc-ada')).toMatchObject({
      draftGrade: 8,
      assignedGrade: 8,
      state: 'RETURNED',
    });
    expect(classroom.submission('gc-course-1', quiz2!.id, 'gc-bob')).toMatchObject({
      assignedGrade: 15,
      state: 'RETURNED',
    });
    expect(classroom.returned).toHaveLength(2);
    expect(
      classroom.requests.filter((request) => request.includes('updateMask=draftGrade%2CassignedGrade')),
    ).toHaveLength(2);

    // Nothing changed: nothing sent; a crash that forgot the courseWork ids adopts them by their marker.
    expect((await engine.sync(binding.id)).statistics).toMatchObject({ queued: 0, lineItemsCreated: 0 });
    await engine.drain(binding.lmsId);
    expect(classroom.returned).toHaveLength(2);
  });

  it('adopts the courseWork it created before instead of creating it again', async () => {
    const first = setup('granular-created');
    await first.engine.bind(binding);
    await first.engine.sync(binding.id);
    expect(classroom.courseWork('gc-course-1')).toHaveLength(2);
    // A fresh engine (its state lost): it finds its own courseWork by the description marker.
    const second = setup('granular-created');
    await second.engine.bind(binding);
    expect((await second.engine.sync(binding.id)).statistics.lineItemsCreated).toBe(0);
    expect(classroom.courseWork('gc-course-1')).toHaveLength(2);
  });

  it('says so when an admin points it at a courseWork it did not create, and the simulator enforces the rule', async () => {
    const teacherWork = classroom.addTeacherCourseWork('gc-course-1', 'Quiz 1 (teacher)', 10);
    const { engine, gradebook, itemScore } = setup('granular-linked');
    await engine.bind({ ...binding, itemLineItems: { 'quiz-1': teacherWork } });
    itemScore('ada@school.example', 'quiz-1', 8, 10);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ queued: 0, notLinked: 1 });
    expect(run.statistics.findings).toEqual([
      expect.objectContaining({ code: 'GRADESYNC_ITEM_NOT_LINKED', itemId: 'quiz-1' }),
    ]);
    expect(run.statistics.findings[0]!.message).toContain('was not created by Passport');
    await expect(
      gradebook.getLineItem({ lmsId: 'google-classroom', contextId: 'gc-course-1' }, teacherWork),
    ).rejects.toMatchObject({
      code: 'GRADESYNC_LINE_ITEM_NOT_OWNED',
    });

    // The same courseWork graded by another project: Classroom answers PERMISSION_DENIED.
    const ours = setup('granular-created');
    await ours.engine.bind(binding);
    await ours.engine.sync(binding.id);
    const [created] = classroom
      .courseWork('gc-course-1')
      .filter((work) => work.project === 'passport-project');
    const intruder = createClassroomGradebook({
      apiUrl: classroom.url,
      accessToken: async () => 'other-token',
    });
    await expect(
      intruder.postScore({ lmsId: 'google-classroom', contextId: 'gc-course-1' }, created!.id, {
        userId: 'gc-ada',
        scoreGiven: 5,
        scoreMaximum: 10,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2025-03-01T09:00:00.000Z',
      }),
    ).rejects.toMatchObject({ code: 'GRADESYNC_LINE_ITEM_NOT_OWNED' });
    expect(classroom.requests.some((request) => request.startsWith('PATCH'))).toBe(false);
    const submission = classroom.submission('gc-course-1', created!.id, 'gc-ada')!;
    const patch = await fetch(
      `${classroom.url}/v1/courses/gc-course-1/courseWork/${created!.id}/studentSubmissions/${submission.id}?updateMask=assignedGrade`,
      {
        method: 'PATCH',
        headers: { authorization: 'Bearer other-token', 'content-type': 'application/json' },
        body: JSON.stringify({ assignedGrade: 1 }),
      },
    );
    expect(patch.status).toBe(403);
    expect(await patch.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    expect(classroom.submission('gc-course-1', created!.id, 'gc-ada')?.assignedGrade).toBeUndefined();
  });

  it('a final-grade binding pointed at a teacher’s courseWork fails its run with GRADESYNC_LINE_ITEM_NOT_OWNED', async () => {
    const teacherWork = classroom.addTeacherCourseWork('gc-course-1', 'Final', 100);
    const { engine, source, stores } = setup('final-grade');
    await engine.bind({ ...binding, finalGradeLineItemId: teacherWork });
    source.setResult('program-1', {
      learnerExternalId: 'ada@school.example',
      courseId: 'course-1',
      grade: { kind: 'fraction', value: 0.9 },
      completedAt: new Date('2025-03-01T00:00:00Z'),
      updatedAt: new Date('2025-03-01T00:00:00Z'),
    });
    await expect(engine.sync(binding.id)).rejects.toMatchObject({ code: 'GRADESYNC_LINE_ITEM_NOT_OWNED' });
    expect((await stores.audit.listRuns({ bindingId: binding.id }))[0]?.error).toContain(
      'GRADESYNC_LINE_ITEM_NOT_OWNED',
    );
  });

  it('refreshes the access token once after a 401', async () => {
    let calls = 0;
    const gradebook = createClassroomGradebook({
      apiUrl: classroom.url,
      accessToken: async (_target, { refresh }) => {
        calls++;
        return refresh ? 'passport-token' : 'expired-token';
      },
    });
    const members = await gradebook.listMembers({ lmsId: 'google-classroom', contextId: 'gc-course-1' });
    expect(members).toEqual([
      { userId: 'gc-ada', email: 'ada@school.example', roles: ['Learner'], name: 'Ada Lovelace' },
      { userId: 'gc-bob', email: 'bob@school.example', roles: ['Learner'], name: 'Bob Moses' },
    ]);
    expect(calls).toBe(2);
  });
});
