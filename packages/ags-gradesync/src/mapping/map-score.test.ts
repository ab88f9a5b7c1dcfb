import { describe, expect, it } from 'vitest';
import type { LearningResult } from '../ports.ts';
import { mapScore } from './map-score.ts';
import { scoreMappingOptionsSchema } from './score-mapping-options.ts';

const options = scoreMappingOptionsSchema.parse({});
const updatedAt = new Date('2025-03-04T10:00:00.000Z');
const completedAt = new Date('2025-03-03T09:30:00.000Z');
const result = (overrides: Partial<LearningResult>): LearningResult => ({
  learnerExternalId: 'learner-1',
  courseId: 'course-1',
  updatedAt,
  ...overrides,
});

describe('mapScore', () => {
  it('scales a fraction to the line item maximum and stamps the completion time', () => {
    const mapped = mapScore(
      result({ grade: { kind: 'fraction', value: 0.8666 }, completedAt }),
      { scoreMaximum: 100, passFail: false },
      options,
    );
    expect(mapped).toEqual({
      kind: 'score',
      content: {
        scoreGiven: 86.66,
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: completedAt.getTime(),
      },
    });
  });

  it('scales points to another maximum, rounding as configured', () => {
    const mapped = mapScore(
      result({ grade: { kind: 'points', points: 7, maximum: 9 } }),
      { scoreMaximum: 10, passFail: false },
      scoreMappingOptionsSchema.parse({ rounding: { decimals: 0, mode: 'down' } }),
    );
    expect(mapped).toMatchObject({
      kind: 'score',
      content: {
        scoreGiven: 7,
        scoreMaximum: 10,
        activityProgress: 'Submitted',
        timestamp: updatedAt.getTime(),
      },
    });
  });

  it('sends pass/fail items as the full maximum or zero, using the threshold when the platform does not say', () => {
    const passed = mapScore(
      result({ grade: { kind: 'fraction', value: 0.81 }, completedAt }),
      { scoreMaximum: 10, passFail: true, passingThreshold: 0.8 },
      options,
    );
    const failed = mapScore(
      result({ grade: { kind: 'fraction', value: 0.79 }, completedAt }),
      { scoreMaximum: 10, passFail: true, passingThreshold: 0.8 },
      options,
    );
    const said = mapScore(
      result({ passed: false, completedAt }),
      { scoreMaximum: 10, passFail: true },
      options,
    );
    expect(passed).toMatchObject({ content: { scoreGiven: 10, scoreMaximum: 10 } });
    expect(failed).toMatchObject({ content: { scoreGiven: 0, scoreMaximum: 10 } });
    expect(said).toMatchObject({ content: { scoreGiven: 0, gradingProgress: 'FullyGraded' } });
  });

  it('reports progress only when asked, and never invents a score', () => {
    const inProgress = result({ progress: 0.4 });
    expect(mapScore(inProgress, { scoreMaximum: 100, passFail: false }, options)).toEqual({
      kind: 'not-gradable',
      reason: 'The result has neither a grade nor a completion yet.',
    });
    const withProgress = mapScore(
      inProgress,
      { scoreMaximum: 100, passFail: false },
      scoreMappingOptionsSchema.parse({ sendProgress: true, comment: 'status' }),
    );
    expect(withProgress).toEqual({
      kind: 'score',
      content: {
        activityProgress: 'InProgress',
        gradingProgress: 'NotReady',
        timestamp: updatedAt.getTime(),
        comment: '40% done',
      },
    });
  });

  it('marks a completion without a grade as Completed and Pending, with a status comment', () => {
    const mapped = mapScore(
      result({ completedAt, passed: true, badge: 'Data Analyst' }),
      { scoreMaximum: 100, passFail: false },
      scoreMappingOptionsSchema.parse({ comment: 'status' }),
    );
    expect(mapped).toEqual({
      kind: 'score',
      content: {
        activityProgress: 'Completed',
        gradingProgress: 'Pending',
        timestamp: completedAt.getTime(),
        comment: 'Completed 2025-03-03 · Passed · Badge: Data Analyst',
      },
    });
  });

  it('clamps a grade above the maximum', () => {
    const mapped = mapScore(
      result({ grade: { kind: 'points', points: 12, maximum: 10 } }),
      { scoreMaximum: 10, passFail: false },
      options,
    );
    expect(mapped).toMatchObject({ content: { scoreGiven: 10 } });
  });
});
