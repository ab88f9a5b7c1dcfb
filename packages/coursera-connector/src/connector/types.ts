/**
 * The platform-neutral shapes every learning-platform connector speaks. Nothing here is Coursera-shaped: a program
 * is whatever an organization licenses (a Coursera program, a Skills Boost group), a course is what a teacher picks,
 * a gradable item is what a grade can be synced for.
 */

/** A licensed collection of courses (Coursera: a program; Skills Boost: a group's cohort). */
export interface Program {
  id: string;
  name: string;
  description: string | undefined;
  url: string | undefined;
  /** The ids of the courses in the program, in the platform's order. */
  courseIds: string[];
}

export type CourseKind = 'course' | 'collection';

/** A course as it appears in one program. The same course in two programs appears twice, once per program. */
export interface Course {
  id: string;
  programId: string;
  title: string;
  /** `collection` groups other courses (a Coursera specialization, a Skills Boost learning path). */
  kind: CourseKind;
  description: string | undefined;
  url: string | undefined;
  /** The platform's own name for the kind (`Course`, `Specialization`, `Skill Badge`), kept for display. */
  platformType: string;
}

export type GradableItemType =
  | 'quiz'
  | 'exam'
  | 'assignment'
  | 'programming'
  | 'peer-review'
  | 'lab'
  | 'discussion'
  | 'other';

/** Something in a course that produces a result a teacher may sync. */
export interface GradableItem {
  id: string;
  courseId: string;
  title: string;
  type: GradableItemType;
  /** Share of the course grade, 0..1; 0 for items that count for completion only. */
  weight: number;
  /** The fraction of the maximum needed to pass, 0..1, when the platform has one. */
  passingThreshold: number | undefined;
  /** Position in the course, 0-based, in the platform's order. */
  order: number;
  /** The points the item is out of, when the platform grades in points. */
  maximumPoints: number | undefined;
}

/** A grade as a fraction (0..1) or as points out of a maximum. */
export type Grade = { kind: 'fraction'; value: number } | { kind: 'points'; points: number; maximum: number };

/** The learner as Passport knows them from the roster. */
export interface LearnerIdentity {
  /** The id the platform knows the learner by; Coursera defaults it to the email. */
  externalId: string;
  email: string;
  fullName: string;
}

export type MembershipOutcome = 'invited' | 'already-invited' | 'already-member' | 'added';

export interface Membership {
  programId: string;
  externalId: string;
  email: string | undefined;
  fullName: string | undefined;
  state: 'invited' | 'member';
  joinedAt: Date | undefined;
}

/** One result: a course result when `itemId` is undefined, an item result otherwise. */
export interface LearnerResult {
  programId: string;
  learnerExternalId: string;
  email: string | undefined;
  courseId: string;
  itemId: string | undefined;
  /** 0..1, when known. */
  progress: number | undefined;
  grade: Grade | undefined;
  passed: boolean | undefined;
  completedAt: Date | undefined;
  /** When the platform last changed this result (or the report's time for file-fed platforms). */
  updatedAt: Date;
  /** A badge or credential earned with the result, when the platform awards one. */
  badge: string | undefined;
}

export type ResultLevel = 'course' | 'item';

export interface ResultQuery {
  programId: string;
  level: ResultLevel;
  /** The watermark a previous read ended with; absent for a full read. */
  since?: string;
}

/**
 * One page of results. Store the `watermark` of the LAST page once the whole read has been processed: it is where the
 * next incremental read starts. Results may repeat across reads (watermarks overlap to survive report lag); apply
 * them idempotently.
 */
export interface ResultPage {
  results: LearnerResult[];
  watermark: string;
}

/** Where a signed-on learner should land. */
export interface HandOffTarget {
  programId: string;
  courseId?: string;
  itemId?: string;
}

export interface HandOffRequest extends HandOffTarget {
  learner: LearnerIdentity;
  /** Where the platform sends the learner back (Passport's return endpoint). */
  returnUrl: string;
  /** An unguessable value Passport keeps to match the return to this hand-off. */
  state: string;
}

export type HandOffOutcome = 'joined' | 'already-member' | 'program-full';

export interface HandOffReturn {
  state: string;
  programId: string;
  learnerExternalId: string;
  outcome: HandOffOutcome;
  /** How the platform account was linked on this visit: an existing account, a new one, or linked before. */
  accountLink: 'existing' | 'created' | 'previously-linked';
  issuedAt: Date;
}

/** A learner's license in a program. */
export interface LicenseSeat {
  learnerExternalId: string;
  takenAt: Date;
}

export interface LicenseUsage {
  programId: string;
  /** undefined: no seat limit is known for the program. */
  seats: number | undefined;
  used: number;
  /** undefined when `seats` is. */
  free: number | undefined;
  holders: LicenseSeat[];
}
