import { createHash } from 'node:crypto';

/*
 * The keys the content picker and grade sync share, kept free of the grade sync engine so the LTI routes (and the
 * `passport` command, which loads them) do not load the engine until the server starts it.
 */

/** The id of the binding of an LMS course to a Coursera course: the same pick always names the same binding. */
export function bindingIdOf(parts: {
  lmsId: string;
  contextId: string;
  programId: string;
  courseId: string;
}): string {
  const digest = createHash('sha256')
    .update([parts.lmsId, parts.contextId, parts.programId, parts.courseId].join('\n'))
    .digest('hex');
  return `binding-${digest.slice(0, 20)}`;
}

/** The custom parameters a deep-linked activity carries, so its launches say what it is. */
export const customKeys = {
  binding: 'passport_binding',
  item: 'passport_item',
} as const;
