import { describe, expect, it } from 'vitest';
import { resultScoreOf } from './ags-endpoints.ts';

describe('resultScoreOf', () => {
  it('reads a score back exactly on its own scale (55 of 100 used to come back as 55.00000000000001)', () => {
    expect(resultScoreOf(55, 100, 100)).toBe(55);
    expect(resultScoreOf(29, 100, 100)).toBe(29);
    expect(resultScoreOf(29, undefined, 100)).toBe(29);
  });

  it('scales a score given on another scale to the line item', () => {
    expect(resultScoreOf(29, 100, 100)).toBe(29);
    expect(resultScoreOf(5, 10, 50)).toBe(25);
    expect(resultScoreOf(55, 100, 10)).toBe(5.5);
    expect(resultScoreOf(1, 3, 3)).toBe(1);
    expect(resultScoreOf(0, 10, 50)).toBe(0);
  });
});
