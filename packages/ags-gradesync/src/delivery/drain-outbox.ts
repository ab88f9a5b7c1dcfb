import type { EngineContext } from '../engine/engine-context.ts';
import type { ClaimedEntry, DeadLetterReason, GradebookTarget, OutboxEntry, SentScore } from '../ports.ts';
import { backoffDelay } from './backoff.ts';
import { classifyFailure } from './classify-failure.ts';

export interface DrainReport {
  readonly lmsId: string;
  claimed: number;
  /** Scores the LMS took. */
  delivered: number;
  /** Claimed scores that had been delivered before a crash stopped their completion: not sent again. */
  alreadyDelivered: number;
  /** Scores the LMS refused as older than the one it holds (its own resend after a crash, on Canvas): done. */
  lmsHadNewer: number;
  retried: number;
  deadLettered: number;
  /** Line items found deleted and queued for recreation (option B). */
  recreated: number;
  /** Scores replaced by a newer one while in flight: the newer one goes next. */
  superseded: number;
  stoppedBy: 'empty' | 'budget' | 'circuit-open' | 'rate-limited' | 'busy' | 'aborted';
  /** When the LMS next has a score due, if any. */
  nextDueAt: Date | undefined;
  /** Bindings whose line item was recreated and that need a sync (when no scheduler runs it). */
  readonly resyncBindings: string[];
}

/** What one drain shares between its deliveries. */
interface DrainState {
  readonly report: DrainReport;
  /** The LMS asked to wait (Retry-After) until then (ms): nothing more goes before. */
  pausedUntil: number;
}

function summary(score: OutboxEntry['score'] | undefined) {
  if (score === undefined) return null;
  return {
    scoreGiven: score.scoreGiven ?? null,
    scoreMaximum: score.scoreMaximum ?? null,
    activityProgress: score.activityProgress,
    gradingProgress: score.gradingProgress,
    timestamp: score.timestamp,
    ...(score.comment === undefined ? {} : { comment: score.comment }),
  };
}

const withoutClaim = ({ claimToken: _token, ...entry }: ClaimedEntry): OutboxEntry => entry;

async function deadLetter(
  context: EngineContext,
  entry: ClaimedEntry,
  reason: DeadLetterReason,
  message: string,
  report: DrainReport,
) {
  const id = `${entry.id}:${entry.version}`;
  const failedAt = context.clock.now();
  await context.deadLetters.add({ id, entry: withoutClaim(entry), reason, message, failedAt });
  await context.audit.append({
    key: `dead-lettered:${id}`,
    at: failedAt,
    kind: 'dead-lettered',
    lmsId: entry.lmsId,
    bindingId: entry.bindingId,
    runId: entry.runId,
    lineItemId: entry.lineItemId,
    userId: entry.userId,
    detail: { reason, message, attempts: entry.attempts + 1, learnerExternalId: entry.learnerExternalId },
  });
  await context.outbox.remove(entry);
  report.deadLettered++;
}

async function appendSentAudit(
  context: EngineContext,
  entry: ClaimedEntry,
  previous: SentScore | undefined,
  recovered = false,
) {
  // One audit entry per delivered change; the key makes a redo after a crash append nothing.
  await context.audit.append({
    key: `score-sent:${entry.id}:${entry.version}`,
    at: context.clock.now(),
    kind: 'score-sent',
    lmsId: entry.lmsId,
    bindingId: entry.bindingId,
    runId: entry.runId,
    lineItemId: entry.lineItemId,
    userId: entry.userId,
    detail: {
      learnerExternalId: entry.learnerExternalId,
      slot: entry.slot,
      previous: recovered ? 'unknown (recorded after a crash)' : summary(previous?.score),
      next: summary(entry.score),
      attempts: entry.attempts + 1,
    },
  });
}

async function recordDelivery(context: EngineContext, entry: ClaimedEntry, previous: SentScore | undefined) {
  await context.state.recordSent({
    lineItemId: entry.lineItemId,
    userId: entry.userId,
    fingerprint: entry.fingerprint,
    scoreTimestamp: Date.parse(entry.score.timestamp),
    sourceUpdatedAt: entry.sourceUpdatedAt,
    score: entry.score,
    sentAt: context.clock.now().getTime(),
  });
  await appendSentAudit(context, entry, previous);
}

async function recreateLineItem(
  context: EngineContext,
  entry: ClaimedEntry,
  message: string,
  report: DrainReport,
) {
  const slots = await context.state.lineItemSlots(entry.bindingId);
  const slot = slots.find((saved) => saved.slot === entry.slot && saved.lineItemId === entry.lineItemId);
  if (slot !== undefined) await context.state.removeLineItemSlot(entry.bindingId, entry.slot);
  await context.state.forgetLineItem(entry.lineItemId);
  await context.outbox.removeLineItem(entry.lineItemId);
  await context.audit.append({
    key: `line-item-recreated:${entry.lineItemId}`,
    at: context.clock.now(),
    kind: 'line-item-recreated',
    lmsId: entry.lmsId,
    bindingId: entry.bindingId,
    runId: entry.runId,
    lineItemId: entry.lineItemId,
    detail: { slot: entry.slot, message },
  });
  report.recreated++;
  if (context.scheduler === undefined) {
    if (!report.resyncBindings.includes(entry.bindingId)) report.resyncBindings.push(entry.bindingId);
  } else {
    await context.scheduler.requestSync(entry.bindingId, { trigger: 'recreate', reread: true });
  }
}

/** Delivers one claimed score and settles its claim: at least once, idempotent by construction. */
async function deliverOne(context: EngineContext, entry: ClaimedEntry, drain: DrainState): Promise<void> {
  const { report } = drain;
  const previous = await context.state.sentScore(entry.lineItemId, entry.userId);
  if (
    entry.resend !== true &&
    previous !== undefined &&
    previous.fingerprint === entry.fingerprint &&
    previous.scoreTimestamp === Date.parse(entry.score.timestamp)
  ) {
    // Delivered and recorded before a crash stopped the completion: settle without sending again (the audit entry
    // is appended if the crash came before it; its key makes it a no-op otherwise).
    report.alreadyDelivered++;
    await appendSentAudit(
      context,
      entry,
      undefined,
      Date.parse(entry.score.timestamp) === previous.scoreTimestamp,
    );
    await settle(context, entry, report);
    return;
  }
  const breaker = context.breakerOf(entry.lmsId);
  if (!(await breaker.allow())) {
    await context.outbox.retryLater(
      entry,
      new Date(breaker.retryAt ?? context.clock.now().getTime()),
      'GRADESYNC_CIRCUIT_OPEN: deliveries to this LMS are paused after repeated failures.',
      false,
    );
    report.retried++;
    return;
  }
  const limiter = context.limiterOf(entry.lmsId);
  await limiter.take();
  if (drain.pausedUntil > context.clock.now().getTime()) {
    // The LMS asked to wait: the rest of the batch goes back without counting an attempt (a probe among it too).
    await breaker.abandonProbe();
    await context.outbox.retryLater(
      entry,
      new Date(drain.pausedUntil),
      'GRADESYNC_LMS_RATE_LIMITED: held back while the LMS asked to wait (Retry-After).',
      false,
    );
    report.retried++;
    return;
  }
  const target: GradebookTarget = { lmsId: entry.lmsId, contextId: entry.contextId };
  try {
    await context.gradebook.postScore(target, entry.lineItemId, entry.score);
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.action === 'already-newer') {
      await breaker.success();
      await recordDelivery(context, entry, previous);
      report.lmsHadNewer++;
      await settle(context, entry, report);
      return;
    }
    if (failure.action === 'retry') {
      if (failure.countsForBreaker) await breaker.failure();
      else await breaker.success();
      const now = context.clock.now().getTime();
      if (failure.retryAfterMs !== undefined)
        drain.pausedUntil = Math.max(
          drain.pausedUntil,
          now + Math.min(failure.retryAfterMs, context.delivery.backoff.maxMs),
        );
      if (entry.attempts + 1 >= context.delivery.maxAttempts) {
        await deadLetter(
          context,
          entry,
          'GRADESYNC_RETRIES_EXHAUSTED',
          `${failure.code} after ${entry.attempts + 1} attempts: ${failure.message}`,
          report,
        );
        return;
      }
      const delay = backoffDelay(
        entry.attempts,
        context.delivery.backoff,
        failure.retryAfterMs,
        context.random,
      );
      await context.outbox.retryLater(entry, new Date(now + delay), `${failure.code}: ${failure.message}`);
      report.retried++;
      return;
    }
    await breaker.success();
    if (failure.action === 'line-item-deleted') {
      if (entry.slot.startsWith('granular-created:'))
        await recreateLineItem(context, entry, failure.message, report);
      else await deadLetter(context, entry, 'GRADESYNC_LINE_ITEM_DELETED', failure.message, report);
      return;
    }
    await deadLetter(context, entry, failure.reason, failure.message, report);
    return;
  }
  await breaker.success();
  await recordDelivery(context, entry, previous);
  report.delivered++;
  await settle(context, entry, report);
}

async function settle(context: EngineContext, entry: ClaimedEntry, report: DrainReport) {
  const outcome = await context.outbox.complete(entry, context.clock.now());
  if (outcome === 'superseded') report.superseded++;
}

/**
 * Drains one LMS's outbox: holds the LMS's drain lease (one drainer per LMS across every process, so its rate limit
 * and concurrency hold globally), claims due scores in batches, and delivers each with the LMS's concurrency and
 * rate limit, behind its circuit breaker. Retryable failures go back with backoff and jitter (Retry-After
 * honoured); permanent ones go to the dead letters with their reason. Stops when nothing is due, the budget is
 * spent, the circuit opens or the signal aborts, and asks the scheduler for the next drain when scores wait.
 */
export async function drainOutbox(
  context: EngineContext,
  lmsId: string,
  options: { budgetMs?: number; signal?: AbortSignal } = {},
): Promise<DrainReport> {
  const drain: DrainState = {
    pausedUntil: 0,
    report: {
      lmsId,
      claimed: 0,
      delivered: 0,
      alreadyDelivered: 0,
      lmsHadNewer: 0,
      retried: 0,
      deadLettered: 0,
      recreated: 0,
      superseded: 0,
      stoppedBy: 'empty',
      nextDueAt: undefined,
      resyncBindings: [],
    },
  };
  const { report } = drain;
  const leaseKey = `drain:${lmsId}`;
  const leaseUntil = () => new Date(context.clock.now().getTime() + context.delivery.drainLeaseMs);
  if (!(await context.state.acquireLease(leaseKey, context.owner, leaseUntil(), context.clock.now()))) {
    // Another process drains this LMS. If it died, its lease runs out: come back then (it is a no-op otherwise).
    report.stoppedBy = 'busy';
    if (context.scheduler !== undefined) await context.scheduler.requestDrain(lmsId, leaseUntil());
    return report;
  }
  const limits = context.limitsOf(lmsId);
  const breaker = context.breakerOf(lmsId);
  // The circuit as every process left it: another process may have opened it before this one took the LMS over.
  await breaker.refresh();
  const started = context.clock.now().getTime();
  const budget = options.budgetMs ?? context.delivery.drainBudgetMs;
  // Claims are refilled while deliveries run, so the LMS never waits on a batch boundary; a batch is about a second
  // of the LMS's rate, and always finishes well within the drain lease, which is renewed at each claim.
  const batchSize = Math.max(
    1,
    Math.min(
      Math.max(limits.concurrency * 4, Math.ceil(limits.ratePerSecond)),
      Math.floor((limits.ratePerSecond * context.delivery.drainLeaseMs) / 2000),
    ),
  );
  const queue: ClaimedEntry[] = [];
  let finished = false;
  let refilling: Promise<void> | undefined;
  const stopReason = (): DrainReport['stoppedBy'] | undefined => {
    if (options.signal?.aborted) return 'aborted';
    if (context.clock.now().getTime() - started >= budget) return 'budget';
    if (breaker.state === 'open') return 'circuit-open';
    if (drain.pausedUntil > context.clock.now().getTime()) return 'rate-limited';
    return undefined;
  };
  const refill = async () => {
    if (report.claimed > 0) await breaker.refresh();
    const reason = stopReason();
    if (reason !== undefined) {
      report.stoppedBy = reason;
      finished = true;
      return;
    }
    if (
      report.claimed > 0 &&
      !(await context.state.acquireLease(leaseKey, context.owner, leaseUntil(), context.clock.now()))
    ) {
      report.stoppedBy = 'busy';
      finished = true;
      return;
    }
    const batch = await context.outbox.claim(lmsId, {
      limit: batchSize,
      leaseMs: context.delivery.claimLeaseMs,
      now: context.clock.now(),
      claimToken: `${context.owner}:${context.generateId()}`,
    });
    if (batch.length === 0) {
      finished = true;
      return;
    }
    report.claimed += batch.length;
    queue.push(...batch);
  };
  const worker = async () => {
    for (;;) {
      if (!finished && refilling === undefined && queue.length <= limits.concurrency)
        refilling = refill().finally(() => {
          refilling = undefined;
        });
      const entry = queue.shift();
      if (entry !== undefined) {
        // Every claimed entry is settled, even after a stop: deliverOne holds it back when the circuit is open or
        // the LMS asked to wait.
        await deliverOne(context, entry, drain);
        continue;
      }
      if (refilling !== undefined) await refilling;
      else if (finished) return;
    }
  };
  try {
    await Promise.all(Array.from({ length: limits.concurrency }, worker));
  } finally {
    await context.state.releaseLease(leaseKey, context.owner);
  }
  const due = await context.outbox.nextDueAt(lmsId);
  const reopensAt = breaker.reopensAt;
  report.nextDueAt =
    due === undefined ? undefined : new Date(Math.max(due.getTime(), reopensAt ?? due.getTime()));
  if (report.nextDueAt !== undefined && context.scheduler !== undefined)
    await context.scheduler.requestDrain(lmsId, report.nextDueAt);
  return report;
}
