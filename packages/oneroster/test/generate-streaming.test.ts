import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./write-generated-district.child.ts', import.meta.url));
// Holding 20k students in memory takes about 70 MB of heap on top of the ~15 MB a bare run keeps live; streaming
// keeps that ~15 MB. (A roomy young generation keeps the collector from thrashing under such a small old space.)
const heapLimitMb = 64;
const students = 20_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-streaming-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const run = (mode: 'stream' | 'hold', out: string) =>
  spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapLimitMb}`,
      '--max-semi-space-size=16',
      '--conditions=@passport/source',
      child,
      mode,
      String(students),
      out,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );

it(`generates ${students} students into a zip within a ${heapLimitMb} MB heap`, async () => {
  const result = run('stream', join(root, 'district.zip'));
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const counts = JSON.parse(result.stdout) as Record<string, number>;
  expect(counts.demographics).toBe(students);
  expect(counts.enrollments).toBeGreaterThan(students * 6);
  expect(await readdir(root)).toEqual(['district.zip']);
}, 60_000);

it('runs out of that heap when the same district is held in memory (the limit is a real bound)', () => {
  const result = run('hold', join(root, 'held'));
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/heap out of memory/i);
}, 60_000);
