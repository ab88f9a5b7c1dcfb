import { describe, expect, it } from 'vitest';
import type { GradeOutbox } from '../ports.ts';
import { at, outboxEntry } from './fixtures.ts';

/** The behavior every `GradeOutbox` adapter must have. `create` answers an empty outbox. */
export function describeGradeOutboxContract(name: string, create: () => Promise<GradeOutbox>): void {
  describe(`GradeOutbox contract: ${name}`, () => {
    it('keeps one entry per (line item, user): same content is unchanged, newer replaces, older is ignored', async () => {
      const outbox = await create();
      expect(await outbox.enqueue([outboxEntry(), outboxEntry({ userId: 'user-2' })], at(0))).toEqual({
        inserted: 2,
        replaced: 0,
        unchanged: 0,
      });
      expect(await outbox.enqueue([outboxEntry()], at(1))).toEqual({
        inserted: 0,
        replaced: 0,
        unchanged: 1,
      });
      const newer = outboxEntry({
        fingerprint: 'fingerprint-90',
        score: { ...outboxEntry().score, scoreGiven: 90, timestamp: '2025-03-02T10:00:00.000Z' },
        sourceUpdatedAt: Date.parse('2025-03-02T10:00:00.000Z'),
        runId: 'run-2',
      });
      expect(await outbox.enqueue([newer], at(2))).toEqual({ inserted: 0, replaced: 1, unchanged: 0 });
      const older = outboxEntry({
        fingerprint: 'fingerprint-10',
        sourceUpdatedAt: Date.parse('2025-02-01T00:00:00Z'),
      });
      expect(await outbox.enqueue([older], at(3))).toEqual({ inserted: 0, replaced: 0, unchanged: 1 });
      const entries = await outbox.list({ lineItemId: 'https://lms.example/lineitems/1' });
      expect(entries).toHaveLength(2);
      expect(entries.find((entry) => entry.userId === 'user-1')).toMatchObject({
        version: 2,
        attempts: 0,
        runId: 'run-2',
        fingerprint: 'fingerprint-90',
        score: { scoreGiven: 90 },
        availableAt: at(0).getTime(),
        enqueuedAt: at(0).getTime(),
      });
    });

    it('claims due entries of one LMS, oldest first, and leases them', async () => {
      const outbox = await create();
      await outbox.enqueue([outboxEntry({ userId: 'user-1' })], at(0));
      await outbox.enqueue([outboxEntry({ userId: 'user-2' })], at(1));
      await outbox.enqueue([outboxEntry({ userId: 'user-3', lmsId: 'lms-2' })], at(1));
      await outbox.enqueue([outboxEntry({ userId: 'user-4' })], at(9));
      const claimed = await outbox.claim('lms-1', { limit: 5, leaseMs: 60_000, now: at(5), claimToken: 'a' });
      expect(claimed.map((entry) => [entry.userId, entry.claimToken, entry.availableAt])).toEqual([
        ['user-1', 'a', at(6).getTime()],
        ['user-2', 'a', at(6).getTime()],
      ]);
      expect(await outbox.claim('lms-1', { limit: 5, leaseMs: 60_000, now: at(5), claimToken: 'b' })).toEqual(
        [],
      );
      expect((await outbox.nextDueAt('lms-1'))?.getTime()).toBe(at(6).getTime());
      // The lease ran out (the claimer died): another claimer gets them; the first can no longer settle.
      const again = await outbox.claim('lms-1', { limit: 1, leaseMs: 60_000, now: at(7), claimToken: 'c' });
      expect(again.map((entry) => entry.userId)).toEqual(['user-1']);
      expect(await outbox.complete(claimed[0]!, at(7))).toBe('lost');
      expect(await outbox.retryLater(claimed[0]!, at(8), 'late')).toBe(false);
      expect(await outbox.remove(claimed[0]!)).toBe(false);
      expect(await outbox.complete(again[0]!, at(7))).toBe('deleted');
      expect((await outbox.list()).map((entry) => entry.userId).sort()).toEqual([
        'user-2',
        'user-3',
        'user-4',
      ]);
    });

    it('a score replaced while in flight is not deleted by the old completion: the newer one goes next', async () => {
      const outbox = await create();
      await outbox.enqueue([outboxEntry()], at(0));
      const [claimed] = await outbox.claim('lms-1', {
        limit: 1,
        leaseMs: 60_000,
        now: at(1),
        claimToken: 'a',
      });
      const newer = outboxEntry({
        fingerprint: 'fingerprint-95',
        score: { ...outboxEntry().score, scoreGiven: 95, timestamp: '2025-03-04T00:00:00.000Z' },
        sourceUpdatedAt: Date.parse('2025-03-04T00:00:00.000Z'),
      });
      expect(await outbox.enqueue([newer], at(2))).toMatchObject({ replaced: 1 });
      expect(await outbox.complete(claimed!, at(3))).toBe('superseded');
      const [next] = await outbox.claim('lms-1', { limit: 1, leaseMs: 60_000, now: at(3), claimToken: 'b' });
      expect(next).toMatchObject({ version: 2, score: { scoreGiven: 95 }, claimToken: 'b' });
      expect(await outbox.complete(next!, at(4))).toBe('deleted');
      expect(await outbox.list()).toEqual([]);
    });

    it('retries later (counting the attempt or not) and removes', async () => {
      const outbox = await create();
      await outbox.enqueue([outboxEntry(), outboxEntry({ userId: 'user-2' })], at(0));
      const [first, second] = await outbox.claim('lms-1', {
        limit: 2,
        leaseMs: 60_000,
        now: at(1),
        claimToken: 'a',
      });
      expect(await outbox.retryLater(first!, at(30), 'GRADESYNC_LMS_UNAVAILABLE: 503')).toBe(true);
      expect(await outbox.retryLater(second!, at(20), 'paused', false)).toBe(true);
      const entries = await outbox.list();
      expect(
        entries.map((entry) => [entry.userId, entry.attempts, entry.availableAt, entry.lastError]),
      ).toEqual([
        ['user-1', 1, at(30).getTime(), 'GRADESYNC_LMS_UNAVAILABLE: 503'],
        ['user-2', 0, at(20).getTime(), 'paused'],
      ]);
      expect((await outbox.nextDueAt('lms-1'))?.getTime()).toBe(at(20).getTime());
      expect(await outbox.claim('lms-1', { limit: 5, leaseMs: 1000, now: at(19), claimToken: 'b' })).toEqual(
        [],
      );
      const [due] = await outbox.claim('lms-1', { limit: 5, leaseMs: 1000, now: at(25), claimToken: 'c' });
      expect(await outbox.remove(due!)).toBe(true);
      expect((await outbox.list()).map((entry) => entry.userId)).toEqual(['user-1']);
      expect(await outbox.nextDueAt('lms-2')).toBeUndefined();
    });

    it('keeps the resend flag and drops a whole line item', async () => {
      const outbox = await create();
      await outbox.enqueue(
        [
          outboxEntry({ resend: true }),
          outboxEntry({
            userId: 'user-2',
            lineItemId: 'https://lms.example/lineitems/2',
            bindingId: 'binding-2',
          }),
        ],
        at(0),
      );
      expect((await outbox.list({ bindingId: 'binding-1' }))[0]).toMatchObject({ resend: true });
      expect(await outbox.removeLineItem('https://lms.example/lineitems/1')).toBe(1);
      expect((await outbox.list()).map((entry) => entry.bindingId)).toEqual(['binding-2']);
    });

    it('concurrent claimers never get the same entry', async () => {
      const outbox = await create();
      await outbox.enqueue(
        Array.from({ length: 20 }, (_, index) => outboxEntry({ userId: `user-${index}` })),
        at(0),
      );
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          outbox.claim('lms-1', { limit: 4, leaseMs: 60_000, now: at(1), claimToken: `claimer-${index}` }),
        ),
      );
      const ids = claims.flat().map((entry) => entry.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });
  });
}
