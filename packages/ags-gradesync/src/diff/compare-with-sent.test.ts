import { describe, expect, it } from 'vitest';
import type { SentScore } from '../ports.ts';
import { compareWithSent, timestampToSend } from './compare-with-sent.ts';

const sent: SentScore = {
  lineItemId: 'line-item-1',
  userId: 'user-1',
  fingerprint: 'aaaa',
  scoreTimestamp: 1_000,
  sourceUpdatedAt: 2_000,
  score: {
    userId: 'user-1',
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp: '1970-01-01T00:00:01.000Z',
  },
  sentAt: 3_000,
};

describe('compareWithSent', () => {
  it('tells new, changed, unchanged, stale and resend apart', () => {
    expect(compareWithSent({ fingerprint: 'aaaa', sourceUpdatedAt: 2_000 }, undefined)).toBe('new');
    expect(compareWithSent({ fingerprint: 'bbbb', sourceUpdatedAt: 2_500 }, sent)).toBe('changed');
    expect(compareWithSent({ fingerprint: 'aaaa', sourceUpdatedAt: 2_500 }, sent)).toBe('unchanged');
    expect(compareWithSent({ fingerprint: 'bbbb', sourceUpdatedAt: 1_999 }, sent)).toBe('stale');
    expect(compareWithSent({ fingerprint: 'aaaa', sourceUpdatedAt: 2_000 }, sent, true)).toBe('resend');
    expect(compareWithSent({ fingerprint: 'bbbb', sourceUpdatedAt: 1_999 }, sent, true)).toBe('stale');
  });
});

describe('timestampToSend', () => {
  it('keeps the completion time when it is newer than what was sent', () => {
    expect(timestampToSend(5_000, 5_000, sent, 'changed')).toBe(5_000);
    expect(timestampToSend(500, 500, undefined, 'new')).toBe(500);
  });
  it('moves a change past the last timestamp so the LMS does not ignore it', () => {
    expect(timestampToSend(1_000, 800, sent, 'changed')).toBe(1_001);
    expect(timestampToSend(900, 4_000, sent, 'changed')).toBe(4_000);
  });
  it('resends with exactly the timestamp sent before', () => {
    expect(timestampToSend(7_000, 7_000, sent, 'resend')).toBe(1_000);
  });
});
