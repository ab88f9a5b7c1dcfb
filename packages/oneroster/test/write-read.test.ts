/**
 * The writer against the reader and validator: generated districts validate without a finding, and
 * read → write → read gives back the same dataset, for generated districts and for arbitrary valid datasets.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackage } from '../src/csv/read.ts';
import { validatePackage } from '../src/csv/validate.ts';
import { writePackage } from '../src/csv/write.ts';
import { writeGeneratedDistrict } from '../src/generate/district.ts';
import { csvDatasetArbitrary } from '../src/testing/arbitraries.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-write-read-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generated districts', () => {
  for (const [students, seed, format] of [
    [1, 'one', 'dir'],
    [37, 'small', 'zip'],
    [2500, 'validate', 'zip'],
    [2500, 'validate', 'dir'],
  ] as const) {
    it(`validate with no errors and no warnings (${students} students, ${format})`, async () => {
      const out = join(root, `district-${students}-${seed}${format === 'zip' ? '.zip' : ''}`);
      const counts = await writeGeneratedDistrict({ students, seed }, out);
      const report = await validatePackage(out);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.totals).toEqual({ errors: 0, warnings: 0 });
      expect(report.valid).toBe(true);
      expect(report.counts).toEqual(counts);
    });
  }

  it('read → write → read gives the same dataset and the same bytes', async () => {
    const original = join(root, 'original.zip');
    await writeGeneratedDistrict({ students: 1500, seed: 'round trip' }, original, { format: 'zip' });
    const first = await readPackage(original);
    expect(first.report.valid).toBe(true);
    const rewritten = join(root, 'rewritten');
    await writePackage(first.dataset, rewritten);
    const second = await readPackage(rewritten);
    expect(second.dataset).toEqual(first.dataset);
    expect(second.report.totals).toEqual({ errors: 0, warnings: 0 });

    // The writer is canonical: writing the generated district directly gives the same files.
    const direct = join(root, 'direct');
    await writeGeneratedDistrict({ students: 1500, seed: 'round trip' }, direct);
    const names = (await readdir(direct)).sort();
    expect((await readdir(rewritten)).sort()).toEqual(names);
    for (const name of names) {
      expect((await readFile(join(rewritten, name))).equals(await readFile(join(direct, name))), name).toBe(
        true,
      );
    }
  });
});

describe('arbitrary valid datasets', () => {
  it('read → write → read is lossless for every entity, bulk and delta, with metadata columns', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(csvDatasetArbitrary({ maxRowsPerFile: 4 }), async (dataset) => {
        const out = join(root, `arbitrary-${run++}${run % 2 === 0 ? '.zip' : ''}`);
        await writePackage(dataset, out);
        const { dataset: read } = await readPackage(out);
        expect(read).toEqual(dataset);
        await rm(out, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  });
});
