import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportError } from '@passport/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { type FileName, fileNames } from '../model/files.ts';
import type { CsvDataset, CsvRow } from './dataset.ts';
import { createPackageWriter, writePackage } from './write.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'oneroster-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function absentFiles(): Record<FileName, 'absent'> {
  return Object.fromEntries(fileNames.map((file) => [file, 'absent'])) as Record<FileName, 'absent'>;
}

const smallDataset: CsvDataset = {
  manifest: {
    manifestVersion: '1.0',
    onerosterVersion: '1.1',
    files: { ...absentFiles(), orgs: 'bulk', users: 'delta' },
    properties: { 'source.systemName': 'Test SIS', 'source.systemCode': 'T1', 'file.orgs': 'delta' },
  },
  tables: {
    orgs: {
      mode: 'bulk',
      // Out of order on purpose, with an extension column and a column that is neither spec nor metadata.
      columns: ['name', 'sourcedId', 'metadata.region', 'type', 'nonsense'],
      rows: [
        {
          sourcedId: 'd1',
          status: 'active',
          dateLastModified: '2026-01-02T03:04:05Z',
          name: 'Springfield, District "One"',
          type: 'district',
          'metadata.region': 'North\nEast',
          nonsense: 'dropped',
        },
        { sourcedId: 's1', name: 'Elm School', type: 'school', parentSourcedId: 'd1', identifier: '' },
        { sourcedId: 'gone', status: 'tobedeleted', name: 'Closed', type: 'school' },
      ],
    },
    users: {
      mode: 'delta',
      columns: ['sourcedId', 'status', 'dateLastModified'],
      rows: [
        {
          sourcedId: 'u1',
          status: 'tobedeleted',
          dateLastModified: '2026-01-02T03:04:05Z',
          enabledUser: 'true',
          orgSourcedIds: 's1,d1',
          role: 'student',
          username: 'zoë',
          userIds: '{LDAP:zoe},{SIS:1}',
          givenName: 'Zoë',
          familyName: "O'Brien",
        },
      ],
    },
  },
};

const expectedOrgs =
  'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.region\r\n' +
  'd1,,,"Springfield, District ""One""",district,,,"North\nEast"\r\n' +
  's1,,,Elm School,school,,d1,\r\n';
const expectedUsers =
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,' +
  'middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\r\n' +
  'u1,tobedeleted,2026-01-02T03:04:05Z,true,"s1,d1",student,zoë,"{LDAP:zoe},{SIS:1}",Zoë,O\'Brien,,,,,,,,\r\n';
const expectedManifest = [
  'propertyName,value',
  'manifest.version,1.0',
  'oneroster.version,1.1',
  'file.orgs,bulk',
  'file.academicSessions,absent',
  'file.courses,absent',
  'file.classes,absent',
  'file.users,delta',
  'file.enrollments,absent',
  'file.demographics,absent',
  'file.categories,absent',
  'file.lineItems,absent',
  'file.results,absent',
  'file.resources,absent',
  'file.classResources,absent',
  'file.courseResources,absent',
  'source.systemName,Test SIS',
  'source.systemCode,T1',
  '',
].join('\r\n');

async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        zip
          .openReadStreamPromise(entry)
          .then(async (stream) => {
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(chunk as Buffer);
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          })
          .catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return entries;
}

describe('writePackage', () => {
  it('writes a directory byte-exact: header order, RFC 4180 quoting, CRLF, blank bulk status, manifest', async () => {
    const out = join(root, 'package');
    await writePackage(smallDataset, out);
    expect((await readdir(out)).sort()).toEqual(['manifest.csv', 'orgs.csv', 'users.csv']);
    expect(await readFile(join(out, 'orgs.csv'), 'utf8')).toBe(expectedOrgs);
    expect(await readFile(join(out, 'users.csv'), 'utf8')).toBe(expectedUsers);
    expect(await readFile(join(out, 'manifest.csv'), 'utf8')).toBe(expectedManifest);
    // UTF-8 without a byte order mark.
    expect(
      (await readFile(join(out, 'users.csv')).then((bytes) => bytes.subarray(0, 3))).toString('hex'),
    ).toBe('736f75');
  });

  it('writes the same bytes into a zip when the path ends in .zip', async () => {
    const out = join(root, 'package.ZIP');
    await writePackage(smallDataset, out, { modifiedAt: new Date('2026-01-01T00:00:00Z') });
    const entries = await readZip(out);
    expect([...entries.keys()]).toEqual(['orgs.csv', 'users.csv', 'manifest.csv']);
    expect(entries.get('orgs.csv')?.toString('utf8')).toBe(expectedOrgs);
    expect(entries.get('users.csv')?.toString('utf8')).toBe(expectedUsers);
    expect(entries.get('manifest.csv')?.toString('utf8')).toBe(expectedManifest);
  });

  it('writes identical zip bytes twice when the entry time is fixed', async () => {
    const modifiedAt = new Date('2026-01-01T00:00:00Z');
    await writePackage(smallDataset, join(root, 'a.zip'), { modifiedAt });
    await writePackage(smallDataset, join(root, 'b.zip'), { modifiedAt });
    expect((await readFile(join(root, 'a.zip'))).equals(await readFile(join(root, 'b.zip')))).toBe(true);
  });

  it('honors an explicit format over the extension', async () => {
    const out = join(root, 'looks-like.zip');
    await writePackage(smallDataset, out, { format: 'dir' });
    expect((await stat(out)).isDirectory()).toBe(true);
  });

  it('replaces an existing package directory but refuses a directory that is not one', async () => {
    const out = join(root, 'package');
    await writePackage(smallDataset, out);
    await writePackage({ ...smallDataset, tables: { orgs: smallDataset.tables.orgs } }, out);
    expect((await readdir(out)).sort()).toEqual(['manifest.csv', 'orgs.csv']);

    const unrelated = join(root, 'documents');
    await mkdir(unrelated);
    await writeFile(join(unrelated, 'thesis.txt'), 'precious');
    const error = await writePackage(smallDataset, unrelated).catch((caught: unknown) => caught);
    expect(PassportError.is(error) && error.code).toBe('ONEROSTER_WRITE_TARGET_EXISTS');
    expect(await readdir(unrelated)).toEqual(['thesis.txt']);
    expect((await readdir(root)).sort()).toEqual(['documents', 'package']);
  });

  it('rejects invalid options naming the option', () => {
    expect(() => createPackageWriter(join(root, 'x'), { compressionLevel: 12 })).toThrow(
      /Invalid package writer option compressionLevel: /,
    );
  });
});

function* failingRows(after: number): Generator<CsvRow> {
  for (let index = 0; index < after; index++) {
    yield { sourcedId: `s${index}`, name: `School ${index}`, type: 'school' };
  }
  throw new Error('source went away');
}

describe('createPackageWriter', () => {
  for (const format of ['zip', 'dir'] as const) {
    it(`leaves nothing behind when a table's rows fail midway (${format})`, async () => {
      const out = join(root, format === 'zip' ? 'package.zip' : 'package');
      const writer = createPackageWriter(out);
      await writer.writeTable('academicSessions', 'bulk', [], []);
      await expect(writer.writeTable('orgs', 'bulk', [], failingRows(5000))).rejects.toThrow(
        'source went away',
      );
      await expect(writer.close()).rejects.toMatchObject({ code: 'ONEROSTER_WRITE_INVALID_CALL' });
      expect(await readdir(root)).toEqual([]);
    });

    it(`leaves nothing behind after abort (${format})`, async () => {
      const out = join(root, format === 'zip' ? 'package.zip' : 'package');
      const writer = createPackageWriter(out);
      await writer.writeTable('orgs', 'bulk', [], []);
      await writer.abort();
      expect(await readdir(root)).toEqual([]);
    });

    it(`streams async rows under backpressure and counts them (${format})`, async () => {
      const out = join(root, format === 'zip' ? 'package.zip' : 'package');
      const writer = createPackageWriter(out);
      const rows = async function* () {
        for (let index = 0; index < 50_000; index++) {
          yield { sourcedId: `s${index}`, name: `School, number ${index}`, type: 'school' };
        }
      };
      expect(await writer.writeTable('orgs', 'bulk', ['metadata.x'], rows())).toBe(50_000);
      await writer.close({ 'source.systemName': 'stream' });
      const orgs =
        format === 'zip'
          ? ((await readZip(out)).get('orgs.csv')?.toString('utf8') ?? '')
          : await readFile(join(out, 'orgs.csv'), 'utf8');
      const lines = orgs.split('\r\n');
      expect(lines).toHaveLength(50_002);
      expect(lines[0]).toBe(
        'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.x',
      );
      expect(lines[50_000]).toBe('s49999,,,"School, number 49999",school,,,');
      expect(await readdir(root)).toEqual([format === 'zip' ? 'package.zip' : 'package']);
    });
  }

  it('refuses a second table for the same file, overlapping calls and unknown files', async () => {
    const writer = createPackageWriter(join(root, 'package'));
    await writer.writeTable('orgs', 'bulk', [], []);
    await expect(writer.writeTable('orgs', 'bulk', [], [])).rejects.toMatchObject({
      code: 'ONEROSTER_WRITE_INVALID_CALL',
    });
    await expect(writer.writeTable('userResources' as FileName, 'bulk', [], [])).rejects.toMatchObject({
      code: 'ONEROSTER_WRITE_INVALID_CALL',
    });
    const first = writer.writeTable('users', 'bulk', [], []);
    await expect(writer.writeTable('courses', 'bulk', [], [])).rejects.toMatchObject({
      code: 'ONEROSTER_WRITE_INVALID_CALL',
    });
    await first;
    await writer.close();
    expect(await readFile(join(root, 'package', 'manifest.csv'), 'utf8')).toContain('file.users,bulk\r\n');
  });
});
