import { describe, expect, it } from 'vitest';
import type { LicenseLedger, ProgramKey } from '../ports.ts';

const program: ProgramKey = { platform: 'coursera', organizationId: 'org-1', programId: 'p1' };
const at = (minute: number) => new Date(Date.UTC(2025, 2, 3, 9, minute));

export function describeLicenseLedgerContract(name: string, create: () => Promise<LicenseLedger>): void {
  describe(`LicenseLedger contract: ${name}`, () => {
    it('takes seats up to the count, then answers full with the usage', async () => {
      const ledger = await create();
      await ledger.setSeats(program, 2);
      expect(await ledger.take(program, { learnerExternalId: 'a', takenAt: at(1) })).toMatchObject({
        state: 'taken',
      });
      expect(await ledger.take(program, { learnerExternalId: 'b', takenAt: at(2) })).toMatchObject({
        state: 'taken',
      });
      const full = await ledger.take(program, { learnerExternalId: 'c', takenAt: at(3) });
      expect(full).toMatchObject({ state: 'full', usage: { seats: 2, used: 2, free: 0 } });
      expect(await ledger.usage(program)).toEqual({
        programId: 'p1',
        seats: 2,
        used: 2,
        free: 0,
        holders: [
          { learnerExternalId: 'a', takenAt: at(1) },
          { learnerExternalId: 'b', takenAt: at(2) },
        ],
      });
    });

    it('a learner who holds a seat keeps it (already-held), without taking another', async () => {
      const ledger = await create();
      await ledger.setSeats(program, 1);
      await ledger.take(program, { learnerExternalId: 'a', takenAt: at(1) });
      expect(await ledger.take(program, { learnerExternalId: 'a', takenAt: at(5) })).toEqual({
        state: 'already-held',
        seat: { learnerExternalId: 'a', takenAt: at(1) },
      });
      expect((await ledger.usage(program)).used).toBe(1);
    });

    it('release frees the seat for someone else; releasing twice answers false', async () => {
      const ledger = await create();
      await ledger.setSeats(program, 1);
      await ledger.take(program, { learnerExternalId: 'a', takenAt: at(1) });
      expect(await ledger.release(program, 'a')).toBe(true);
      expect(await ledger.release(program, 'a')).toBe(false);
      expect(await ledger.take(program, { learnerExternalId: 'b', takenAt: at(2) })).toMatchObject({
        state: 'taken',
      });
    });

    it('without a seat count there is no limit', async () => {
      const ledger = await create();
      for (const learner of ['a', 'b', 'c'])
        await ledger.take(program, { learnerExternalId: learner, takenAt: at(1) });
      expect(await ledger.usage(program)).toMatchObject({ seats: undefined, used: 3, free: undefined });
    });

    it('lowering the count keeps the holders and blocks new takes', async () => {
      const ledger = await create();
      for (const learner of ['a', 'b', 'c'])
        await ledger.take(program, { learnerExternalId: learner, takenAt: at(1) });
      await ledger.setSeats(program, 2);
      expect(await ledger.usage(program)).toMatchObject({ seats: 2, used: 3, free: 0 });
      expect(await ledger.take(program, { learnerExternalId: 'd', takenAt: at(2) })).toMatchObject({
        state: 'full',
      });
      await ledger.release(program, 'a');
      expect(await ledger.take(program, { learnerExternalId: 'd', takenAt: at(2) })).toMatchObject({
        state: 'full',
      });
      await ledger.release(program, 'b');
      expect(await ledger.take(program, { learnerExternalId: 'd', takenAt: at(2) })).toMatchObject({
        state: 'taken',
      });
    });

    it('learners racing for the last seats: exactly as many win as there are seats', async () => {
      const ledger = await create();
      await ledger.setSeats(program, 3);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          ledger.take(program, { learnerExternalId: `l${index}`, takenAt: at(1) }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.state === 'taken')).toHaveLength(3);
      expect((await ledger.usage(program)).used).toBe(3);
    });

    it('keeps programs apart', async () => {
      const ledger = await create();
      await ledger.setSeats(program, 1);
      await ledger.take(program, { learnerExternalId: 'a', takenAt: at(1) });
      const other = { ...program, programId: 'p2' };
      expect(await ledger.take(other, { learnerExternalId: 'a', takenAt: at(1) })).toMatchObject({
        state: 'taken',
      });
      expect((await ledger.usage(other)).used).toBe(1);
    });
  });
}
