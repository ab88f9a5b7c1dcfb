import type { Clock } from '@passport/core';
import type { SlotTarget } from '../diff/plan-scores.ts';
import { GradeSyncError } from '../errors.ts';
import type { ScoreMappingOptions } from '../mapping/score-mapping-options.ts';
import type {
  AuditLog,
  CourseBinding,
  Gradebook,
  GradebookLineItem,
  GradebookTarget,
  LearningItem,
  LineItemSlot,
  MatchFinding,
  ResultsSource,
  SyncMode,
  SyncState,
} from '../ports.ts';
import { courseResourceId, courseSlot, itemResourceId, itemSlot, lineItemTags } from './line-item-keys.ts';

export interface EnsureLineItemsContext {
  readonly gradebook: Gradebook;
  readonly state: SyncState;
  readonly audit: AuditLog;
  readonly source: ResultsSource;
  readonly clock: Clock;
  readonly mapping: ScoreMappingOptions;
}

export interface EnsuredLineItems {
  /** Where results go: `course`, or the item id. */
  readonly targets: Map<string, SlotTarget>;
  /** Line items created by this call. */
  readonly created: number;
  readonly findings: MatchFinding[];
}

const targetOf = (binding: CourseBinding): GradebookTarget => ({
  lmsId: binding.lmsId,
  contextId: binding.contextId,
});

function slotTarget(slot: LineItemSlot, passFail: boolean, passingThreshold?: number): SlotTarget {
  return { slot, scoreMaximum: slot.scoreMaximum, passFail, passingThreshold };
}

function passFailOf(item: LearningItem | undefined, options: ScoreMappingOptions): boolean {
  if (options.passFailItems === 'all') return true;
  return options.passFailItems === 'marked' && item?.gradingType === 'pass-fail';
}

async function remember(
  context: EnsureLineItemsContext,
  binding: CourseBinding,
  slot: string,
  lineItem: GradebookLineItem,
  createdByEngine: boolean,
  runId: string,
): Promise<LineItemSlot> {
  const saved: LineItemSlot = {
    bindingId: binding.id,
    slot,
    lineItemId: lineItem.id,
    scoreMaximum: lineItem.scoreMaximum,
    createdByEngine,
  };
  await context.state.saveLineItemSlot(saved);
  if (createdByEngine) {
    await context.audit.append({
      key: `line-item-created:${lineItem.id}`,
      at: context.clock.now(),
      kind: 'line-item-created',
      lmsId: binding.lmsId,
      bindingId: binding.id,
      runId,
      lineItemId: lineItem.id,
      detail: {
        slot,
        label: lineItem.label,
        scoreMaximum: lineItem.scoreMaximum,
        resourceId: lineItem.resourceId,
        tag: lineItem.tag,
      },
    });
  }
  return saved;
}

async function ensureFinalGrade(
  context: EnsureLineItemsContext,
  binding: CourseBinding,
  slots: Map<string, LineItemSlot>,
  runId: string,
): Promise<EnsuredLineItems> {
  const slot = courseSlot('final-grade');
  const passFail = context.mapping.passFailCourse;
  const known = slots.get(slot);
  if (known !== undefined) {
    return { targets: new Map([['course', slotTarget(known, passFail)]]), created: 0, findings: [] };
  }
  const target = targetOf(binding);
  if (binding.finalGradeLineItemId !== undefined) {
    const lineItem = await context.gradebook.getLineItem(target, binding.finalGradeLineItemId);
    if (lineItem === undefined)
      throw new GradeSyncError(
        'GRADESYNC_LINE_ITEM_DELETED',
        `The final-grade line item ${binding.finalGradeLineItemId} of course ${binding.contextId} no longer exists; re-link the course activity.`,
      );
    const saved = await remember(context, binding, slot, lineItem, false, runId);
    return { targets: new Map([['course', slotTarget(saved, passFail)]]), created: 0, findings: [] };
  }
  const resourceId = courseResourceId(binding.courseId);
  const [existing] = await context.gradebook.listLineItems(target, {
    resourceId,
    tag: lineItemTags.finalGrade,
  });
  const lineItem =
    existing ??
    (await context.gradebook.createLineItem(target, {
      label: binding.label ?? 'Final grade',
      scoreMaximum: context.mapping.scoreMaximum,
      resourceId,
      tag: lineItemTags.finalGrade,
    }));
  const saved = await remember(context, binding, slot, lineItem, existing === undefined, runId);
  return {
    targets: new Map([['course', slotTarget(saved, passFail)]]),
    created: existing === undefined ? 1 : 0,
    findings: [],
  };
}

async function ensureLinked(
  context: EnsureLineItemsContext,
  binding: CourseBinding,
  slots: Map<string, LineItemSlot>,
  runId: string,
): Promise<EnsuredLineItems> {
  const links = Object.entries(binding.itemLineItems ?? {});
  const items = new Map((await context.source.listItems(binding.courseId)).map((item) => [item.id, item]));
  const targets = new Map<string, SlotTarget>();
  const findings: MatchFinding[] = [];
  for (const [itemId, lineItemId] of links) {
    const slot = itemSlot('granular-linked', itemId);
    let saved = slots.get(slot);
    if (saved === undefined || saved.lineItemId !== lineItemId) {
      let lineItem: GradebookLineItem | undefined;
      try {
        lineItem = await context.gradebook.getLineItem(targetOf(binding), lineItemId);
      } catch (error) {
        // The LMS lets only its creator grade it (Google Classroom): say so for this item, sync the others.
        if (!GradeSyncError.isGradeSyncError(error) || error.code !== 'GRADESYNC_LINE_ITEM_NOT_OWNED')
          throw error;
        findings.push({ code: 'GRADESYNC_ITEM_NOT_LINKED', itemId, message: error.message });
        continue;
      }
      if (lineItem === undefined) {
        findings.push({
          code: 'GRADESYNC_ITEM_NOT_LINKED',
          itemId,
          message: `The activity deep-linked for item ${itemId} lost its line item ${lineItemId} (deleted in the LMS); deep-link it again.`,
        });
        continue;
      }
      saved = await remember(context, binding, slot, lineItem, false, runId);
    }
    const item = items.get(itemId);
    targets.set(itemId, slotTarget(saved, passFailOf(item, context.mapping), item?.passingThreshold));
  }
  return { targets, created: 0, findings };
}

async function ensureCreated(
  context: EnsureLineItemsContext,
  binding: CourseBinding,
  slots: Map<string, LineItemSlot>,
  runId: string,
): Promise<EnsuredLineItems> {
  const items = await context.source.listItems(binding.courseId);
  const targets = new Map<string, SlotTarget>();
  const missing: LearningItem[] = [];
  const targetFor = (item: LearningItem, saved: LineItemSlot): SlotTarget =>
    slotTarget(saved, passFailOf(item, context.mapping), item.passingThreshold);
  for (const item of items) {
    const saved = slots.get(itemSlot('granular-created', item.id));
    if (saved === undefined) missing.push(item);
    else targets.set(item.id, targetFor(item, saved));
  }
  let created = 0;
  if (missing.length > 0) {
    const target = targetOf(binding);
    // Adopt what an earlier run created (it may have crashed before remembering it): never create twice.
    const existing = new Map(
      (await context.gradebook.listLineItems(target, { tag: lineItemTags.item })).map((lineItem) => [
        lineItem.resourceId,
        lineItem,
      ]),
    );
    for (const item of missing) {
      const resourceId = itemResourceId(binding.courseId, item.id);
      const found = existing.get(resourceId);
      const scoreMaximum =
        context.mapping.useItemPoints && item.maximumPoints !== undefined
          ? item.maximumPoints
          : context.mapping.scoreMaximum;
      const lineItem =
        found ??
        (await context.gradebook.createLineItem(target, {
          label: item.title,
          scoreMaximum,
          resourceId,
          tag: lineItemTags.item,
        }));
      if (found === undefined) created++;
      const saved = await remember(
        context,
        binding,
        itemSlot('granular-created', item.id),
        lineItem,
        found === undefined,
        runId,
      );
      targets.set(item.id, targetFor(item, saved));
    }
  }
  return { targets, created, findings: [] };
}

/**
 * Makes sure every line item the binding's mode sends to exists, and answers where each result goes:
 * - final grade: the launch's line item, or the one tagged `passport-final-grade` with the course's `resourceId`,
 *   created when missing;
 * - option A: the deep-linked activities' line items (an item not deep-linked is not sent, and is reported);
 * - option B: one line item per gradable item, found by tag and `resourceId` or created, so a course that gains an
 *   item gains a line item at the next sync and a crash between creating and remembering never creates twice.
 * Run it under the binding's sync lease: two processes never run it for the same binding at once.
 */
export async function ensureLineItems(
  context: EnsureLineItemsContext,
  binding: CourseBinding,
  mode: SyncMode,
  runId: string,
): Promise<EnsuredLineItems> {
  const slots = new Map(
    (await context.state.lineItemSlots(binding.id)).map((saved) => [saved.slot, saved] as const),
  );
  if (mode === 'final-grade') return ensureFinalGrade(context, binding, slots, runId);
  if (mode === 'granular-linked') return ensureLinked(context, binding, slots, runId);
  return ensureCreated(context, binding, slots, runId);
}
