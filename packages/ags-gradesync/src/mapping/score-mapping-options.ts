import { z } from 'zod';
import type { LearningResult } from '../ports.ts';
import { roundingModes } from './round-score.ts';

export const scoreMappingOptionsSchema = z.object({
  /** The `scoreMaximum` of line items the engine creates when the item has no points of its own. */
  scoreMaximum: z.number().positive().default(100),
  /** Line items created for items graded in points keep the item's points as their maximum (default true). */
  useItemPoints: z.boolean().default(true),
  rounding: z
    .object({
      decimals: z.number().int().min(0).max(6).default(2),
      mode: z.enum(roundingModes).default('half-up'),
    })
    .prefault({}),
  /**
   * Which items are sent as pass/fail (the full score or zero): `marked` (the platform says so), `all`, or `none`.
   */
  passFailItems: z.enum(['marked', 'all', 'none']).default('marked'),
  /** Send the course final grade as pass/fail. */
  passFailCourse: z.boolean().default(false),
  /** The score's comment: none, or a short status line (completion, pass/fail, badge). */
  comment: z.enum(['none', 'status']).default('none'),
  /** Send results that have neither a grade nor a completion (progress only). Off by default: nothing to grade. */
  sendProgress: z.boolean().default(false),
});

export type ScoreMappingOptions = z.output<typeof scoreMappingOptionsSchema>;
export type ScoreMappingInput = z.input<typeof scoreMappingOptionsSchema>;

/** A result paired with what it is graded against. */
export interface ScoreMappingTarget {
  /** The line item's maximum: scores are scaled to it. */
  readonly scoreMaximum: number;
  /** This result is sent as pass/fail. */
  readonly passFail: boolean;
  /** The item's passing threshold (0..1), used for pass/fail when the platform does not say `passed`. */
  readonly passingThreshold?: number | undefined;
}

export type { LearningResult };
