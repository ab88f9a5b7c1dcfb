/** The gradebook entities of the OneRoster 1.1 JSON binding: categories, line items and results. */
import { z } from 'zod';
import { scoreStatusTypes } from '../vocabulary.ts';
import { baseShape, dateSchema, datetimeSchema, guidRefSchema, requiredTextSchema } from './common.ts';

export const categorySchema = z.object({
  ...baseShape,
  title: requiredTextSchema,
});
export type Category = z.infer<typeof categorySchema>;

export const lineItemSchema = z.object({
  ...baseShape,
  title: requiredTextSchema,
  description: z.string().optional(),
  /** A datetime in the JSON binding; the CSV binding has a date, which converts to midnight UTC. */
  assignDate: datetimeSchema,
  /** A datetime in the JSON binding; the CSV binding has a date, which converts to midnight UTC. */
  dueDate: datetimeSchema,
  /** Type `class`. */
  class: guidRefSchema,
  /** Type `category`. */
  category: guidRefSchema,
  /** Type `academicSession`. */
  gradingPeriod: guidRefSchema,
  resultValueMin: z.number(),
  resultValueMax: z.number(),
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const resultSchema = z.object({
  ...baseShape,
  /** Type `lineItem`. */
  lineItem: guidRefSchema,
  /** Type `user`. */
  student: guidRefSchema,
  scoreStatus: z.enum(scoreStatusTypes),
  score: z.number(),
  scoreDate: dateSchema,
  comment: z.string().optional(),
});
export type Result = z.infer<typeof resultSchema>;
