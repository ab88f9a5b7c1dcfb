import { z } from 'zod';

const isoDate = z.iso.datetime({ offset: true });

export const assignmentInputSchema = z.strictObject({
  title: z.string().min(1).max(300),
  description: z.string().max(10_000).optional(),
  state: z.enum(['draft', 'open', 'locked']).default('open'),
  due_date: isoDate.optional(),
  points_possible: z.number().positive().max(100_000),
  grading_type: z.enum(['points', 'percent', 'pass_fail', 'letter_grade']).default('points'),
});

export const assignmentPatchSchema = z.strictObject({
  title: z.string().min(1).max(300).optional(),
  description: z.string().max(10_000).optional(),
  state: z.enum(['draft', 'open', 'locked']).optional(),
  due_date: isoDate.optional(),
});

export const submissionInputSchema = z.strictObject({
  state: z.enum(['created', 'submitted', 'returned']),
  grade: z.union([z.string().min(1).max(20), z.number()]).optional(),
  grade_points: z.number().min(0).optional(),
  grade_comment: z.string().max(10_000).optional(),
  flags: z.array(z.enum(['excused', 'late', 'missing'])).default([]),
});
