import type { RunRecord } from '../ports.ts';

export interface SyncRequest {
  readonly trigger: RunRecord['trigger'];
  /** Read every result again, ignoring the watermark. */
  readonly reread?: boolean | undefined;
  /** Send unchanged scores again (an explicit full resync). */
  readonly resend?: boolean | undefined;
}

/**
 * Where the engine asks for work to happen later or elsewhere: draining an LMS's outbox (after scores were
 * queued, or when retries fall due) and syncing a course (a line item to recreate). pg-boss spreads the work over
 * every server process; the in-process scheduler runs it on timers.
 */
export interface SyncScheduler {
  requestDrain(lmsId: string, at?: Date): Promise<void>;
  requestSync(bindingId: string, request: SyncRequest): Promise<void>;
}
