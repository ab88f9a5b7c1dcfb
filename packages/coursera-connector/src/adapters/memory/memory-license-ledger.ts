import type { LicenseSeat, LicenseUsage } from '../../connector/types.ts';
import type { LicenseLedger, ProgramKey } from '../../ports.ts';

interface ProgramLedger {
  seats: number | undefined;
  holders: Map<string, LicenseSeat>;
}

/** A license ledger in memory. JavaScript runs one `take` at a time, so a seat cannot be given twice. */
export function createMemoryLicenseLedger(): LicenseLedger {
  const programs = new Map<string, ProgramLedger>();
  const ledgerOf = (program: ProgramKey): ProgramLedger => {
    const key = `${program.platform}\u0000${program.organizationId}\u0000${program.programId}`;
    let ledger = programs.get(key);
    if (ledger === undefined) {
      ledger = { seats: undefined, holders: new Map() };
      programs.set(key, ledger);
    }
    return ledger;
  };
  const usageOf = (program: ProgramKey, ledger: ProgramLedger): LicenseUsage => {
    const holders = [...ledger.holders.values()]
      .map((seat) => ({ ...seat, takenAt: new Date(seat.takenAt) }))
      .sort(
        (a, b) =>
          a.takenAt.getTime() - b.takenAt.getTime() || compare(a.learnerExternalId, b.learnerExternalId),
      );
    return {
      programId: program.programId,
      seats: ledger.seats,
      used: holders.length,
      free: ledger.seats === undefined ? undefined : Math.max(0, ledger.seats - holders.length),
      holders,
    };
  };
  return {
    async setSeats(program, seats) {
      ledgerOf(program).seats = seats;
    },
    async take(program, seat) {
      const ledger = ledgerOf(program);
      const held = ledger.holders.get(seat.learnerExternalId);
      if (held !== undefined) return { state: 'already-held', seat: { ...held } };
      if (ledger.seats !== undefined && ledger.holders.size >= ledger.seats) {
        return { state: 'full', usage: usageOf(program, ledger) };
      }
      const taken = { learnerExternalId: seat.learnerExternalId, takenAt: new Date(seat.takenAt) };
      ledger.holders.set(seat.learnerExternalId, taken);
      return { state: 'taken', seat: { ...taken } };
    },
    async release(program, learnerExternalId) {
      return ledgerOf(program).holders.delete(learnerExternalId);
    },
    async usage(program) {
      return usageOf(program, ledgerOf(program));
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
