import { describe, expect, it } from 'vitest';
import { binding, createMemoryHarness, emailOf, target } from '../../test/support/memory-harness.ts';
import { lineItemTags } from '../modes/line-item-keys.ts';

describe('final-grade mode', () => {
  it('creates one tagged line item, sends each learner’s course grade once, with the completion time', async () => {
    const harness = createMemoryHarness({ mode: 'final-grade' });
    await harness.bind({ label: 'Coursera: Data Science' });
    for (const index of [1, 2, 3])
      harness.source.setResult('program-1', harness.courseResult(index, 0.5 + index / 10));
    const run = await harness.engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 3, queued: 3, unchanged: 0, lineItemsCreated: 1 });
    const drained = await harness.engine.drain(binding.lmsId);
    expect(drained).toMatchObject({ claimed: 3, delivered: 3, stoppedBy: 'empty' });
    const [lineItem] = harness.gradebook.lineItems(target);
    expect(harness.gradebook.lineItems(target)).toHaveLength(1);
    expect(lineItem).toMatchObject({
      label: 'Coursera: Data Science',
      scoreMaximum: 100,
      tag: lineItemTags.finalGrade,
      resourceId: 'passport:course:course-1',
    });
    expect(harness.gradebook.scores(lineItem!.id).get('lms-user-2')).toEqual({
      userId: 'lms-user-2',
      scoreGiven: 70,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2025-02-20T12:02:00.000Z',
    });
    expect(await harness.outbox.list()).toEqual([]);
  });

  it('nothing changed → nothing sent: neither an incremental sync nor a re-read posts anything', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    for (const index of [1, 2, 3]) harness.source.setResult('program-1', harness.courseResult(index, 0.9));
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    const posted = harness.gradebook.posts.length;
    expect(posted).toBe(3);

    const incremental = await harness.engine.sync(binding.id);
    expect(incremental.statistics).toMatchObject({ considered: 0, queued: 0 });
    const reread = await harness.engine.sync(binding.id, { reread: true });
    expect(reread.statistics).toMatchObject({ considered: 3, queued: 0, unchanged: 3 });
    // The same results again (an overlapping watermark): unchanged.
    for (const index of [1, 2, 3]) harness.source.setResult('program-1', harness.courseResult(index, 0.9));
    expect((await harness.engine.sync(binding.id)).statistics).toMatchObject({
      considered: 3,
      queued: 0,
      unchanged: 3,
    });
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ claimed: 0, delivered: 0 });
    expect(harness.gradebook.posts).toHaveLength(posted);
  });

  it('sends only the changed score, and audits it with the previous and the new value', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    for (const index of [1, 2, 3]) harness.source.setResult('program-1', harness.courseResult(index, 0.6));
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    harness.source.setResult(
      'program-1',
      harness.courseResult(2, 0.95, {
        completedAt: new Date('2025-02-25T10:00:00Z'),
        updatedAt: new Date('2025-02-25T10:00:00Z'),
      }),
    );
    const run = await harness.engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 1, queued: 1 });
    await harness.engine.drain(binding.lmsId);
    expect(harness.gradebook.posts.slice(3).map((post) => post.score.userId)).toEqual(['lms-user-2']);
    const audit = await harness.audit.list({ runId: run.id, kind: 'score-sent' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      userId: 'lms-user-2',
      detail: {
        learnerExternalId: emailOf(2),
        previous: { scoreGiven: 60, timestamp: '2025-02-20T12:02:00.000Z' },
        next: { scoreGiven: 95, timestamp: '2025-02-25T10:00:00.000Z' },
      },
    });
    const statistics = await harness.engine.runStatistics(run.id);
    expect(statistics?.totals).toMatchObject({
      considered: 1,
      queued: 1,
      delivered: 1,
      failed: 0,
      waiting: 0,
    });
    expect(statistics?.course).toEqual({ contextId: 'context-1', courseId: 'course-1' });
  });

  it('a regrade that kept its completion time is sent 1 ms after the last score, so the LMS takes it', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    harness.source.setResult('program-1', harness.courseResult(1, 0.6));
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    // Same completion time, new grade, changed earlier than the completion (a platform clock quirk).
    harness.source.setResult(
      'program-1',
      harness.courseResult(1, 0.7, { updatedAt: new Date('2025-02-20T12:01:00Z') }),
    );
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    const [lineItem] = harness.gradebook.lineItems(target);
    expect(harness.gradebook.scores(lineItem!.id).get('lms-user-1')).toMatchObject({
      scoreGiven: 70,
      timestamp: '2025-02-20T12:01:00.001Z',
    });
    expect(harness.gradebook.changes).toHaveLength(2);
  });

  it('an older result read late (overlapping pages) never replaces a newer one', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    harness.source.setResult(
      'program-1',
      harness.courseResult(1, 0.9, {
        updatedAt: new Date('2025-02-26T00:00:00Z'),
        completedAt: new Date('2025-02-26T00:00:00Z'),
      }),
    );
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    harness.source.setResult('program-1', harness.courseResult(1, 0.4));
    const run = await harness.engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 1, stale: 1, queued: 0 });
  });

  it('a full resync is explicit, audited, and re-posts every score with its original timestamp (no visible change)', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    for (const index of [1, 2, 3]) harness.source.setResult('program-1', harness.courseResult(index, 0.8));
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    const run = await harness.engine.fullResync(binding.id, {
      actor: 'admin@district',
      reason: 'LMS restored from backup',
    });
    expect(run).toMatchObject({ trigger: 'full-resync', statistics: { considered: 3, queued: 3 } });
    await harness.engine.drain(binding.lmsId);
    expect(harness.gradebook.posts).toHaveLength(6);
    expect(harness.gradebook.changes).toHaveLength(3);
    expect(harness.gradebook.posts[3]!.score.timestamp).toBe(harness.gradebook.posts[0]!.score.timestamp);
    expect(await harness.audit.list({ kind: 'resync-requested' })).toMatchObject([
      { actor: 'admin@district', detail: { reason: 'LMS restored from backup' } },
    ]);
  });

  it('uses the course activity’s own line item when the launch carried one', async () => {
    const harness = createMemoryHarness();
    const lineItem = harness.gradebook.addLineItem(target, { label: 'Coursera course', scoreMaximum: 20 });
    await harness.bind({ finalGradeLineItemId: lineItem.id });
    harness.source.setResult('program-1', harness.courseResult(1, 0.75));
    const run = await harness.engine.sync(binding.id);
    expect(run.statistics.lineItemsCreated).toBe(0);
    await harness.engine.drain(binding.lmsId);
    expect(harness.gradebook.lineItems(target)).toHaveLength(1);
    expect(harness.gradebook.scores(lineItem.id).get('lms-user-1')).toMatchObject({
      scoreGiven: 15,
      scoreMaximum: 20,
    });
  });
});

describe('granular modes', () => {
  const items = [
    { id: 'quiz-1', courseId: 'course-1', title: 'Quiz 1', maximumPoints: 10, order: 0 },
    {
      id: 'lab-1',
      courseId: 'course-1',
      title: 'Lab 1',
      maximumPoints: 10,
      order: 1,
      gradingType: 'pass-fail' as const,
      passingThreshold: 0.8,
    },
  ];

  it('option B creates a line item per item once, adds one when the course gains an item, and adopts after a crash', async () => {
    const harness = createMemoryHarness({ mode: 'granular-created' });
    await harness.bind();
    harness.source.setItems('course-1', items);
    harness.source.setResult('program-1', harness.itemResult(1, 'quiz-1', 7));
    harness.source.setResult('program-1', harness.itemResult(1, 'lab-1', 9));
    harness.source.setResult('program-1', harness.itemResult(2, 'lab-1', 5));
    const first = await harness.engine.sync(binding.id);
    expect(first.statistics).toMatchObject({ lineItemsCreated: 2, considered: 3, queued: 3 });
    expect(
      harness.gradebook
        .lineItems(target)
        .map((lineItem) => [lineItem.label, lineItem.tag, lineItem.resourceId]),
    ).toEqual([
      ['Quiz 1', 'passport-item', 'passport:item:course-1:quiz-1'],
      ['Lab 1', 'passport-item', 'passport:item:course-1:lab-1'],
    ]);
    await harness.engine.drain(binding.lmsId);
    const [quiz, lab] = harness.gradebook.lineItems(target);
    expect(harness.gradebook.scores(quiz!.id).get('lms-user-1')).toMatchObject({
      scoreGiven: 7,
      scoreMaximum: 10,
    });
    // Lab 1 is pass/fail at 80 %: 9/10 passes (full points), 5/10 does not (zero).
    expect(harness.gradebook.scores(lab!.id).get('lms-user-1')).toMatchObject({ scoreGiven: 10 });
    expect(harness.gradebook.scores(lab!.id).get('lms-user-2')).toMatchObject({ scoreGiven: 0 });

    expect((await harness.engine.sync(binding.id)).statistics.lineItemsCreated).toBe(0);
    harness.source.setItems('course-1', [
      ...items,
      { id: 'exam-1', courseId: 'course-1', title: 'Final exam', order: 2 },
    ]);
    expect((await harness.engine.sync(binding.id)).statistics.lineItemsCreated).toBe(1);
    expect(harness.gradebook.lineItems(target).at(-1)).toMatchObject({
      label: 'Final exam',
      scoreMaximum: 100,
    });

    // A crash after creating but before remembering: the next run finds it by tag and resourceId.
    await harness.state.removeLineItemSlot(binding.id, 'granular-created:item:exam-1');
    expect((await harness.engine.sync(binding.id)).statistics.lineItemsCreated).toBe(0);
    expect(harness.gradebook.lineItems(target)).toHaveLength(3);
    expect(await harness.audit.list({ kind: 'line-item-created' })).toHaveLength(3);
  });

  it('option A sends each deep-linked item to its activity’s line item and reports the items not linked', async () => {
    const harness = createMemoryHarness({ mode: 'granular-linked' });
    const quizActivity = harness.gradebook.addLineItem(target, {
      label: 'Quiz 1 (Coursera)',
      scoreMaximum: 5,
      resourceLinkId: 'rl-1',
    });
    await harness.bind({ itemLineItems: { 'quiz-1': quizActivity.id } });
    harness.source.setItems('course-1', items);
    harness.source.setResult('program-1', harness.itemResult(1, 'quiz-1', 8));
    harness.source.setResult('program-1', harness.itemResult(1, 'lab-1', 9));
    const run = await harness.engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 2, queued: 1, notLinked: 1, lineItemsCreated: 0 });
    expect(run.statistics.findings).toEqual([
      expect.objectContaining({ code: 'GRADESYNC_ITEM_NOT_LINKED', itemId: 'lab-1' }),
    ]);
    await harness.engine.drain(binding.lmsId);
    expect(harness.gradebook.lineItems(target)).toHaveLength(1);
    expect(harness.gradebook.scores(quizActivity.id).get('lms-user-1')).toMatchObject({
      scoreGiven: 4,
      scoreMaximum: 5,
    });
  });
});

describe('mode switching', () => {
  it('is explicit and audited, states what happens to existing line items, and never reuses them', async () => {
    const harness = createMemoryHarness({ mode: 'final-grade' });
    await harness.bind();
    harness.source.setItems('course-1', [
      { id: 'quiz-1', courseId: 'course-1', title: 'Quiz 1', maximumPoints: 10, order: 0 },
    ]);
    harness.source.setResult('program-1', harness.courseResult(1, 0.5));
    harness.source.setResult('program-1', harness.itemResult(1, 'quiz-1', 6));
    await harness.engine.sync(binding.id);

    await expect(
      harness.engine.switchMode(binding.lmsId, 'final-grade', { actor: 'admin' }),
    ).rejects.toMatchObject({
      code: 'GRADESYNC_MODE_UNCHANGED',
    });
    const switched = await harness.engine.switchMode(binding.lmsId, 'granular-created', {
      actor: 'admin@district',
      reason: 'Teachers want item columns',
    });
    expect(switched).toMatchObject({
      from: 'final-grade',
      to: 'granular-created',
      lineItemsKept: 1,
      scoresWaiting: 1,
    });
    expect(switched.statement).toContain('creates one line item per gradable item');
    expect(switched.statement).toContain('The 1 line item used in final-grade mode stay in the gradebooks');
    expect(switched.statement).toContain('The 1 score already waiting for them are still delivered.');
    expect(await harness.audit.list({ kind: 'mode-switched' })).toMatchObject([
      {
        actor: 'admin@district',
        lmsId: 'lms-1',
        detail: { from: 'final-grade', to: 'granular-created', statement: switched.statement },
      },
    ]);
    expect(await harness.engine.modeOf(binding.lmsId)).toBe('granular-created');

    const run = await harness.engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ lineItemsCreated: 1, queued: 1 });
    await harness.engine.drain(binding.lmsId);
    const [finalGrade, quiz] = harness.gradebook.lineItems(target);
    expect(harness.gradebook.scores(finalGrade!.id).get('lms-user-1')).toMatchObject({ scoreGiven: 50 });
    expect(harness.gradebook.scores(quiz!.id).get('lms-user-1')).toMatchObject({ scoreGiven: 6 });
  });
});

describe('failed runs', () => {
  it('a learning platform that cannot be read fails the run with GRADESYNC_SOURCE_UNAVAILABLE, recorded, watermark kept', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    harness.source.setResult('program-1', harness.courseResult(1, 0.5));
    await harness.engine.sync(binding.id);
    const readResults = harness.source.readResults;
    harness.source.readResults = async function* () {
      yield* [];
      throw new Error('connect ECONNREFUSED');
    };
    await expect(harness.engine.sync(binding.id)).rejects.toMatchObject({
      code: 'GRADESYNC_SOURCE_UNAVAILABLE',
    });
    const [failed] = await harness.audit.listRuns({ bindingId: binding.id, limit: 1 });
    expect(failed?.error).toBe(
      'GRADESYNC_SOURCE_UNAVAILABLE: Reading coursera results of course course-1 failed: connect ECONNREFUSED',
    );
    harness.source.readResults = readResults;
    harness.source.setResult('program-1', harness.courseResult(2, 0.6));
    expect((await harness.engine.sync(binding.id)).statistics).toMatchObject({ considered: 1, queued: 1 });
  });

  it('a course another process is syncing answers GRADESYNC_SYNC_IN_PROGRESS after the wait', async () => {
    const harness = createMemoryHarness({ engine: { lockWaitMs: 0 } });
    await harness.bind();
    await harness.state.acquireLease(
      'sync:binding-1',
      'other-process',
      new Date(Date.now() + 60_000),
      harness.clock.now(),
    );
    await expect(harness.engine.sync(binding.id)).rejects.toMatchObject({
      code: 'GRADESYNC_SYNC_IN_PROGRESS',
    });
    await expect(harness.engine.sync('missing')).rejects.toMatchObject({ code: 'GRADESYNC_BINDING_UNKNOWN' });
  });

  it('options are validated at construction, naming the bad one', () => {
    expect(() => createMemoryHarness({ engine: { delivery: { ratePerSecond: -1 } } })).toThrow(
      expect.objectContaining({
        code: 'GRADESYNC_OPTIONS_INVALID',
        message: expect.stringContaining('delivery.ratePerSecond'),
      }),
    );
  });
});
