import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.ts';
import { latestMigration, migrationNames } from './support/migrations.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { describeStorageContract } from './support/storage-contract.ts';
import { makeTempDir } from './support/temp-dir.ts';

const tempDirs = new Map<string, () => Promise<void>>();

describe('storage contract on PGlite (temporary data folder)', () => {
  describeStorageContract('pglite', {
    async open() {
      const dir = await makeTempDir();
      const handle = await openDatabase({ kind: 'pglite', dataDir: join(dir.path, 'data') });
      tempDirs.set(handle.location, dir.remove);
      return handle;
    },
    async dispose(handle) {
      await tempDirs.get(handle.location)?.();
    },
  });
});

describe.skipIf(skipPostgres)(`storage contract on PostgreSQL (${postgresUrl}, one schema per run)`, () => {
  describeStorageContract('postgres', {
    async open() {
      return await openDatabase({ kind: 'postgres', url: postgresUrl, schema: uniqueSchema() }).catch(
        explainUnreachable,
      );
    },
    async dispose(handle) {
      await dropSchema(handle.schema);
    },
  });

  it('keeps each run in its own schema: another schema sees none of its tables', async () => {
    const first = await openDatabase({ kind: 'postgres', url: postgresUrl, schema: uniqueSchema() });
    const second = await openDatabase({ kind: 'postgres', url: postgresUrl, schema: uniqueSchema() });
    try {
      await first.migrate();
      expect(await first.migrationVersion()).toBe(latestMigration);
      expect(await second.migrationVersion()).toBeNull();
      expect((await second.migrate()).applied).toEqual(migrationNames);
    } finally {
      await first.close();
      await second.close();
      await dropSchema(first.schema);
      await dropSchema(second.schema);
    }
  });
});

describe('opening a database', () => {
  it('names the bad option: SERVER_DATABASE_OPTIONS_INVALID', async () => {
    await expect(openDatabase({ kind: 'postgres', url: 'mysql://localhost/x' })).rejects.toMatchObject({
      code: 'SERVER_DATABASE_OPTIONS_INVALID',
      message: expect.stringContaining('url'),
    });
    await expect(
      openDatabase({ kind: 'pglite', dataDir: '/tmp/x', schema: 'Bad-Schema' }),
    ).rejects.toMatchObject({
      code: 'SERVER_DATABASE_OPTIONS_INVALID',
      message: expect.stringContaining('schema'),
    });
  });

  it('reports an unreachable PostgreSQL as SERVER_DATABASE_UNAVAILABLE without revealing the password', async () => {
    const error = await openDatabase({
      kind: 'postgres',
      url: 'postgres://someone:s3cret@127.0.0.1:1/nothing',
      connectTimeoutMs: 2_000,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SERVER_DATABASE_UNAVAILABLE', status: 503 });
    expect((error as Error).message).toContain('postgres://someone:***@127.0.0.1:1/nothing');
    expect((error as Error).message).not.toContain('s3cret');
  });
});
