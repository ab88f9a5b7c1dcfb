import type { ActivityProgress, GradingProgress, LearningResult } from '../ports.ts';
import { roundScore } from './round-score.ts';
import type { ScoreMappingOptions, ScoreMappingTarget } from './score-mapping-options.ts';

/** An AGS score's content, before the LMS user is known. */
export interface ScoreContent {
  readonly scoreGiven?: number | undefined;
  readonly scoreMaximum?: number | undefined;
  readonly activityProgress: ActivityProgress;
  readonly gradingProgress: GradingProgress;
  /** The platform's completion time, or its last change when not completed (ms). */
  readonly timestamp: number;
  readonly comment?: string | undefined;
}

export type MappedScore =
  | { readonly kind: 'score'; readonly content: ScoreContent }
  | { readonly kind: 'not-gradable'; readonly reason: string };

/** The result as a fraction 0..1, clamped (platforms round, and points can exceed a stale maximum). */
export function fractionOf(result: LearningResult): number | undefined {
  const grade = result.grade;
  if (grade === undefined) return undefined;
  const value =
    grade.kind === 'fraction' ? grade.value : grade.maximum > 0 ? grade.points / grade.maximum : NaN;
  if (!Number.isFinite(value)) return undefined;
  return Math.min(1, Math.max(0, value));
}

function passedOf(result: LearningResult, target: ScoreMappingTarget): boolean | undefined {
  if (result.passed !== undefined) return result.passed;
  const fraction = fractionOf(result);
  if (fraction === undefined || target.passingThreshold === undefined) return undefined;
  return fraction >= target.passingThreshold;
}

function activityOf(result: LearningResult, completed: boolean, graded: boolean): ActivityProgress {
  if (completed) return 'Completed';
  if (graded) return 'Submitted';
  if (result.progress !== undefined && result.progress > 0) return 'InProgress';
  return result.progress === 0 ? 'Initialized' : 'Started';
}

function statusComment(result: LearningResult, completed: boolean, passed: boolean | undefined): string {
  const parts: string[] = [];
  if (completed)
    parts.push(
      result.completedAt === undefined
        ? 'Completed'
        : `Completed ${result.completedAt.toISOString().slice(0, 10)}`,
    );
  else if (result.progress !== undefined) parts.push(`${Math.round(result.progress * 100)}% done`);
  if (passed !== undefined) parts.push(passed ? 'Passed' : 'Not passed');
  if (result.badge !== undefined) parts.push(`Badge: ${result.badge}`);
  return parts.join(' · ');
}

/**
 * Maps a learning-platform result to the content of an AGS score on a line item:
 * - `scoreGiven` is the result's fraction of the line item's `scoreMaximum`, rounded as configured; a pass/fail
 *   item sends the full maximum or zero;
 * - `activityProgress`: `Completed` once completed (or passed), `Submitted` with a grade, `InProgress` with
 *   progress, `Initialized` at zero progress;
 * - `gradingProgress`: `FullyGraded` with a score, `Pending` when completed without one, `NotReady` otherwise;
 * - `timestamp`: the platform's completion time, so a stale score never overwrites a newer one (its last change
 *   while not completed);
 * - `comment`: none, or a status line.
 */
export function mapScore(
  result: LearningResult,
  target: ScoreMappingTarget,
  options: ScoreMappingOptions,
): MappedScore {
  const fraction = fractionOf(result);
  const completed = result.completedAt !== undefined || result.passed === true;
  const passed = target.passFail ? passedOf(result, target) : result.passed;
  let scoreGiven: number | undefined;
  if (target.passFail) {
    if (passed !== undefined && (completed || fraction !== undefined || result.passed !== undefined))
      scoreGiven = passed ? target.scoreMaximum : 0;
  } else if (fraction !== undefined) {
    scoreGiven = roundScore(fraction * target.scoreMaximum, options.rounding.decimals, options.rounding.mode);
  }
  if (scoreGiven === undefined && !completed && !options.sendProgress) {
    return { kind: 'not-gradable', reason: 'The result has neither a grade nor a completion yet.' };
  }
  const graded = scoreGiven !== undefined;
  // Built field by field, without spreads: this runs once per result in every sync (2M in the diff benchmark).
  const content: {
    scoreGiven?: number;
    scoreMaximum?: number;
    activityProgress: ActivityProgress;
    gradingProgress: GradingProgress;
    timestamp: number;
    comment?: string;
  } = {
    activityProgress: activityOf(result, completed, graded),
    gradingProgress: graded ? 'FullyGraded' : completed ? 'Pending' : 'NotReady',
    timestamp: (result.completedAt ?? result.updatedAt).getTime(),
  };
  if (graded) {
    content.scoreGiven = scoreGiven;
    content.scoreMaximum = target.scoreMaximum;
  }
  if (options.comment === 'status') {
    const comment = statusComment(result, completed, passed);
    if (comment !== '') content.comment = comment;
  }
  return { kind: 'score', content };
}
