import type { ScoreContent } from '../mapping/map-score.ts';

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
 */
export function fingerprintScore(content: ScoreContent): string {
  return hashText(
    `${content.scoreGiven ?? ''}|${content.scoreMaximum ?? ''}|${content.activityProgress}|${content.gradingProgress}|${content.comment ?? ''}`,
  );
}
