import { describe, expect, it } from 'vitest';
import type { CourseBinding, SentScore, SyncState } from '../ports.ts';
import { at } from './fixtures.ts';

const sent = (overrides: Partial<SentScore> = {}): SentScore => ({
  lineItemId: 'line-item-1',
  userId: 'user-1',
  fingerprint: 'f1',
  scoreTimestamp: 1_000,
  sourceUpdatedAt: 2_000,
  score: {
    userId: overrides.userId ?? 'user-1',
    scoreGiven: 5,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: '1970-01-01T00:00:01.000Z',
  },
  sentAt: 3_000,
  ...overrides,
});

const binding = (id: string, overrides: Partial<CourseBinding> = {}): CourseBinding => ({
  id,
  tenantId: 'tenant-1',
  lmsId: 'lms-1',
  contextId: `context-${id}`,
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
  ...overrides,
});

/** The behavior every `SyncState` adapter must have. `create` answers an empty state. */
export function describeSyncStateContract(name: string, create: () => Promise<SyncState>): void {
  describe(`SyncState contract: ${name}`, () => {
    it('records sent scores; an older source result never replaces a newer one', async () => {
      const state = await create();
      await state.recordSent(sent());
      await state.recordSent(sent({ userId: 'user-2', fingerprint: 'f2' }));
      await state.recordSent(sent({ lineItemId: 'line-item-2' }));
      await state.recordSent(sent({ fingerprint: 'older', sourceUpdatedAt: 1_500 }));
      await state.recordSent(
        sent({ userId: 'user-2', fingerprint: 'f3', sourceUpdatedAt: 2_500, scoreTimestamp: 2_500 }),
      );
      const all = await state.sentScores(['line-item-1', 'line-item-9']);
      expect([...all.keys()]).toEqual(['line-item-1', 'line-item-9']);
      expect(all.get('line-item-1')?.get('user-1')).toEqual(sent());
      expect(all.get('line-item-1')?.get('user-2')).toMatchObject({
        fingerprint: 'f3',
        scoreTimestamp: 2_500,
      });
      expect(all.get('line-item-9')?.size).toBe(0);
      expect(await state.sentScore('line-item-2', 'user-1')).toEqual(sent({ lineItemId: 'line-item-2' }));
      expect(await state.sentScore('line-item-2', 'user-9')).toBeUndefined();
      expect(await state.forgetLineItem('line-item-1')).toBe(2);
      expect((await state.sentScores(['line-item-1'])).get('line-item-1')?.size).toBe(0);
    });

    it('keeps watermarks and clears them by prefix (literally, even with % and _)', async () => {
      const state = await create();
      await state.setWatermark('binding:a_1:course', 'w1');
      await state.setWatermark('binding:a_1:item', 'w2');
      await state.setWatermark('binding:ab1:item', 'w3');
      await state.setWatermark('binding:a_1:course', 'w4');
      expect(await state.getWatermark('binding:a_1:course')).toBe('w4');
      expect(await state.clearWatermarks('binding:a_1:')).toBe(2);
      expect(await state.getWatermark('binding:a_1:item')).toBeUndefined();
      expect(await state.getWatermark('binding:ab1:item')).toBe('w3');
    });

    it('keeps bindings, modes and line item slots', async () => {
      const state = await create();
      await state.saveBinding(
        binding('b2', { itemLineItems: { 'quiz-1': 'https://lms.example/lineitems/7' } }),
      );
      await state.saveBinding(binding('b1', { tenantId: 'tenant-2', lmsId: 'lms-2' }));
      await state.saveBinding(
        binding('b2', { itemLineItems: { 'quiz-1': 'https://lms.example/lineitems/8' } }),
      );
      expect(await state.getBinding('b2')).toEqual(
        binding('b2', { itemLineItems: { 'quiz-1': 'https://lms.example/lineitems/8' } }),
      );
      expect(await state.getBinding('missing')).toBeUndefined();
      expect((await state.listBindings()).map((saved) => saved.id)).toEqual(['b1', 'b2']);
      expect((await state.listBindings({ tenantId: 'tenant-1' })).map((saved) => saved.id)).toEqual(['b2']);
      expect((await state.listBindings({ lmsId: 'lms-2' })).map((saved) => saved.id)).toEqual(['b1']);

      expect(await state.getMode('lms-1')).toBeUndefined();
      await state.setMode('lms-1', 'granular-created');
      await state.setMode('lms-1', 'granular-linked');
      expect(await state.getMode('lms-1')).toBe('granular-linked');

      const slot = {
        bindingId: 'b2',
        slot: 'granular-created:item:q',
        lineItemId: 'li-1',
        scoreMaximum: 12.5,
        createdByEngine: true,
      };
      await state.saveLineItemSlot(slot);
      await state.saveLineItemSlot({
        ...slot,
        slot: 'final-grade:course',
        createdByEngine: false,
        lineItemId: 'li-0',
      });
      await state.saveLineItemSlot({ ...slot, lineItemId: 'li-2' });
      expect(await state.lineItemSlots('b2')).toEqual([
        { ...slot, slot: 'final-grade:course', createdByEngine: false, lineItemId: 'li-0' },
        { ...slot, lineItemId: 'li-2' },
      ]);
      expect(await state.removeLineItemSlot('b2', 'granular-created:item:q')).toBe(true);
      expect(await state.removeLineItemSlot('b2', 'granular-created:item:q')).toBe(false);
      expect(await state.lineItemSlots('b9')).toEqual([]);
    });

    it('gives a lease to one owner at a time; the owner renews it; anyone takes it once expired', async () => {
      const state = await create();
      expect(await state.acquireLease('drain:lms-1', 'a', at(10), at(0))).toBe(true);
      expect(await state.acquireLease('drain:lms-1', 'b', at(10), at(1))).toBe(false);
      expect(await state.acquireLease('drain:lms-1', 'a', at(20), at(2))).toBe(true);
      expect(await state.acquireLease('drain:lms-1', 'b', at(30), at(15))).toBe(false);
      expect(await state.acquireLease('drain:lms-1', 'b', at(30), at(20))).toBe(true);
      await state.releaseLease('drain:lms-1', 'a');
      expect(await state.acquireLease('drain:lms-1', 'c', at(40), at(21))).toBe(false);
      await state.releaseLease('drain:lms-1', 'b');
      expect(await state.acquireLease('drain:lms-1', 'c', at(40), at(21))).toBe(true);
    });

    it('concurrent lease requests: exactly one wins', async () => {
      const state = await create();
      const wins = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          state.acquireLease('sync:b1', `owner-${index}`, at(10), at(0)),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });
  });
}
