import { describe, expect, it } from 'vitest';
import { fingerprintScore, hashText } from './fingerprint.ts';

const base = { activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: 1 } as const;

describe('fingerprintScore', () => {
  it('ignores the timestamp and tells every visible difference apart', () => {
    const fingerprints = [
      fingerprintScore({ ...base, scoreGiven: 86.66, scoreMaximum: 100 }),
      fingerprintScore({ ...base, scoreGiven: 86.67, scoreMaximum: 100 }),
      fingerprintScore({ ...base, scoreGiven: 86.66, scoreMaximum: 10 }),
      fingerprintScore({ ...base, activityProgress: 'Initialized', gradingProgress: 'NotReady' }),
      fingerprintScore({ ...base, activityProgress: 'InProgress', gradingProgress: 'NotReady' }),
      fingerprintScore({ ...base, gradingProgress: 'Failed' }),
      fingerprintScore({ ...base, gradingProgress: 'Pending' }),
      fingerprintScore({ ...base, gradingProgress: 'PendingManual' }),
      fingerprintScore({ ...base, scoreGiven: 1, scoreMaximum: 2, comment: 'Completed 2025-03-03 · Passed' }),
      fingerprintScore({ ...base, scoreGiven: 1, scoreMaximum: 2, comment: 'Completed 2025-03-04 · Passed' }),
    ];
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(fingerprintScore({ ...base, timestamp: 99, scoreGiven: 86.66, scoreMaximum: 100 })).toBe(
      fingerprints[0],
    );
    expect(fingerprints[0]).toBe('86.66|100|CG');
    expect(fingerprints[8]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes to 16 hex digits, stable', () => {
    expect(hashText('a')).toBe(hashText('a'));
    expect(hashText('a')).not.toBe(hashText('b'));
    expect(hashText('')).toMatch(/^[0-9a-f]{16}$/);
  });
});
