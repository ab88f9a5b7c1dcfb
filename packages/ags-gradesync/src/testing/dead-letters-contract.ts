import { describe, expect, it } from 'vitest';
import type { DeadLetter, DeadLetters } from '../ports.ts';
import { at, outboxEntry } from './fixtures.ts';

const letter = (id: string, overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  id,
  entry: {
    ...outboxEntry(),
    id: id.split(':')[0]!,
    version: 1,
    attempts: 3,
    availableAt: at(0).getTime(),
    enqueuedAt: at(0).getTime(),
    lastError: 'GRADESYNC_LMS_UNAVAILABLE: 503',
  },
  reason: 'GRADESYNC_RETRIES_EXHAUSTED',
  message: 'GRADESYNC_LMS_UNAVAILABLE after 3 attempts',
  failedAt: at(5),
  ...overrides,
});

/** The behavior every `DeadLetters` adapter must have. `create` answers an empty list. */
export function describeDeadLettersContract(name: string, create: () => Promise<DeadLetters>): void {
  describe(`DeadLetters contract: ${name}`, () => {
    it('adds a letter once, lists by LMS, binding and run in failure order, and takes it back', async () => {
      const letters = await create();
      expect(await letters.add(letter('e1:1'))).toBe(true);
      expect(await letters.add(letter('e1:1', { message: 'again' }))).toBe(false);
      const other = letter('e2:1', {
        failedAt: at(2),
        reason: 'GRADESYNC_SCORE_REJECTED',
        entry: { ...letter('e2:1').entry, lmsId: 'lms-2', bindingId: 'binding-2', runId: 'run-2' },
      });
      expect(await letters.add(other)).toBe(true);
      expect((await letters.list()).map((found) => found.id)).toEqual(['e2:1', 'e1:1']);
      expect(await letters.list({ lmsId: 'lms-1' })).toEqual([letter('e1:1')]);
      expect((await letters.list({ bindingId: 'binding-2' })).map((found) => found.id)).toEqual(['e2:1']);
      expect((await letters.list({ runId: 'run-1' })).map((found) => found.id)).toEqual(['e1:1']);
      expect(await letters.take('e1:1')).toEqual(letter('e1:1'));
      expect(await letters.take('e1:1')).toBeUndefined();
      expect((await letters.list()).map((found) => found.id)).toEqual(['e2:1']);
    });
  });
}
