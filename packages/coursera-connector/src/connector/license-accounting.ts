import { type Clock, systemClock } from '@passport/core';
import { ConnectorError } from '../errors/connector-error.ts';
import type { LicenseLedger, ProgramKey } from '../ports.ts';
import type { LearningPlatformConnector } from './connector.ts';
import type { HandOffRequest, HandOffReturn, LicenseSeat, LicenseUsage } from './types.ts';

export interface LicenseAccountingOptions {
  connector: LearningPlatformConnector;
  ledger: LicenseLedger;
  clock?: Clock;
}

export interface SignOnResult {
  /** Where to send the learner. */
  url: URL;
  /** The learner's seat (taken now on a first sign-on, or held since an earlier one). */
  seat: LicenseSeat;
  firstSignOn: boolean;
}

export interface LicenseAccounting {
  /**
   * A learner follows an LMS link: takes a license on their first sign-on and builds the hand-off URL. A full program
   * throws `CONNECTOR_PROGRAM_FULL` with a message a learner and a teacher can act on, before the learner leaves.
   */
  signOn(request: HandOffRequest): Promise<SignOnResult>;
  /**
   * The platform sent the learner back. When it says the program was full (its seat count disagreed with ours),
   * the seat is released again and `CONNECTOR_PROGRAM_FULL` is thrown.
   */
  completeSignOn(returnUrl: URL | string, expected: { state: string }): Promise<HandOffReturn>;
  /** Removes the learner from the program on the platform and releases their license. */
  remove(programId: string, learnerExternalId: string): Promise<LicenseUsage>;
  /** Seats used, free and by whom, for district admins. */
  usage(programId: string): Promise<LicenseUsage>;
  setSeats(programId: string, seats: number | undefined): Promise<LicenseUsage>;
}

/** A license is taken when a learner first signs on and joins a program, and released when they are removed. */
export function createLicenseAccounting(options: LicenseAccountingOptions): LicenseAccounting {
  const { connector, ledger } = options;
  const clock = options.clock ?? systemClock;
  const keyOf = (programId: string): ProgramKey => ({
    platform: connector.platform,
    organizationId: connector.organizationId,
    programId,
  });

  return {
    async signOn(request) {
      const taken = await ledger.take(keyOf(request.programId), {
        learnerExternalId: request.learner.externalId,
        takenAt: clock.now(),
      });
      if (taken.state === 'full') throw programFull(connector.platform, request.programId, taken.usage);
      return {
        url: connector.handOff.buildUrl(request),
        seat: taken.seat,
        firstSignOn: taken.state === 'taken',
      };
    },

    async completeSignOn(returnUrl, expected) {
      const returned = await connector.handOff.receiveReturn(returnUrl, expected);
      if (returned.outcome === 'program-full') {
        const key = keyOf(returned.programId);
        await ledger.release(key, returned.learnerExternalId);
        throw programFull(connector.platform, returned.programId, await ledger.usage(key));
      }
      return returned;
    },

    async remove(programId, learnerExternalId) {
      if (connector.capabilities.manageMembership)
        await connector.learners.remove(programId, learnerExternalId);
      const key = keyOf(programId);
      await ledger.release(key, learnerExternalId);
      return ledger.usage(key);
    },

    usage: (programId) => ledger.usage(keyOf(programId)),

    async setSeats(programId, seats) {
      if (seats !== undefined && (!Number.isInteger(seats) || seats < 0)) {
        throw new ConnectorError(
          'CONNECTOR_INVALID_OPTIONS',
          `Seat count must be a whole number ≥ 0, got ${seats}`,
        );
      }
      await ledger.setSeats(keyOf(programId), seats);
      return ledger.usage(keyOf(programId));
    },
  };
}

function programFull(platform: string, programId: string, usage: LicenseUsage): ConnectorError {
  const seats = usage.seats === undefined ? 'all' : `${usage.used} of ${usage.seats}`;
  return new ConnectorError(
    'CONNECTOR_PROGRAM_FULL',
    `Program ${programId} on ${platform} has no free license (${seats} in use)`,
    {
      platform,
      description:
        `This program has no free license right now (${seats} licenses are in use). ` +
        'Ask your teacher or district administrator to free a license or add seats, then try again.',
      detail: { programId, usage },
    },
  );
}
