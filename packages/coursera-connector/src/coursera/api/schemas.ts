import { z } from 'zod';

/**
 * The wire shapes of Coursera's documented business API, as public integrations show them. Unknown fields are kept
 * (loose objects): Coursera adds fields, and the client must not break when it does.
 */

/** `paging.next` is the `start` of the next page; absent on the last page. */
export const pagingSchema = z.looseObject({
  next: z.union([z.string(), z.number().transform(String)]).nullish(),
  total: z.number().int().nonnegative().nullish(),
});

export const contentTypeSchema = z.enum(['Course', 'Specialization']);

/** `contentIds` appears both as bare ids and as `{contentId, contentType}` in integrations; both are accepted. */
export const programContentIdSchema = z.union([
  z.string().transform((contentId) => ({ contentId, contentType: undefined })),
  z.looseObject({ contentId: z.string(), contentType: contentTypeSchema.optional() }),
]);

export const programSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  tagline: z.string().nullish(),
  url: z.string().nullish(),
  contentIds: z.array(programContentIdSchema).default([]),
});

export const contentSchema = z.looseObject({
  contentId: z.string().min(1),
  contentType: contentTypeSchema,
  name: z.string(),
  slug: z.string().nullish(),
  description: z.string().nullish(),
  /** The programs the content was asked for through `programIds` (present when the caller asked for several). */
  programIds: z.array(z.string()).nullish(),
});

export const invitationSchema = z.looseObject({
  id: z.string().nullish(),
  programId: z.string().nullish(),
  externalId: z.string(),
  fullName: z.string().nullish(),
  email: z.string().nullish(),
});

export const membershipSchema = z.looseObject({
  id: z.string().nullish(),
  programId: z.string(),
  externalId: z.string(),
  /** Epoch milliseconds. */
  joinedAt: z.number().nullish(),
  fullName: z.string().nullish(),
  email: z.string().nullish(),
});

export const enrollmentReportSchema = z.looseObject({
  externalId: z.string(),
  email: z.string().nullish(),
  contentId: z.string(),
  contentType: contentTypeSchema.nullish(),
  programId: z.string().nullish(),
  /** Epoch milliseconds. */
  enrolledAt: z.number().nullish(),
  lastActivityAt: z.number().nullish(),
  /** Percent, 0..100. */
  overallProgress: z.number().min(0).max(100).nullish(),
  isCompleted: z.boolean(),
  completedAt: z.number().nullish(),
  /** A string: the course grade in percent ("87.5"), empty or absent before any graded work. */
  grade: z.string().nullish(),
  membershipState: z.string().nullish(),
});

/** Coursera's error body: `{ errorCode, message, details }`. */
export const apiErrorSchema = z.looseObject({
  errorCode: z.string().nullish(),
  message: z.string().nullish(),
});

export function collectionSchema<Element extends z.ZodType>(element: Element) {
  return z.looseObject({
    elements: z.array(element),
    paging: pagingSchema.nullish(),
  });
}

export type CourseraProgram = z.output<typeof programSchema>;
export type CourseraContent = z.output<typeof contentSchema>;
export type CourseraInvitation = z.output<typeof invitationSchema>;
export type CourseraMembership = z.output<typeof membershipSchema>;
export type CourseraEnrollmentReport = z.output<typeof enrollmentReportSchema>;
