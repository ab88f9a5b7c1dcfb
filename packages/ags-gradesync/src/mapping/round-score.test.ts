import { describe, expect, it } from 'vitest';
import { roundScore } from './round-score.ts';

describe('roundScore', () => {
  it('rounds half up the way a teacher does, despite binary floating point', () => {
    expect(roundScore(1.005, 2, 'half-up')).toBe(1.01);
    expect(roundScore(86.665, 2, 'half-up')).toBe(86.67);
    expect(roundScore(0.125, 2, 'half-up')).toBe(0.13);
    expect(roundScore(72.4999, 0, 'half-up')).toBe(72);
  });

  it('rounds down and up without being fooled by 0.29 × 100 = 28.999…', () => {
    expect(roundScore(0.29 * 100, 0, 'down')).toBe(29);
    expect(roundScore(28.1, 0, 'down')).toBe(28);
    expect(roundScore(28.1, 0, 'up')).toBe(29);
    expect(roundScore(28, 0, 'up')).toBe(28);
  });

  it('rounds half to even (banker’s rounding)', () => {
    expect(roundScore(2.5, 0, 'half-even')).toBe(2);
    expect(roundScore(3.5, 0, 'half-even')).toBe(4);
    expect(roundScore(2.51, 0, 'half-even')).toBe(3);
    expect(roundScore(0.125, 2, 'half-even')).toBe(0.12);
  });
});
