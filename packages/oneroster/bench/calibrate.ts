/**
 * How fast this machine is right now: csv-parse over a fixed, generated 200,000-row CSV held in memory, in rows/s.
 * The benchmarks print it before and after their runs. Figures from two machines, or from one machine whose speed
 * drifts (a shared host), compare only through it: an import at 30k rows/s where this reads 125k rows/s is the same
 * code as one at 75k rows/s where it reads 260k.
 */
import { parse } from 'csv-parse/sync';

const rows = 200_000;

function sample(): string {
  const lines = [
    'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary',
  ];
  for (let row = 0; row < rows; row++) {
    lines.push(
      `enrollment-${row},,,class-${row % 9973},school-${row % 41},student-${(row * 7) % 100_003},student,false`,
    );
  }
  return `${lines.join('\n')}\n`;
}

let text: string | undefined;

/** csv-parse rows per second over the fixed sample (the best of `runs`). */
export function calibrate(runs = 3): number {
  text ??= sample();
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const parsed = parse(text, { relax_column_count: true });
    const elapsed = performance.now() - started;
    if (parsed.length !== rows + 1) throw new Error(`calibration parsed ${parsed.length} records`);
    best = Math.min(best, elapsed);
  }
  return Math.round(rows / (best / 1000));
}

/** One line for a benchmark's output: the calibration figure and what it is. */
export function calibrationNote(when: string): string {
  return `machine speed ${when}: csv-parse ${calibrate().toLocaleString('en-US')} rows/s on a fixed 200k-row sample`;
}
