import { describe, expect, it } from 'vitest';
import { binding, createMemoryHarness, target } from '../../test/support/memory-harness.ts';
import { GradeSyncError } from '../errors.ts';

async function seeded(options: Parameters<typeof createMemoryHarness>[0] = {}) {
  const harness = createMemoryHarness(options);
  await harness.bind();
  for (const index of [1, 2, 3]) harness.source.setResult('program-1', harness.courseResult(index, 0.8));
  const run = await harness.engine.sync(binding.id);
  return { harness, run };
}

describe('drainOutbox', () => {
  it('on 429 waits as long as Retry-After says, for the whole LMS (no 429 storm), then delivers', async () => {
    const { harness } = await seeded({ engine: { delivery: { concurrency: 1 } } });
    harness.gradebook.failNext(
      1,
      () => new GradeSyncError('GRADESYNC_LMS_RATE_LIMITED', 'throttled', { retryAfterMs: 30_000 }),
    );
    const first = await harness.engine.drain(binding.lmsId);
    expect(first).toMatchObject({ delivered: 0, retried: 3, stoppedBy: 'rate-limited' });
    expect(harness.gradebook.posts).toHaveLength(0);
    const waiting = await harness.outbox.list();
    const now = harness.clock.now().getTime();
    // The throttled score counts an attempt; the two held back with it do not.
    expect(waiting.map((entry) => entry.attempts).sort()).toEqual([0, 0, 1]);
    expect(waiting.find((entry) => entry.attempts === 1)?.lastError).toBe(
      'GRADESYNC_LMS_RATE_LIMITED: throttled',
    );
    for (const entry of waiting) {
      expect(entry.availableAt).toBeGreaterThanOrEqual(now + 30_000);
      expect(entry.availableAt).toBeLessThanOrEqual(now + 31_000);
    }
    expect(first.nextDueAt!.getTime()).toBeGreaterThanOrEqual(now + 30_000);
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ claimed: 0 });
    harness.clock.advance(31_000);
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ delivered: 3 });
    expect(await harness.outbox.list()).toEqual([]);
  });

  it('backs off exponentially on 5xx and dead-letters when retries are used up', async () => {
    const { harness, run } = await seeded({ engine: { delivery: { maxAttempts: 3, concurrency: 1 } } });
    await harness.state.setMode('other-lms', 'final-grade');
    const unavailable = () => new GradeSyncError('GRADESYNC_LMS_UNAVAILABLE', 'HTTP 503');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      harness.gradebook.failNext(1, unavailable);
      const before = harness.clock.now().getTime();
      await harness.engine.drain(binding.lmsId);
      const failing = (await harness.outbox.list()).find((entry) => entry.attempts > 0);
      if (failing !== undefined) delays.push(failing.availableAt - before);
      harness.clock.advance(10 * 60_000);
    }
    // random() = 0.5: three quarters of 1 s, 2 s.
    expect(delays).toEqual([750, 1500]);
    const letters = await harness.engine.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: 'GRADESYNC_RETRIES_EXHAUSTED' });
    expect(letters[0]!.message).toBe('GRADESYNC_LMS_UNAVAILABLE after 3 attempts: HTTP 503');
    const statistics = await harness.engine.runStatistics(run.id);
    expect(statistics?.totals).toMatchObject({ queued: 3, delivered: 2, failed: 1, waiting: 0 });
  });

  it('dead-letters 401, 422 and a deleted line item (outside option B) with their reasons; retry after a fix delivers', async () => {
    const { harness } = await seeded({ engine: { delivery: { concurrency: 1 } } });
    harness.gradebook.failNext(
      1,
      () => new GradeSyncError('GRADESYNC_LMS_UNAUTHORIZED', 'HTTP 401 after a new token'),
    );
    harness.gradebook.failNext(
      1,
      () => new GradeSyncError('GRADESYNC_SCORE_REJECTED', 'HTTP 422: not a student'),
    );
    harness.gradebook.failNext(1, () => new GradeSyncError('GRADESYNC_LINE_ITEM_DELETED', 'HTTP 404'));
    const report = await harness.engine.drain(binding.lmsId);
    expect(report).toMatchObject({ deadLettered: 3, delivered: 0 });
    const letters = await harness.engine.listDeadLetters({ lmsId: binding.lmsId });
    expect(letters.map((letter) => letter.reason).sort()).toEqual([
      'GRADESYNC_LINE_ITEM_DELETED',
      'GRADESYNC_LMS_UNAUTHORIZED',
      'GRADESYNC_SCORE_REJECTED',
    ]);
    expect(await harness.audit.list({ kind: 'dead-lettered' })).toHaveLength(3);
    const unauthorized = letters.find((letter) => letter.reason === 'GRADESYNC_LMS_UNAUTHORIZED')!;
    await harness.engine.retryDeadLetter(unauthorized.id, { actor: 'admin' });
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ delivered: 1 });
    expect(await harness.engine.listDeadLetters()).toHaveLength(2);
    await expect(harness.engine.retryDeadLetter(unauthorized.id, { actor: 'admin' })).rejects.toMatchObject({
      code: 'GRADESYNC_DEAD_LETTER_UNKNOWN',
    });
    const rejected = letters.find((letter) => letter.reason === 'GRADESYNC_SCORE_REJECTED')!;
    await harness.engine.discardDeadLetter(rejected.id, { actor: 'admin' });
    expect(await harness.audit.list({ kind: 'dead-letter-discarded' })).toMatchObject([{ actor: 'admin' }]);
  });

  it('option B recreates a line item the instructor deleted and sends its scores again', async () => {
    const harness = createMemoryHarness({ mode: 'granular-created' });
    await harness.bind();
    harness.source.setItems('course-1', [
      { id: 'quiz-1', courseId: 'course-1', title: 'Quiz 1', maximumPoints: 10, order: 0 },
    ]);
    for (const index of [1, 2]) harness.source.setResult('program-1', harness.itemResult(index, 'quiz-1', 8));
    await harness.engine.sync(binding.id);
    await harness.engine.drain(binding.lmsId);
    const [deleted] = harness.gradebook.lineItems(target);
    harness.gradebook.deleteLineItem(deleted!.id);
    harness.source.setResult(
      'program-1',
      harness.itemResult(1, 'quiz-1', 9, {
        updatedAt: new Date('2025-03-01T00:00:00Z'),
        completedAt: new Date('2025-03-01T00:00:00Z'),
      }),
    );
    await harness.engine.sync(binding.id);
    const report = await harness.engine.drain(binding.lmsId);
    expect(report).toMatchObject({ recreated: 1, deadLettered: 0 });
    const [recreated] = harness.gradebook.lineItems(target);
    expect(recreated!.id).not.toBe(deleted!.id);
    expect(recreated).toMatchObject({ label: 'Quiz 1', resourceId: 'passport:item:course-1:quiz-1' });
    expect([...harness.gradebook.scores(recreated!.id).keys()].sort()).toEqual(['lms-user-1', 'lms-user-2']);
    expect(harness.gradebook.scores(recreated!.id).get('lms-user-1')).toMatchObject({ scoreGiven: 9 });
    expect(await harness.audit.list({ kind: 'line-item-recreated' })).toMatchObject([
      { lineItemId: deleted!.id },
    ]);
  });

  it('opens the circuit after repeated LMS failures and stops until the pause is over', async () => {
    const { harness } = await seeded({
      engine: { delivery: { concurrency: 1, breaker: { failureThreshold: 2, openMs: 60_000 } } },
    });
    harness.gradebook.failNext(2, () => new GradeSyncError('GRADESYNC_LMS_UNAVAILABLE', 'HTTP 502'));
    const report = await harness.engine.drain(binding.lmsId);
    expect(report).toMatchObject({ retried: 3, delivered: 0, stoppedBy: 'circuit-open' });
    // The third entry was paused by the open circuit: not counted as its own failure.
    expect((await harness.outbox.list()).map((entry) => entry.attempts).sort()).toEqual([0, 1, 1]);
    expect(report.nextDueAt!.getTime()).toBeGreaterThanOrEqual(harness.clock.now().getTime() + 60_000);
    harness.clock.advance(61_000);
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ delivered: 3, stoppedBy: 'empty' });
  });

  it('counts a score the LMS refuses as older than its own as done (Canvas after a resend)', async () => {
    const { harness } = await seeded();
    harness.gradebook.failNext(1, () => new GradeSyncError('GRADESYNC_SCORE_STALE', 'HTTP 400 timestamp'));
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({
      lmsHadNewer: 1,
      delivered: 2,
      deadLettered: 0,
    });
    expect(await harness.outbox.list()).toEqual([]);
  });

  it('one drainer per LMS: a second drain while the lease is held answers busy', async () => {
    const { harness } = await seeded();
    await harness.state.acquireLease(
      'drain:lms-1',
      'another-process',
      new Date(Date.now() + 60_000),
      harness.clock.now(),
    );
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ stoppedBy: 'busy', claimed: 0 });
  });
});

describe('drainOutbox after a crash between recording a delivery and completing it', () => {
  it('settles without posting again, and the audit still has exactly one entry', async () => {
    const harness = createMemoryHarness();
    await harness.bind();
    harness.source.setResult('program-1', harness.courseResult(1, 0.8));
    await harness.engine.sync(binding.id);
    const [entry] = await harness.outbox.list();
    // The crashed process had posted the score and recorded it as sent, then died before the audit and completion.
    await harness.state.recordSent({
      lineItemId: entry!.lineItemId,
      userId: entry!.userId,
      fingerprint: entry!.fingerprint,
      scoreTimestamp: Date.parse(entry!.score.timestamp),
      sourceUpdatedAt: entry!.sourceUpdatedAt,
      score: entry!.score,
      sentAt: harness.clock.now().getTime(),
    });
    expect(await harness.engine.drain(binding.lmsId)).toMatchObject({ alreadyDelivered: 1, delivered: 0 });
    expect(harness.gradebook.posts).toHaveLength(0);
    expect(await harness.outbox.list()).toEqual([]);
    const audit = await harness.audit.list({ kind: 'score-sent' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail.previous).toBe('unknown (recorded after a crash)');
  });
});
