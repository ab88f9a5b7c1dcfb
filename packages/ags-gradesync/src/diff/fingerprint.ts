import type { ScoreContent } from '../mapping/map-score.ts';
import type { ActivityProgress, GradingProgress } from '../ports.ts';

const activityCodes: Record<ActivityProgress, string> = {
  Initialized: 'I',
  Started: 'S',
  InProgress: 'P',
  Submitted: 'U',
  Completed: 'C',
};
const gradingCodes: Record<GradingProgress, string> = {
  FullyGraded: 'G',
  Pending: 'P',
  PendingManual: 'M',
  Failed: 'F',
  NotReady: 'N',
};

/**
 * A 64-bit FNV-1a hash (two 32-bit lanes), as 16 hex digits. Not cryptographic: it tells "the same score content"
 * from "a different one" in the sent-state table without keeping the content twice per (line item, user).
 */
export function hashText(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x01000193) ^ (first >>> 15);
  }
  return (first >>> 0).toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0');
}

/**
 * The fingerprint of what an LMS shows for a score: given, maximum, progress and comment. The timestamp is left
 * out on purpose: a result read again with the same content is not a change, whatever time the read carries.
 * Short contents (no comment, as most are) are their own fingerprint (`86.66|100|CG`), which costs no hashing;
 * longer ones are hashed. Hashes are hex digits only and short contents always hold a `|`: the two never collide.
 */
export function fingerprintScore(content: ScoreContent): string {
  const text = `${content.scoreGiven ?? ''}|${content.scoreMaximum ?? ''}|${activityCodes[content.activityProgress]}${gradingCodes[content.gradingProgress]}${content.comment === undefined ? '' : `|${content.comment}`}`;
  return text.length <= 24 ? text : hashText(text);
}
