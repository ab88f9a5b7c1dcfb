export type RoundingMode = 'half-up' | 'half-even' | 'down' | 'up';

export const roundingModes: readonly RoundingMode[] = ['half-up', 'half-even', 'down', 'up'];

/** Far below any score's precision, far above binary floating point's error on scores. */
const tolerance = 1e-6;

/**
 * Rounds a non-negative score to `decimals` places. Binary floating point cannot hold 1.005 or 0.29 exactly, so a
 * scaled value within a millionth of a whole number or of a half counts as that number: 1.005 → 1.01 (half-up), 0.29
 * × 100 stays 29 (down), as a teacher would compute them by hand. The result is the closest double to the rounded
 * decimal (an exact integer divided by an exact power of ten). Pure arithmetic: the diff benchmark maps 2M scores.
 */
export function roundScore(value: number, decimals: number, mode: RoundingMode): number {
  const factor = 10 ** decimals;
  const scaled = value * factor;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled - nearest) < tolerance) return nearest / factor;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  const half = Math.abs(fraction - 0.5) < tolerance;
  let rounded: number;
  switch (mode) {
    case 'down':
      rounded = whole;
      break;
    case 'up':
      rounded = whole + 1;
      break;
    case 'half-even':
      rounded = half ? (whole % 2 === 1 ? whole + 1 : whole) : fraction > 0.5 ? whole + 1 : whole;
      break;
    default:
      rounded = half || fraction > 0.5 ? whole + 1 : whole;
  }
  return rounded / factor;
}
