import { createScorePlanner } from '../diff/plan-scores.ts';
import { GradeSyncError } from '../errors.ts';
import { createLearnerMatcher } from '../matching/match-learner.ts';
import { ensureLineItems } from '../modes/ensure-line-items.ts';
import { levelOf } from '../modes/line-item-keys.ts';
import type { CourseBinding, LearningResult, RunRecord } from '../ports.ts';
import type { SyncRequest } from '../schedule/scheduler.ts';
import type { EngineContext } from './engine-context.ts';

export interface RunSyncRequest extends SyncRequest {
  /** Results pushed by the platform (event-driven sync): used instead of reading from the watermark. */
  readonly results?: readonly LearningResult[] | undefined;
}

export const watermarkKey = (binding: CourseBinding, level: 'course' | 'item') =>
  `binding:${binding.id}:${level}`;

/** Holds the binding's sync lease (waiting for another process's sync up to `lockWaitMs`), then runs `work`. */
async function withSyncLease<Result>(
  context: EngineContext,
  binding: CourseBinding,
  work: () => Promise<Result>,
): Promise<Result> {
  const key = `sync:${binding.id}`;
  const owner = `${context.owner}:${context.generateId()}`;
  // Waiting is measured in real time: the injected clock only dates the lease.
  const deadline = performance.now() + context.lockWaitMs;
  let wait = 25;
  for (;;) {
    const now = context.clock.now();
    if (await context.state.acquireLease(key, owner, new Date(now.getTime() + context.syncLeaseMs), now))
      break;
    const left = deadline - performance.now();
    if (left <= 0)
      throw new GradeSyncError(
        'GRADESYNC_SYNC_IN_PROGRESS',
        `Course binding ${binding.id} is being synced by another process.`,
      );
    await context.sleep(Math.min(wait, left));
    wait = Math.min(wait * 2, 1000);
  }
  try {
    return await work();
  } finally {
    await context.state.releaseLease(key, owner);
  }
}

/**
 * One sync run of one course binding, in order:
 * 1. hold the binding's lease; read the LMS's mode;
 * 2. make sure the mode's line items exist (option B creates missing ones, never twice);
 * 3. build the learner matcher (account links, launches, NRPS membership);
 * 4. read the results since the watermark (or take the pushed ones), and plan: route, match, map, diff against
 *    the last sent scores;
 * 5. queue the new and changed scores in the outbox (in one call), then move the watermark;
 * 6. record the run's statistics and ask for a drain of the LMS.
 */
export async function runSync(
  context: EngineContext,
  bindingId: string,
  request: RunSyncRequest,
): Promise<RunRecord> {
  const binding = await context.state.getBinding(bindingId);
  if (binding === undefined)
    throw new GradeSyncError('GRADESYNC_BINDING_UNKNOWN', `No course binding ${bindingId}.`);
  const runId = context.generateId();
  const startedAt = context.clock.now();
  const base = {
    id: runId,
    tenantId: binding.tenantId,
    bindingId: binding.id,
    lmsId: binding.lmsId,
    trigger: request.trigger,
    startedAt,
  };
  let record: RunRecord;
  try {
    record = await withSyncLease(context, binding, async () => {
      const mode = (await context.state.getMode(binding.lmsId)) ?? context.defaultMode;
      const level = levelOf(mode);
      const ensured = await ensureLineItems(context, binding, mode, runId);
      const target = { lmsId: binding.lmsId, contextId: binding.contextId };
      const [launches, accountLinks, members] = await Promise.all([
        context.learnerLinks.listLaunches(binding.lmsId),
        context.learnerLinks.listAccountLinks(binding.lmsId, binding.platform),
        context.roster.listMembers(target),
      ]);
      const matcher = createLearnerMatcher({ platform: binding.platform, accountLinks, launches, members });
      const lineItemIds = [
        ...new Set([...ensured.targets.values()].map((slotTarget) => slotTarget.slot.lineItemId)),
      ];
      const sent = await context.state.sentScores(lineItemIds);
      const planner = createScorePlanner({
        binding,
        runId,
        level,
        targets: ensured.targets,
        matcher,
        sent,
        resend: request.resend === true,
        options: context.mapping,
      });
      let watermark: string | undefined;
      if (request.results !== undefined) {
        planner.add(request.results);
      } else {
        const key = watermarkKey(binding, level);
        const since = request.reread === true ? undefined : await context.state.getWatermark(key);
        try {
          for await (const page of context.source.readResults({
            programId: binding.programId,
            courseId: binding.courseId,
            level,
            ...(since === undefined ? {} : { since }),
          })) {
            planner.add(page.results);
            watermark = page.watermark;
          }
        } catch (error) {
          if (GradeSyncError.isGradeSyncError(error)) throw error;
          throw new GradeSyncError(
            'GRADESYNC_SOURCE_UNAVAILABLE',
            `Reading ${context.source.platform} results of course ${binding.courseId} failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
      const plan = planner.finish();
      if (plan.entries.length > 0) await context.outbox.enqueue(plan.entries, context.clock.now());
      if (watermark !== undefined && watermark !== '')
        await context.state.setWatermark(watermarkKey(binding, level), watermark);
      return {
        ...base,
        finishedAt: context.clock.now(),
        statistics: {
          ...plan.counters,
          byLineItem: plan.byLineItem,
          lineItemsCreated: ensured.created,
          // An item the line items step already reported (with why) is not reported again by the plan.
          findings: [
            ...ensured.findings,
            ...plan.findings.filter(
              (finding) =>
                finding.code !== 'GRADESYNC_ITEM_NOT_LINKED' ||
                !ensured.findings.some((reported) => reported.itemId === finding.itemId),
            ),
          ],
        },
      } satisfies RunRecord;
    });
  } catch (error) {
    const failed: RunRecord = {
      ...base,
      finishedAt: context.clock.now(),
      statistics: {
        considered: 0,
        queued: 0,
        unchanged: 0,
        stale: 0,
        unmatched: 0,
        ambiguous: 0,
        notGradable: 0,
        notLinked: 0,
        byLineItem: {},
        lineItemsCreated: 0,
        findings: [],
      },
      error:
        error instanceof Error
          ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`
          : String(error),
    };
    await context.audit.saveRun(failed);
    throw error;
  }
  await context.audit.saveRun(record);
  if (record.statistics.queued > 0 && context.scheduler !== undefined)
    await context.scheduler.requestDrain(binding.lmsId);
  return record;
}
