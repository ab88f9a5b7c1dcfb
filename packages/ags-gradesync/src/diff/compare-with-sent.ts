import type { SentScore } from '../ports.ts';

export type Comparison = 'new' | 'changed' | 'unchanged' | 'stale' | 'resend';

/**
 * Compares a score about to be sent with the last one the LMS accepted for the same (line item, user):
 * - `new`: nothing was sent yet; `changed`: the content differs;
 * - `unchanged`: same content (a re-read, an overlapping watermark): nothing is sent;
 * - `stale`: the source result is older than the one already sent (a late page of an overlapping read): nothing is
 *   sent, so an older result never replaces a newer one;
 * - `resend`: unchanged, but an explicit full resync asked to send it again.
 */
export function compareWithSent(
  candidate: { readonly fingerprint: string; readonly sourceUpdatedAt: number },
  sent: SentScore | undefined,
  resend = false,
): Comparison {
  if (sent === undefined) return 'new';
  if (candidate.sourceUpdatedAt < sent.sourceUpdatedAt) return 'stale';
  if (candidate.fingerprint === sent.fingerprint) return resend ? 'resend' : 'unchanged';
  return 'changed';
}

/**
 * The timestamp to send. It is the platform's completion time, with two exceptions:
 * - a changed score whose completion time is not after the timestamp already sent (a retake that kept its
 *   completion date, a regrade) goes at its own change time, or 1 ms after the last one: an LMS ignores a score
 *   whose timestamp is not newer (AGS §3.4.3), and the change must show;
 * - a resend carries exactly the timestamp sent before, so an LMS that kept the score ignores it (no second
 *   notification to the student) and one that lost it takes it again.
 */
export function timestampToSend(
  completionOrChange: number,
  sourceUpdatedAt: number,
  sent: SentScore | undefined,
  comparison: Comparison,
): number {
  if (sent === undefined) return completionOrChange;
  if (comparison === 'resend') return sent.scoreTimestamp;
  if (comparison !== 'changed' || completionOrChange > sent.scoreTimestamp) return completionOrChange;
  return Math.max(sourceUpdatedAt, sent.scoreTimestamp + 1);
}
