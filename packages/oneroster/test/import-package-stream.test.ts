/**
 * `importPackage` reads the package through the validator's row callback (no `CsvRow`, no per-row async step): it
 * must stage exactly what `streamPackage` streams, converted as `csvRowToEntity` converts it, file by file with its
 * mode, and report what `validatePackage` reports; a store that fails while rows are staged fails the import, which
 * aborts the session and commits nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRosterStore } from '../src/adapters/memory/memory-roster-store.ts';
import { streamPackage } from '../src/csv/read.ts';
import type { DataFileMode } from '../src/csv/validate.ts';
import { validatePackage } from '../src/csv/validate.ts';
import { writePackage } from '../src/csv/write.ts';
import { generateDataset } from '../src/generate/district.ts';
import { csvRowToEntity } from '../src/model/convert.ts';
import type { FileName } from '../src/model/files.ts';
import { importPackage } from '../src/store/import-package.ts';
import type { ImportSession, RosterStore } from '../src/store/roster-store.ts';

interface Staged {
  file: FileName;
  mode: DataFileMode | undefined;
  entity: Record<string, unknown>;
}

/** A memory store whose import sessions record every staged row, and fail at the `failAt`-th stage call. */
function recordingStore(failAt?: number) {
  const store = createMemoryRosterStore();
  const staged: Staged[] = [];
  const calls = { stage: 0, commit: 0, abort: 0 };
  const recording: RosterStore = {
    ...store,
    async beginImport(tenantId, options) {
      const session = await store.beginImport(tenantId, options);
      const wrapped: ImportSession = {
        async stage(file, entities, mode) {
          calls.stage++;
          if (calls.stage === failAt) throw new Error('the store went away');
          for (const entity of entities) staged.push({ file, mode, entity });
          await session.stage(file, entities, mode);
        },
        async commit(commitOptions) {
          calls.commit++;
          return session.commit(commitOptions);
        },
        async abort() {
          calls.abort++;
          await session.abort();
        },
      };
      return wrapped;
    },
  };
  return { store: recording, staged, calls };
}

describe('importPackage reads the package through the validator', () => {
  let folder: string;
  let path: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'oneroster-import-stream-'));
    path = join(folder, 'district');
    await writePackage(generateDataset({ students: 40, seed: 'import-stream' }), path);
    // Rows with errors of their own are not staged (a user whose enabledUser is not a boolean, an enrollment with a
    // bad date); a row with only a warning is (a user whose email has no @).
    const users = (await readFile(join(path, 'users.csv'), 'utf8')).split('\n');
    users[3] = (users[3] ?? '').replace(/,true,/, ',maybe,');
    users[4] = (users[4] ?? '').replace(/,[^,@]+@[^,]+,/, ',no-at-sign,');
    await writeFile(join(path, 'users.csv'), users.join('\n'));
    const enrollments = (await readFile(join(path, 'enrollments.csv'), 'utf8')).split('\n');
    enrollments[2] = (enrollments[2] ?? '').replace(/\d{4}-\d{2}-\d{2}/, '2026-13-45');
    await writeFile(join(path, 'enrollments.csv'), enrollments.join('\n'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('stages exactly the rows streamPackage streams, converted as csvRowToEntity converts them', async () => {
    const expected: Staged[] = [];
    const stream = streamPackage(path);
    for await (const { file, mode, row } of stream) {
      expected.push({ file, mode, entity: csvRowToEntity(file, row, { baseUrl: '' }) });
    }
    const streamedReport = await stream.report;
    expect(streamedReport.valid).toBe(false);
    expect(streamedReport.errors.map((finding) => finding.code).sort()).toEqual([
      'ONEROSTER_CSV_BOOLEAN_INVALID',
      'ONEROSTER_CSV_DATE_INVALID',
    ]);
    expect(streamedReport.warnings.map((finding) => finding.code)).toContain('ONEROSTER_CSV_EMAIL_INVALID');
    expect(expected.some(({ entity }) => entity.email === 'no-at-sign')).toBe(true);

    const { store, staged, calls } = recordingStore();
    const result = await importPackage(store, 'district', path);
    expect(result.status).toBe('invalid');
    expect(result.report).toEqual(streamedReport);
    expect(result.report).toEqual(await validatePackage(path));
    expect(staged.length).toBeGreaterThan(100);
    // Same rows, same order, same entities (key order included), same modes.
    expect(JSON.stringify(staged)).toBe(JSON.stringify(expected));
    expect(calls).toMatchObject({ commit: 0, abort: 1 });
    expect(
      (await store.list('district', { file: 'users', limit: 10, offset: 0, includeDeleted: true })).total,
    ).toBe(0);
  });

  it('fails, aborts the session and commits nothing when staging fails part way', async () => {
    const { store, calls } = recordingStore(3);
    await expect(importPackage(store, 'district', path)).rejects.toThrow('the store went away');
    expect(calls).toEqual({ stage: 3, commit: 0, abort: 1 });
    expect(
      (await store.list('district', { file: 'orgs', limit: 10, offset: 0, includeDeleted: true })).total,
    ).toBe(0);
  });
});
