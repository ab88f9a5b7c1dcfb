import type { ScoreContent } from '../mapping/map-score.ts';
import { roundScore } from '../mapping/round-score.ts';
import type { PartnerAssignment, PartnerSubmission } from '../ports.ts';

/** Letter grades as a percent of the points (the middle of the usual US bands); override per deployment. */
export const defaultLetterScale: Readonly<Record<string, number>> = {
  'A+': 100,
  A: 95,
  'A-': 91,
  'B+': 88,
  B: 85,
  'B-': 81,
  'C+': 78,
  C: 75,
  'C-': 71,
  'D+': 68,
  D: 65,
  'D-': 61,
  F: 0,
};

/** The points a submission's grade is worth, per the assignment's grading type; undefined when it has none. */
export function pointsOf(
  assignment: PartnerAssignment,
  submission: PartnerSubmission,
  letterScale: Readonly<Record<string, number>> = defaultLetterScale,
): number | undefined {
  if (submission.gradePoints !== undefined)
    return Math.min(submission.gradePoints, assignment.pointsPossible);
  const grade = submission.grade;
  if (grade === undefined) return undefined;
  switch (assignment.gradingType) {
    case 'points':
      return Number.isFinite(Number(grade)) ? Number(grade) : undefined;
    case 'percent':
      return Number.isFinite(Number(grade)) ? (Number(grade) / 100) * assignment.pointsPossible : undefined;
    case 'pass_fail':
      return String(grade).toLowerCase() === 'pass'
        ? assignment.pointsPossible
        : String(grade).toLowerCase() === 'fail'
          ? 0
          : undefined;
    case 'letter_grade': {
      const percent = letterScale[String(grade).toUpperCase()];
      return percent === undefined ? undefined : (percent / 100) * assignment.pointsPossible;
    }
  }
}

/**
 * A partner submission as the content of an AGS score on the assignment's line item. A grade is sent once the
 * submission is `returned` (the app's "publish"); before that only its progress goes. An `excused` submission sends
 * nothing (AGS has no excused score). `late` and `missing` ride in the comment.
 */
export function partnerScoreContent(
  assignment: PartnerAssignment,
  submission: PartnerSubmission,
  letterScale?: Readonly<Record<string, number>>,
): ScoreContent | undefined {
  if (submission.flags.includes('excused')) return undefined;
  const points = submission.state === 'returned' ? pointsOf(assignment, submission, letterScale) : undefined;
  const notes = [
    ...(submission.flags.includes('late') ? ['Late'] : []),
    ...(submission.flags.includes('missing') ? ['Missing'] : []),
    ...(submission.gradeComment === undefined ? [] : [submission.gradeComment]),
  ];
  const content: {
    scoreGiven?: number;
    scoreMaximum?: number;
    activityProgress: ScoreContent['activityProgress'];
    gradingProgress: ScoreContent['gradingProgress'];
    timestamp: number;
    comment?: string;
  } = {
    activityProgress:
      submission.state === 'returned'
        ? 'Completed'
        : submission.state === 'submitted'
          ? 'Submitted'
          : 'Initialized',
    gradingProgress:
      points !== undefined ? 'FullyGraded' : submission.state === 'submitted' ? 'PendingManual' : 'NotReady',
    timestamp: submission.updatedAt.getTime(),
  };
  if (points !== undefined) {
    content.scoreGiven = roundScore(points, 2, 'half-up');
    content.scoreMaximum = assignment.pointsPossible;
  }
  if (notes.length > 0) content.comment = notes.join(' · ');
  return content;
}
