export type RoundingMode = 'half-up' | 'half-even' | 'down' | 'up';

export const roundingModes: readonly RoundingMode[] = ['half-up', 'half-even', 'down', 'up'];

/**
 * Rounds a non-negative score to `decimals` places. Binary floating point cannot hold 1.005 or 0.29 exactly, so the
 * scaled value is first cut to 6 decimals (far below any score's precision): 1.005 → 1.01 (half-up), 0.29 × 100
 * stays 29 (down), as a teacher would compute them by hand.
 */
export function roundScore(value: number, decimals: number, mode: RoundingMode): number {
  const factor = 10 ** decimals;
  const scaled = Number((value * factor).toFixed(6));
  const whole = Math.floor(scaled);
  const fraction = Number((scaled - whole).toFixed(6));
  let rounded: number;
  switch (mode) {
    case 'down':
      rounded = whole;
      break;
    case 'up':
      rounded = fraction > 0 ? whole + 1 : whole;
      break;
    case 'half-even':
      rounded = fraction > 0.5 || (fraction === 0.5 && whole % 2 === 1) ? whole + 1 : whole;
      break;
    default:
      rounded = fraction >= 0.5 ? whole + 1 : whole;
  }
  return Number((rounded / factor).toFixed(decimals));
}
