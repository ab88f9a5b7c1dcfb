import type { Clock, GenerateId } from '@passport/core';
import { GradeSyncError } from '../errors.ts';
import type { AuditLog, GradeOutbox, SyncMode, SyncState } from '../ports.ts';

export interface ModeSwitch {
  readonly lmsId: string;
  readonly from: SyncMode;
  readonly to: SyncMode;
  /** What happens to the existing line items and to the scores waiting, in words an admin can approve. */
  readonly statement: string;
  /** Line items the old mode sent to, across the LMS's courses: they stay in the gradebooks, no longer updated. */
  readonly lineItemsKept: number;
  /** Scores still waiting for the old mode's line items: they are delivered. */
  readonly scoresWaiting: number;
}

const whatComesNext: Record<SyncMode, string> = {
  'final-grade':
    'From the next sync, each course sends its final grade to one line item: the course activity’s, or one Passport creates (tagged passport-final-grade) when the activity has none.',
  'granular-linked':
    'From the next sync, each item an instructor deep-linked as an activity sends its score to that activity’s line item; items not deep-linked are reported, not sent.',
  'granular-created':
    'At the next sync, Passport creates one line item per gradable item of each course (tagged passport-item, keyed by resourceId, never twice) and adds one whenever a course gains an item.',
};

/** The statement an admin reads before confirming a switch. */
export function describeModeSwitch(
  from: SyncMode,
  to: SyncMode,
  lineItemsKept: number,
  scoresWaiting: number,
) {
  const kept =
    lineItemsKept === 0
      ? `No line item received scores in ${from} mode.`
      : `The ${lineItemsKept} line item${lineItemsKept === 1 ? '' : 's'} used in ${from} mode stay in the gradebooks with the scores already sent; Passport stops updating them and never deletes them (an instructor may).`;
  const waiting =
    scoresWaiting === 0
      ? ''
      : ` The ${scoresWaiting} score${scoresWaiting === 1 ? '' : 's'} already waiting for them are still delivered.`;
  return `${whatComesNext[to]} ${kept}${waiting}`;
}

/**
 * Switches an LMS instance's grade sync mode: an explicit, audited operation. Nothing is deleted in the LMS; the old
 * mode's line items keep their scores and stop receiving new ones, because slots are per mode. Throws
 * `GRADESYNC_MODE_UNCHANGED` when the LMS is already in that mode.
 */
export async function switchMode(
  context: {
    state: SyncState;
    outbox: GradeOutbox;
    audit: AuditLog;
    clock: Clock;
    generateId: GenerateId;
    defaultMode: SyncMode;
  },
  lmsId: string,
  to: SyncMode,
  request: { actor: string; reason?: string },
): Promise<ModeSwitch> {
  const from = (await context.state.getMode(lmsId)) ?? context.defaultMode;
  if (from === to)
    throw new GradeSyncError('GRADESYNC_MODE_UNCHANGED', `LMS ${lmsId} is already in ${to} mode.`);
  const prefix = `${from}:`;
  const oldLineItems = new Set<string>();
  for (const binding of await context.state.listBindings({ lmsId }))
    for (const slot of await context.state.lineItemSlots(binding.id))
      if (slot.slot.startsWith(prefix)) oldLineItems.add(slot.lineItemId);
  const waiting = (await context.outbox.list({ lmsId })).filter((entry) =>
    entry.slot.startsWith(prefix),
  ).length;
  const statement = describeModeSwitch(from, to, oldLineItems.size, waiting);
  const modeSwitch: ModeSwitch = {
    lmsId,
    from,
    to,
    statement,
    lineItemsKept: oldLineItems.size,
    scoresWaiting: waiting,
  };
  await context.state.setMode(lmsId, to);
  await context.audit.append({
    key: `mode-switched:${context.generateId()}`,
    at: context.clock.now(),
    kind: 'mode-switched',
    lmsId,
    actor: request.actor,
    detail: {
      from,
      to,
      statement,
      reason: request.reason,
      lineItemsKept: oldLineItems.size,
      scoresWaiting: waiting,
    },
  });
  return modeSwitch;
}
