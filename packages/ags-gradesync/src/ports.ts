import type { GradeSyncFindingCode } from './errors.ts';

/*
 * The services and storage the grade sync engine needs, as small async interfaces named by role. The engine never
 * imports an LMS or learning-platform client: `Gradebook` and `Roster` have adapters over @passport/lti13's AGS and
 * NRPS clients (and over Google Classroom), `ResultsSource` over a @passport/coursera-connector connector. Each store
 * has a memory adapter and a PostgreSQL/PGlite adapter over `SqlClient`, and one contract suite (`testing/`).
 */

// ── Modes and bindings ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * How an LMS instance receives grades (one mode per LMS instance, as LTI's one-tool-per-domain rule forces):
 * - `final-grade`: one activity and one line item per course; the course's final grade.
 * - `granular-linked` (option A): the instructor deep-links each gradable item as its own activity; each activity's
 *   line item receives that item's score.
 * - `granular-created` (option B): one activity for the course; the engine creates a line item per gradable item
 *   (tagged and `resourceId`-keyed, never twice) and adds line items when the course gains items.
 */
export type SyncMode = 'final-grade' | 'granular-linked' | 'granular-created';

export const syncModes: readonly SyncMode[] = ['final-grade', 'granular-linked', 'granular-created'];

/** An LMS course bound to a learning-platform course: where results come from and where scores go. */
export interface CourseBinding {
  readonly id: string;
  readonly tenantId: string;
  /** The LMS instance (issuer + client id + deployment, as the host names it): mode, limits and breaker are per LMS. */
  readonly lmsId: string;
  /** The LMS course (LTI context id). */
  readonly contextId: string;
  /** The learning platform (`coursera`), as account links name it. */
  readonly platform: string;
  readonly programId: string;
  /** The learning-platform course. */
  readonly courseId: string;
  /** Final grade: the line item of the course activity, when the launch carried one (AGS `lineitem`). */
  readonly finalGradeLineItemId?: string | undefined;
  /** Option A: the line item of each deep-linked item's activity, by item id. */
  readonly itemLineItems?: Readonly<Record<string, string>> | undefined;
  /** The label of the final-grade line item when the engine creates it (default: `Final grade`). */
  readonly label?: string | undefined;
}

/**
 * A line item the engine sends to for a binding. `slot` names what it receives, per mode: `final-grade:course`,
 * `granular-linked:item:<itemId>`, `granular-created:item:<itemId>`; switching modes never reuses another mode's.
 */
export interface LineItemSlot {
  readonly bindingId: string;
  readonly slot: string;
  readonly lineItemId: string;
  readonly scoreMaximum: number;
  /** True when the engine created it (option B, or a final-grade line item found missing). */
  readonly createdByEngine: boolean;
}

// ── Learning-platform results ──────────────────────────────────────────────────────────────────────────────────

/** A grade as a fraction (0..1) or as points out of a maximum. */
export type LearningGrade =
  | { readonly kind: 'fraction'; readonly value: number }
  | { readonly kind: 'points'; readonly points: number; readonly maximum: number };

/** One learner's result on a course (`itemId` undefined) or on one of its items, as a connector reports it. */
export interface LearningResult {
  readonly learnerExternalId: string;
  readonly email?: string | undefined;
  readonly courseId: string;
  readonly itemId?: string | undefined;
  /** 0..1, when known. */
  readonly progress?: number | undefined;
  readonly grade?: LearningGrade | undefined;
  readonly passed?: boolean | undefined;
  /** When the learner completed it on the platform: the score's AGS `timestamp`. */
  readonly completedAt?: Date | undefined;
  /** When the platform last changed this result; orders two versions of one result. */
  readonly updatedAt: Date;
  readonly badge?: string | undefined;
}

/** A gradable item of a learning-platform course. */
export interface LearningItem {
  readonly id: string;
  readonly courseId: string;
  readonly title: string;
  /** The points the item is out of, when the platform grades in points. */
  readonly maximumPoints?: number | undefined;
  /** The fraction of the maximum needed to pass, when the platform has one. */
  readonly passingThreshold?: number | undefined;
  /** `pass-fail` items send the full score or zero. */
  readonly gradingType?: 'points' | 'pass-fail' | undefined;
  readonly order: number;
}

export interface ResultsQuery {
  readonly programId: string;
  readonly courseId: string;
  readonly level: 'course' | 'item';
  /** The watermark the previous read ended with; absent for a full read. */
  readonly since?: string | undefined;
}

/** Results since a watermark (pages may overlap: the engine applies them idempotently), and the course catalog. */
export interface ResultsSource {
  readonly platform: string;
  readResults(query: ResultsQuery): AsyncIterable<{ results: LearningResult[]; watermark: string }>;
  listItems(courseId: string): Promise<LearningItem[]>;
}

// ── The LMS gradebook (AGS) and roster (NRPS) ──────────────────────────────────────────────────────────────────

/** One LMS course of one LMS instance. */
export interface GradebookTarget {
  readonly lmsId: string;
  readonly contextId: string;
}

export interface GradebookLineItem {
  /** The line item's URL (AGS) or the adapter's id for it. */
  readonly id: string;
  readonly label: string;
  readonly scoreMaximum: number;
  readonly resourceId?: string | undefined;
  readonly resourceLinkId?: string | undefined;
  readonly tag?: string | undefined;
}

export interface NewLineItem {
  readonly label: string;
  readonly scoreMaximum: number;
  readonly resourceId: string;
  readonly tag: string;
  readonly resourceLinkId?: string | undefined;
}

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

/** An AGS score (`application/vnd.ims.lis.v1.score+json`). */
export interface ScorePost {
  readonly userId: string;
  readonly scoreGiven?: number | undefined;
  readonly scoreMaximum?: number | undefined;
  readonly activityProgress: ActivityProgress;
  readonly gradingProgress: GradingProgress;
  /** ISO 8601 with offset: the platform's completion time, so a stale score never overwrites a newer one. */
  readonly timestamp: string;
  readonly comment?: string | undefined;
}

export interface GradebookResult {
  readonly userId: string;
  readonly resultScore?: number | undefined;
  readonly resultMaximum?: number | undefined;
  readonly comment?: string | undefined;
  readonly timestamp?: string | undefined;
}

/**
 * An LMS gradebook. Adapters throw `GradeSyncError` with the `GRADESYNC_LMS_*`, `GRADESYNC_LINE_ITEM_DELETED`,
 * `GRADESYNC_LINE_ITEM_NOT_OWNED`, `GRADESYNC_SCORE_REJECTED` and `GRADESYNC_SCORE_STALE` codes (with `retryAfterMs` when the LMS said when), so the
 * delivery loop treats every LMS alike. A 401 is thrown only after the adapter tried a fresh access token.
 */
export interface Gradebook {
  /** The line item, or undefined when the LMS says it does not exist. */
  getLineItem(target: GradebookTarget, lineItemId: string): Promise<GradebookLineItem | undefined>;
  listLineItems(
    target: GradebookTarget,
    filter?: { resourceId?: string; tag?: string; resourceLinkId?: string },
  ): Promise<GradebookLineItem[]>;
  createLineItem(target: GradebookTarget, lineItem: NewLineItem): Promise<GradebookLineItem>;
  postScore(target: GradebookTarget, lineItemId: string, score: ScorePost): Promise<void>;
  readResults(
    target: GradebookTarget,
    lineItemId: string,
    options?: { userId?: string },
  ): Promise<GradebookResult[]>;
}

/** A member of an LMS course, as NRPS returns it. */
export interface RosterMember {
  /** The LMS user id: the `sub` of that user's launches, the `userId` of scores. */
  readonly userId: string;
  readonly email?: string | undefined;
  /** `lis_person_sourcedid` (the SIS / OneRoster sourcedId). */
  readonly sourcedId?: string | undefined;
  /** Short context role names (`Learner`, `Instructor`). */
  readonly roles: readonly string[];
  readonly status?: 'Active' | 'Inactive' | 'Deleted' | undefined;
  readonly name?: string | undefined;
}

export interface Roster {
  listMembers(target: GradebookTarget): Promise<RosterMember[]>;
}

// ── Learner links ──────────────────────────────────────────────────────────────────────────────────────────────

/** A launch seen from an LMS user: the `sub` is the LMS user id scores are sent for. */
export interface LaunchRecord {
  readonly lmsId: string;
  readonly userId: string;
  readonly email?: string | undefined;
  readonly sourcedId?: string | undefined;
  readonly at: Date;
}

/** The learning-platform account a launching LMS user linked at first sign-on (the SSO hand-off). */
export interface AccountLink {
  readonly lmsId: string;
  readonly userId: string;
  readonly platform: string;
  readonly externalId: string;
  readonly at: Date;
}

export interface LearnerLinks {
  /** Inserts or replaces the launch of (lmsId, userId). */
  recordLaunch(launch: LaunchRecord): Promise<void>;
  /** Inserts or replaces the link of (lmsId, platform, externalId). */
  recordAccountLink(link: AccountLink): Promise<void>;
  listLaunches(lmsId: string): Promise<LaunchRecord[]>;
  listAccountLinks(lmsId: string, platform: string): Promise<AccountLink[]>;
}

// ── Outbox, sent state, dead letters, audit ────────────────────────────────────────────────────────────────────

/** A score waiting to be delivered: at most one per (line item, user); a newer one replaces it. */
export interface NewOutboxEntry {
  readonly lmsId: string;
  readonly contextId: string;
  readonly bindingId: string;
  readonly runId: string;
  readonly slot: string;
  readonly lineItemId: string;
  readonly userId: string;
  readonly learnerExternalId: string;
  readonly score: ScorePost;
  /** The fingerprint of the score's content (not its timestamp): what "changed" means. */
  readonly fingerprint: string;
  /** The source result's `updatedAt` (ms): an older result never replaces a newer one. */
  readonly sourceUpdatedAt: number;
  /** Sent even though the LMS already took the same score (an explicit full resync). */
  readonly resend?: boolean | undefined;
}

export interface OutboxEntry extends NewOutboxEntry {
  readonly id: string;
  /** Bumped each time a newer score replaces the entry's content. */
  readonly version: number;
  readonly attempts: number;
  /** When the entry may be claimed (ms); while claimed, the end of the claim's lease. */
  readonly availableAt: number;
  readonly enqueuedAt: number;
  readonly lastError?: string | undefined;
}

export interface ClaimedEntry extends OutboxEntry {
  readonly claimToken: string;
}

export interface EnqueueOutcome {
  inserted: number;
  replaced: number;
  /** Same content as the entry already waiting, or older than it. */
  unchanged: number;
}

export interface GradeOutbox {
  enqueue(entries: readonly NewOutboxEntry[], now: Date): Promise<EnqueueOutcome>;
  /**
   * Claims up to `limit` entries of one LMS that are due (`availableAt <= now`), oldest first, leasing each until
   * `now + leaseMs`. An entry whose lease ran out (its process died) is due again. Two claimers never get the same
   * entry.
   */
  claim(
    lmsId: string,
    options: { limit: number; leaseMs: number; now: Date; claimToken: string },
  ): Promise<ClaimedEntry[]>;
  /**
   * Ends a delivered claim: deletes the entry, or, when a newer score replaced it meanwhile, releases it so the newer
   * score goes next. Resolves what happened; `lost` when the claim is no longer held.
   */
  complete(entry: ClaimedEntry, now: Date): Promise<'deleted' | 'superseded' | 'lost'>;
  /**
   * Releases a claim for another try at `availableAt`, counting the attempt unless `countAttempt` is false (a pause
   * that was not the entry's failure, such as an open circuit). False when the claim is not held.
   */
  retryLater(entry: ClaimedEntry, availableAt: Date, error: string, countAttempt?: boolean): Promise<boolean>;
  /** Deletes a claimed entry (after dead-lettering it). False when the claim is not held. */
  remove(entry: ClaimedEntry): Promise<boolean>;
  /** The earliest `availableAt` of the LMS's entries, or undefined when none wait. */
  nextDueAt(lmsId: string): Promise<Date | undefined>;
  list(filter?: { lmsId?: string; bindingId?: string; lineItemId?: string }): Promise<OutboxEntry[]>;
  /** Drops every waiting entry of a line item (it was deleted and will be recreated). */
  removeLineItem(lineItemId: string): Promise<number>;
}

/** What the LMS last accepted for a (line item, user). */
export interface SentScore {
  readonly lineItemId: string;
  readonly userId: string;
  readonly fingerprint: string;
  /** The score's timestamp (ms). */
  readonly scoreTimestamp: number;
  readonly sourceUpdatedAt: number;
  readonly score: ScorePost;
  readonly sentAt: number;
}

export interface SyncState {
  /** The last sent score of every user on each line item. */
  sentScores(lineItemIds: readonly string[]): Promise<Map<string, Map<string, SentScore>>>;
  /** The last sent score of one (line item, user). */
  sentScore(lineItemId: string, userId: string): Promise<SentScore | undefined>;
  /** Inserts or replaces, unless the stored one comes from a newer source result. */
  recordSent(sent: SentScore): Promise<void>;
  /** Forgets what was sent to a line item (it was deleted; a recreated one starts empty). */
  forgetLineItem(lineItemId: string): Promise<number>;

  getWatermark(key: string): Promise<string | undefined>;
  setWatermark(key: string, value: string): Promise<void>;
  /** Deletes every watermark whose key starts with the prefix (a full re-read). */
  clearWatermarks(prefix: string): Promise<number>;

  saveBinding(binding: CourseBinding): Promise<void>;
  getBinding(id: string): Promise<CourseBinding | undefined>;
  listBindings(filter?: { tenantId?: string; lmsId?: string }): Promise<CourseBinding[]>;

  getMode(lmsId: string): Promise<SyncMode | undefined>;
  setMode(lmsId: string, mode: SyncMode): Promise<void>;

  lineItemSlots(bindingId: string): Promise<LineItemSlot[]>;
  saveLineItemSlot(slot: LineItemSlot): Promise<void>;
  removeLineItemSlot(bindingId: string, slot: string): Promise<boolean>;

  /** Takes or renews a lease; true when `owner` holds it until `until`. An expired lease can be taken by anyone. */
  acquireLease(key: string, owner: string, until: Date, now: Date): Promise<boolean>;
  releaseLease(key: string, owner: string): Promise<void>;
}

export type DeadLetterReason =
  | 'GRADESYNC_LMS_UNAUTHORIZED'
  | 'GRADESYNC_LINE_ITEM_DELETED'
  | 'GRADESYNC_LINE_ITEM_NOT_OWNED'
  | 'GRADESYNC_SCORE_REJECTED'
  | 'GRADESYNC_RETRIES_EXHAUSTED'
  | 'GRADESYNC_LMS_RESPONSE_INVALID';

/** A delivery that failed for good, kept with its reason until an admin retries or discards it. */
export interface DeadLetter {
  /** `<entry id>:<version>`: dead-lettering the same delivery twice keeps one letter. */
  readonly id: string;
  readonly entry: OutboxEntry;
  readonly reason: DeadLetterReason;
  readonly message: string;
  readonly failedAt: Date;
}

export interface DeadLetters {
  /** Adds the letter; false when a letter with its id exists. */
  add(letter: DeadLetter): Promise<boolean>;
  list(filter?: { lmsId?: string; bindingId?: string; runId?: string }): Promise<DeadLetter[]>;
  /** Removes and returns the letter (to retry or discard it). */
  take(id: string): Promise<DeadLetter | undefined>;
}

export type AuditKind =
  | 'score-sent'
  | 'line-item-created'
  | 'line-item-recreated'
  | 'mode-switched'
  | 'dead-lettered'
  | 'dead-letter-retried'
  | 'dead-letter-discarded'
  | 'resync-requested';

export interface AuditEntry {
  /** Idempotency key: appending the same key twice keeps one entry. */
  readonly key: string;
  readonly at: Date;
  readonly kind: AuditKind;
  readonly lmsId: string;
  readonly bindingId?: string | undefined;
  readonly runId?: string | undefined;
  readonly lineItemId?: string | undefined;
  readonly userId?: string | undefined;
  readonly actor?: string | undefined;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** What a sync run planned (the delivery side is counted from the audit and the dead letters). */
export interface RunRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly bindingId: string;
  readonly lmsId: string;
  readonly trigger: 'schedule' | 'on-demand' | 'event' | 'full-resync' | 'recreate';
  readonly startedAt: Date;
  readonly finishedAt?: Date | undefined;
  readonly statistics: RunPlanStatistics;
  readonly error?: string | undefined;
}

export interface PlanCounters {
  considered: number;
  queued: number;
  unchanged: number;
  stale: number;
  unmatched: number;
  ambiguous: number;
  /** Results with neither a grade nor a completion (nothing to grade yet). */
  notGradable: number;
  /** Item results with no line item to go to (option A: the item was not deep-linked). */
  notLinked: number;
}

export interface RunPlanStatistics extends PlanCounters {
  readonly byLineItem: Record<string, PlanCounters>;
  /** Line items created by this run (option B, or a missing final-grade line item). */
  readonly lineItemsCreated: number;
  /** The learners that could not be matched, and the ambiguous ones with their candidates, for the admin. */
  readonly findings: readonly MatchFinding[];
}

export interface MatchFinding {
  readonly code: GradeSyncFindingCode;
  readonly learnerExternalId?: string | undefined;
  readonly itemId?: string | undefined;
  readonly candidates?: readonly string[] | undefined;
  readonly message: string;
}

export interface AuditLog {
  /** Appends the entry; false when an entry with its key exists. */
  append(entry: AuditEntry): Promise<boolean>;
  list(filter?: {
    lmsId?: string;
    bindingId?: string;
    runId?: string;
    kind?: AuditKind;
    lineItemId?: string;
    userId?: string;
  }): Promise<AuditEntry[]>;
  saveRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(filter?: { bindingId?: string; tenantId?: string; limit?: number }): Promise<RunRecord[]>;
}

// ── Circuit breakers ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * The circuit breaker of one LMS, as every process delivering to that LMS sees it. Half-open is not stored: it is an
 * open circuit whose pause (`breaker.openMs`) has run out.
 */
export interface CircuitRecord {
  readonly state: 'closed' | 'open';
  /** Consecutive failures of the LMS itself (network errors, 5xx). */
  readonly failures: number;
  /** When the circuit last opened (ms). */
  readonly openedAt?: number | undefined;
  /** While the probe of a half-open circuit is in flight: when its lease runs out (ms), and another may probe. */
  readonly probeUntil?: number | undefined;
}

export interface StoredCircuit {
  readonly record: CircuitRecord;
  /** Bumped by every write; what a compare-and-set write expects. */
  readonly version: number;
}

/**
 * Where the circuit breakers live, so a process that takes an LMS over (its drain lease) sees the circuit the
 * previous one left, open or half-open. Writes are compare-and-set on the version, so two processes never lose each
 * other's failure counts or both take the one probe.
 */
export interface CircuitBreakerStore {
  /** The LMS's circuit, or undefined when none was stored (closed, no failures). */
  read(lmsId: string): Promise<StoredCircuit | undefined>;
  /**
   * Stores the LMS's circuit if its stored version is still `expectedVersion` (0: none stored yet). Answers the new
   * version, or undefined when another writer changed it first (read again, then decide again).
   */
  write(lmsId: string, record: CircuitRecord, expectedVersion: number): Promise<number | undefined>;
}

// ── Partner gradebook API ──────────────────────────────────────────────────────────────────────────────────────

export type PartnerAssignmentState = 'draft' | 'open' | 'locked';
export type PartnerGradingType = 'points' | 'percent' | 'pass_fail' | 'letter_grade';

/** An assignment a partner app created for a roster class. */
export interface PartnerAssignment {
  readonly id: string;
  readonly appId: string;
  readonly classId: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly state: PartnerAssignmentState;
  readonly dueDate?: string | undefined;
  readonly pointsPossible: number;
  readonly gradingType: PartnerGradingType;
  /** The LMS and line item it is pushed to, once it is open. */
  readonly lmsId?: string | undefined;
  readonly lineItemId?: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type PartnerSubmissionState = 'created' | 'submitted' | 'returned';
export type PartnerSubmissionFlag = 'excused' | 'late' | 'missing';

/** A learner's submission to a partner assignment, as the app wrote it (roster ids). */
export interface PartnerSubmission {
  readonly assignmentId: string;
  /** The roster user id (OneRoster sourcedId). */
  readonly userId: string;
  /** The LMS user it was matched to. */
  readonly lmsUserId?: string | undefined;
  readonly state: PartnerSubmissionState;
  /** `points` 7.5, `percent` 85, `pass_fail` pass or fail, `letter_grade` B+. */
  readonly grade?: string | number | undefined;
  readonly gradePoints?: number | undefined;
  readonly gradeComment?: string | undefined;
  readonly flags: readonly PartnerSubmissionFlag[];
  readonly updatedAt: Date;
}

export interface PartnerGradebookStore {
  saveAssignment(assignment: PartnerAssignment): Promise<void>;
  getAssignment(id: string): Promise<PartnerAssignment | undefined>;
  listAssignments(filter: { appId: string; classId?: string }): Promise<PartnerAssignment[]>;
  saveSubmission(submission: PartnerSubmission): Promise<void>;
  listSubmissions(assignmentId: string): Promise<PartnerSubmission[]>;
}

/** Who a partner API request comes from, as the host's credentials (e.g. OneRoster API credentials) say. */
export interface PartnerPrincipal {
  /** The partner app: what it creates is its own, and another app's assignments are invisible to it. */
  readonly partnerId: string;
  /** The districts (the bindings' `tenantId`) whose classes the credentials reach; none: every class is refused. */
  readonly districtIds: readonly string[];
  /**
   * OneRoster gradebook scopes, short (`gradebook.readonly`, `gradebook.createput`) or as the 1.1/1.2 URIs: reads need
   * `gradebook.readonly`, writes `gradebook.createput`.
   */
  readonly scopes: readonly string[];
}

/**
 * How the host authenticates partner apps. `authenticate` answers null when the request carries no valid credentials
 * (the API answers 401 with `WWW-Authenticate`); an exception is answered 500 and lets nothing through.
 */
export interface PartnerAuthenticator {
  authenticate(request: Request): Promise<PartnerPrincipal | null>;
}

/** Where a roster class lives in the LMS the district uses, and who a roster user is. */
export interface ClassDirectory {
  classTarget(classId: string): Promise<(GradebookTarget & { readonly tenantId: string }) | undefined>;
  rosterUser(
    userId: string,
  ): Promise<{ readonly sourcedId: string; readonly email?: string | undefined } | undefined>;
}
