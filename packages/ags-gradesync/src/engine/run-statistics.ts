import type { PlanCounters, RunRecord } from '../ports.ts';
import type { EngineContext } from './engine-context.ts';

export interface DeliveryCounters {
  /** Scores of the run the LMS took (one audit entry each). */
  delivered: number;
  /** Scores of the run in the dead letters. */
  failed: number;
  /** Scores of the run still in the outbox (waiting or being retried). */
  waiting: number;
}

export interface RunStatistics {
  readonly run: RunRecord;
  /** Totals for the run's course: what was planned, then what became of it. */
  readonly totals: PlanCounters & DeliveryCounters;
  readonly byLineItem: Record<string, PlanCounters & DeliveryCounters>;
  /** The run's course, for per-course reports: LMS course and learning-platform course. */
  readonly course: { readonly contextId: string; readonly courseId: string } | undefined;
}

const zeroPlan = (): PlanCounters => ({
  considered: 0,
  queued: 0,
  unchanged: 0,
  stale: 0,
  unmatched: 0,
  ambiguous: 0,
  notGradable: 0,
  notLinked: 0,
});

/**
 * A run's statistics: the plan recorded when it ran (scores considered, queued, skipped as unchanged, unmatched...)
 * joined with what delivery made of it since, counted from the audit log and the dead letters, which survive crashes
 * and redeliveries exactly once, per line item and for the course.
 */
export async function runStatistics(
  context: EngineContext,
  runId: string,
): Promise<RunStatistics | undefined> {
  const run = await context.audit.getRun(runId);
  if (run === undefined) return undefined;
  const [sent, failed, waiting, binding] = await Promise.all([
    context.audit.list({ runId, kind: 'score-sent' }),
    context.deadLetters.list({ runId }),
    context.outbox.list({ bindingId: run.bindingId }),
    context.state.getBinding(run.bindingId),
  ]);
  const byLineItem: Record<string, PlanCounters & DeliveryCounters> = {};
  const of = (lineItemId: string) => {
    let counters = byLineItem[lineItemId];
    if (counters === undefined) {
      counters = {
        ...(run.statistics.byLineItem[lineItemId] ?? zeroPlan()),
        delivered: 0,
        failed: 0,
        waiting: 0,
      };
      byLineItem[lineItemId] = counters;
    }
    return counters;
  };
  for (const lineItemId of Object.keys(run.statistics.byLineItem)) of(lineItemId);
  for (const entry of sent) if (entry.lineItemId !== undefined) of(entry.lineItemId).delivered++;
  for (const letter of failed) of(letter.entry.lineItemId).failed++;
  const waitingOfRun = waiting.filter((entry) => entry.runId === runId);
  for (const entry of waitingOfRun) of(entry.lineItemId).waiting++;
  const {
    byLineItem: _planned,
    lineItemsCreated: _created,
    findings: _findings,
    ...planTotals
  } = run.statistics;
  return {
    run,
    totals: { ...planTotals, delivered: sent.length, failed: failed.length, waiting: waitingOfRun.length },
    byLineItem,
    course: binding === undefined ? undefined : { contextId: binding.contextId, courseId: binding.courseId },
  };
}
