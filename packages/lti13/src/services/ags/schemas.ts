import { z } from 'zod';

/** AGS 2.0 line item (`application/vnd.ims.lis.v2.lineitem+json`). */
export const lineItemSchema = z.looseObject({
  id: z.string().optional(),
  scoreMaximum: z.number().positive(),
  label: z.string().min(1),
  resourceId: z.string().optional(),
  resourceLinkId: z.string().optional(),
  tag: z.string().optional(),
  startDateTime: z.iso.datetime({ offset: true }).optional(),
  endDateTime: z.iso.datetime({ offset: true }).optional(),
  gradesReleased: z.boolean().optional(),
});

export type LineItem = z.infer<typeof lineItemSchema>;

export const activityProgressValues = [
  'Initialized',
  'Started',
  'InProgress',
  'Submitted',
  'Completed',
] as const;
export const gradingProgressValues = [
  'FullyGraded',
  'Pending',
  'PendingManual',
  'Failed',
  'NotReady',
] as const;

/** AGS 2.0 score (`application/vnd.ims.lis.v1.score+json`). */
export const scoreSchema = z
  .looseObject({
    userId: z.string().min(1),
    scoreGiven: z.number().min(0).optional(),
    scoreMaximum: z.number().positive().optional(),
    comment: z.string().optional(),
    timestamp: z.iso.datetime({ offset: true }),
    activityProgress: z.enum(activityProgressValues),
    gradingProgress: z.enum(gradingProgressValues),
    submission: z
      .looseObject({ startedAt: z.string().optional(), submittedAt: z.string().optional() })
      .optional(),
  })
  .refine((score) => score.scoreGiven === undefined || score.scoreMaximum !== undefined, {
    message: 'scoreMaximum is required with scoreGiven',
    path: ['scoreMaximum'],
  });

export type Score = z.infer<typeof scoreSchema>;

/** The Canvas score extension (submission type, data, url, new attempt...). */
export const canvasSubmissionExtension = 'https://canvas.instructure.com/lti/submission';

/** AGS 2.0 result (in `application/vnd.ims.lis.v2.resultcontainer+json`). */
export const resultSchema = z.looseObject({
  id: z.string(),
  scoreOf: z.string(),
  userId: z.string(),
  resultScore: z.number().nullish(),
  resultMaximum: z.number().nullish(),
  comment: z.string().nullish(),
  timestamp: z.string().nullish(),
});

export type Result = z.infer<typeof resultSchema>;
