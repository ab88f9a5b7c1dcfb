import { PassportError } from '@passport/core';

interface CatalogEntry {
  /** HTTP status a handler answers with. */
  readonly status: number;
  /** One line: what went wrong, safe to show anyone. */
  readonly title: string;
  /** What an administrator should change so it works next time. */
  readonly fix: string;
  /** A delivery that failed with this code may succeed later without anyone changing anything. */
  readonly retryable: boolean;
  /** The wire code a spec defines for it (RFC 6750 `error`), when one does. */
  readonly specError?: string;
}

/**
 * Every error code of the grade sync engine. "Our failure" (options, bindings, modes) and "the LMS said no" (the
 * `GRADESYNC_LMS_*`, line item and score codes) are different codes; a `Gradebook` adapter throws only the LMS ones,
 * and the delivery loop decides from `retryable` whether to try again or dead-letter.
 */
export const gradeSyncErrorCatalog = {
  // ── Our side ─────────────────────────────────────────────────────────────────────────────────────────────────
  GRADESYNC_OPTIONS_INVALID: {
    status: 500,
    title: 'The grade sync engine was configured with invalid options.',
    fix: 'Correct the option named in the message where the engine is created.',
    retryable: false,
  },
  GRADESYNC_BINDING_UNKNOWN: {
    status: 404,
    title: 'No course binding has this id.',
    fix: 'Bind the LMS course to a learning-platform course (first launch or deep linking) before syncing it.',
    retryable: false,
  },
  GRADESYNC_MODE_UNCHANGED: {
    status: 409,
    title: 'The LMS is already in this grade sync mode.',
    fix: 'Nothing to do; pick another mode to switch.',
    retryable: false,
  },
  GRADESYNC_SYNC_IN_PROGRESS: {
    status: 409,
    title: 'Another process is syncing this course right now.',
    fix: 'Wait for the running sync to finish; it will pick up the same changes.',
    retryable: true,
  },
  GRADESYNC_DEAD_LETTER_UNKNOWN: {
    status: 404,
    title: 'No dead letter has this id.',
    fix: 'List the dead letters again; it may have been retried or discarded already.',
    retryable: false,
  },
  GRADESYNC_SOURCE_UNAVAILABLE: {
    status: 502,
    title: 'The learning platform could not be read.',
    fix: 'The cause names the connector error; the next scheduled sync retries from the same watermark.',
    retryable: true,
  },

  // ── Partner gradebook API (a partner app's request) ──────────────────────────────────────────────────────────
  GRADESYNC_PARTNER_UNAUTHORIZED: {
    status: 401,
    title: 'The partner app is not authenticated.',
    fix: 'Send the app’s access token as a Bearer token; request a new one if it expired.',
    retryable: false,
    specError: 'invalid_token',
  },
  GRADESYNC_PARTNER_SCOPE_MISSING: {
    status: 403,
    title: 'The app’s credentials lack the scope this request needs.',
    fix: 'Reads need gradebook.readonly and writes gradebook.createput: have the district grant the scope, then request a new token with it.',
    retryable: false,
    specError: 'insufficient_scope',
  },
  GRADESYNC_PARTNER_DISTRICT_FORBIDDEN: {
    status: 403,
    title: 'The class belongs to a district the app’s credentials do not reach.',
    fix: 'Use the credentials the class’s district issued to the app.',
    retryable: false,
  },
  GRADESYNC_PARTNER_REQUEST_INVALID: {
    status: 400,
    title: 'The request body does not match the gradebook API.',
    fix: 'The message names the field; see the partner gradebook API reference.',
    retryable: false,
  },
  GRADESYNC_PARTNER_NOT_FOUND: {
    status: 404,
    title: 'No such class or assignment for this app.',
    fix: 'Use a roster class id the app has access to, and an assignment the app created.',
    retryable: false,
  },
  GRADESYNC_PARTNER_USER_UNMATCHED: {
    status: 422,
    title: 'The roster user has no LMS account in the class, or several.',
    fix: 'Check that the user is enrolled in the LMS course with the same SIS id or email; duplicates need an admin.',
    retryable: false,
  },

  // ── The LMS said no (thrown by Gradebook adapters) ─────────────────────────────────────────────────────────
  GRADESYNC_LMS_UNAVAILABLE: {
    status: 502,
    title: 'The LMS could not be reached or failed (network error or 5xx).',
    fix: 'Nothing, usually: the delivery is retried with backoff. If it lasts, check the LMS status.',
    retryable: true,
  },
  GRADESYNC_LMS_RATE_LIMITED: {
    status: 503,
    title: 'The LMS is throttling grade calls.',
    fix: 'Nothing: the delivery waits as long as the LMS asks (Retry-After). Lower the LMS’s rate limit if it repeats.',
    retryable: true,
  },
  GRADESYNC_LMS_UNAUTHORIZED: {
    status: 502,
    title: 'The LMS refused the tool’s credentials, even with a fresh access token.',
    fix: 'Check the tool registration in the LMS (client id, keys, grade scopes), then retry the dead letters.',
    retryable: false,
  },
  GRADESYNC_LINE_ITEM_DELETED: {
    status: 502,
    title: 'The gradebook column (line item) no longer exists in the LMS.',
    fix: 'An instructor deleted it. In mode B it is recreated; otherwise re-link the activity, then retry.',
    retryable: false,
  },
  GRADESYNC_LINE_ITEM_NOT_OWNED: {
    status: 409,
    title: 'The gradebook column was not created by Passport, and this LMS lets only its creator grade it.',
    fix: 'Google Classroom: only the project that created a courseWork may grade it. Let Passport create the courseWork (mode B, or a final-grade line item) instead of pointing it at an existing one.',
    retryable: false,
  },
  GRADESYNC_SCORE_REJECTED: {
    status: 502,
    title: 'The LMS refused the score (422 or another 4xx).',
    fix: 'Read the LMS answer in the message (often: the user is not a student of the course), then retry.',
    retryable: false,
  },
  GRADESYNC_SCORE_STALE: {
    status: 409,
    title: 'The LMS holds a newer score for this user and line item.',
    fix: 'Nothing: an older score never replaces a newer one. The delivery counts as done.',
    retryable: false,
  },
  GRADESYNC_LMS_RESPONSE_INVALID: {
    status: 502,
    title:
      'The LMS answered with a body that does not follow the Assignment and Grade Services specification.',
    fix: 'Report it to the LMS vendor with the message.',
    retryable: true,
  },

  // ── Delivery outcomes ────────────────────────────────────────────────────────────────────────────────────────
  GRADESYNC_RETRIES_EXHAUSTED: {
    status: 502,
    title: 'The LMS kept failing a delivery that could have succeeded; retries are used up.',
    fix: 'Check the LMS status, then retry the dead letter.',
    retryable: false,
  },
  GRADESYNC_CIRCUIT_OPEN: {
    status: 503,
    title: 'Deliveries to this LMS are paused after repeated failures.',
    fix: 'Nothing: deliveries resume with a probe after the pause.',
    retryable: true,
  },
} as const satisfies Record<string, CatalogEntry>;

export type GradeSyncErrorCode = keyof typeof gradeSyncErrorCatalog;

export const gradeSyncErrorCodes = Object.keys(gradeSyncErrorCatalog) as GradeSyncErrorCode[];

export interface GradeSyncErrorOptions {
  /** For logs only. Never put tokens or keys here. */
  detail?: unknown;
  cause?: unknown;
  /** How long the LMS asked to wait before trying again, in milliseconds, when it said so. */
  retryAfterMs?: number | undefined;
}

/** The error of `@passport/ags-gradesync`; `retryable` and `fix` come from the catalog. */
export class GradeSyncError extends PassportError<GradeSyncErrorCode> {
  readonly fix: string;
  readonly title: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: GradeSyncErrorCode, message?: string, options: GradeSyncErrorOptions = {}) {
    const entry: CatalogEntry = gradeSyncErrorCatalog[code];
    const text = message ?? entry.title;
    super(code, text, {
      status: entry.status,
      specError: entry.specError,
      description: text,
      detail: options.detail,
      cause: options.cause,
    });
    this.fix = entry.fix;
    this.title = entry.title;
    this.retryable = entry.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for a `GradeSyncError` from any copy of this package (brand check plus a known code). */
  static isGradeSyncError(value: unknown): value is GradeSyncError {
    return PassportError.is(value) && Object.hasOwn(gradeSyncErrorCatalog, value.code);
  }
}

/** The catalog entry of a code. */
export function describeGradeSyncError(code: GradeSyncErrorCode): CatalogEntry {
  return gradeSyncErrorCatalog[code];
}

/** The findings a sync run reports for an admin (in `RunRecord.statistics.findings`): not errors, nothing is sent. */
export const gradeSyncFindingCatalog = {
  GRADESYNC_LEARNER_UNMATCHED: {
    title:
      'A learner has no LMS user in the course: no linked account, launch or membership with their email or sourcedId.',
    fix: 'Check that the learner is enrolled in the LMS course with the same email or SIS id, or have them launch once.',
  },
  GRADESYNC_LEARNER_AMBIGUOUS: {
    title: 'A learner matches several LMS users; the engine never guesses, so nothing is sent for them.',
    fix: 'Merge the duplicate LMS accounts, or link the right one (the SSO hand-off does it, or an admin records the link).',
  },
  GRADESYNC_ITEM_NOT_LINKED: {
    title:
      'An item has results but no line item to go to (mode A: the item was not deep-linked, or its line item was deleted).',
    fix: 'Deep-link the item as an activity in the LMS course, or switch the LMS to mode B.',
  },
} as const;

export type GradeSyncFindingCode = keyof typeof gradeSyncFindingCatalog;
