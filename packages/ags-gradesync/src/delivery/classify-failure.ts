import { GradeSyncError } from '../errors.ts';
import type { DeadLetterReason } from '../ports.ts';

export type FailureAction =
  /** Try again later; `countsForBreaker` when the LMS itself failed (network, 5xx, garbage). */
  | {
      readonly action: 'retry';
      readonly code: string;
      readonly retryAfterMs: number | undefined;
      readonly countsForBreaker: boolean;
      readonly message: string;
    }
  /** The LMS holds a score at least as new: the delivery is done (a resend after a crash lands here on Canvas). */
  | { readonly action: 'already-newer'; readonly message: string }
  /** The line item is gone: recreate it (option B) or dead-letter. */
  | { readonly action: 'line-item-deleted'; readonly message: string }
  | { readonly action: 'dead-letter'; readonly reason: DeadLetterReason; readonly message: string };

/**
 * Decides what a failed delivery becomes. Gradebook adapters throw `GradeSyncError`s; anything else (a bug, an
 * adapter that let a network error through) is treated as the LMS being unavailable, and retried.
 */
export function classifyFailure(error: unknown): FailureAction {
  if (!GradeSyncError.isGradeSyncError(error)) {
    return {
      action: 'retry',
      code: 'GRADESYNC_LMS_UNAVAILABLE',
      retryAfterMs: undefined,
      countsForBreaker: true,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const message = error.message;
  switch (error.code) {
    case 'GRADESYNC_LMS_RATE_LIMITED':
      return {
        action: 'retry',
        code: error.code,
        retryAfterMs: error.retryAfterMs,
        countsForBreaker: false,
        message,
      };
    case 'GRADESYNC_LMS_UNAVAILABLE':
    case 'GRADESYNC_LMS_RESPONSE_INVALID':
      return {
        action: 'retry',
        code: error.code,
        retryAfterMs: error.retryAfterMs,
        countsForBreaker: true,
        message,
      };
    case 'GRADESYNC_SCORE_STALE':
      return { action: 'already-newer', message };
    case 'GRADESYNC_LINE_ITEM_DELETED':
      return { action: 'line-item-deleted', message };
    case 'GRADESYNC_LMS_UNAUTHORIZED':
    case 'GRADESYNC_LINE_ITEM_NOT_OWNED':
    case 'GRADESYNC_SCORE_REJECTED':
      return { action: 'dead-letter', reason: error.code, message };
    default:
      return error.retryable
        ? {
            action: 'retry',
            code: error.code,
            retryAfterMs: error.retryAfterMs,
            countsForBreaker: true,
            message,
          }
        : { action: 'dead-letter', reason: 'GRADESYNC_SCORE_REJECTED', message };
  }
}
