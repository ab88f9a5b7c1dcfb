import type { NewOutboxEntry } from '../ports.ts';

/** A score waiting for delivery, for the contract suites. */
export function outboxEntry(overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  const userId = overrides.userId ?? 'user-1';
  return {
    lmsId: 'lms-1',
    contextId: 'context-1',
    bindingId: 'binding-1',
    runId: 'run-1',
    slot: 'final-grade:course',
    lineItemId: 'https://lms.example/lineitems/1',
    userId,
    learnerExternalId: `${userId}@school.example`,
    score: {
      userId,
      scoreGiven: 80,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2025-03-01T10:00:00.000Z',
    },
    fingerprint: 'fingerprint-80',
    sourceUpdatedAt: Date.parse('2025-03-01T10:00:00.000Z'),
    ...overrides,
  };
}

export const at = (minute: number): Date => new Date(Date.UTC(2025, 2, 3, 9, minute));
