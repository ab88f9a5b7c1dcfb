import { afterAll, describe, expect, it } from 'vitest';
import { readPackage, type StreamedRow, streamPackage } from '../src/csv/read.ts';
import { OneRosterError } from '../src/errors.ts';
import { headerOf } from '../src/model/files.ts';
import {
  cleanPackage,
  cleanRows,
  removePackages,
  table,
  writePackageDir,
  writePackageZip,
} from './fixtures/packages.ts';

afterAll(removePackages);

describe('readPackage', () => {
  it('reads every file of a clean zip into tables, columns in spec order', async () => {
    const { dataset, report } = await readPackage(await writePackageZip(cleanPackage()));
    expect(report.valid).toBe(true);
    expect(dataset.manifest.files.users).toBe('bulk');
    expect(dataset.manifest.properties['source.systemCode']).toBe('test-sis');
    expect(dataset.tables.users?.columns).toEqual(headerOf('users'));
    expect(dataset.tables.users?.rows.map((row) => row.sourcedId)).toEqual([
      'u-teacher',
      'u-student',
      'u-guardian',
    ]);
    expect(dataset.tables.results?.rows[0]?.comment).toBe('Well done,\nsee me about question 4');
    expect(dataset.tables.lineItems?.rows[0]?.description).toBe('Linear equations, "warm-up" included');
  });

  it('keeps normalized values in the dataset and the raw ones in the findings', async () => {
    const rows = cleanRows();
    rows.classes[0] = { ...rows.classes[0], classType: 'Scheduled', grades: '9', periods: '1, 2' };
    const files = { ...cleanPackage(), 'classes.csv': table('classes', rows.classes) };
    const { dataset, report } = await readPackage(await writePackageDir(files));
    expect(dataset.tables.classes?.rows[0]).toMatchObject({
      classType: 'scheduled',
      grades: '09',
      periods: '1,2',
    });
    expect(report.warnings.map(({ column, value }) => [column, value])).toEqual([
      ['grades', '9'],
      ['classType', 'Scheduled'],
      ['periods', '1, 2'],
    ]);
  });

  it('keeps metadata.* columns after the spec columns', async () => {
    const text = `${headerOf('categories').join(',')},metadata.color\ncat1,,,Homework,blue\n`;
    const { dataset, report } = await readPackage(
      await writePackageDir({ ...cleanPackage(), 'categories.csv': text }),
    );
    expect(report.valid).toBe(true);
    expect(dataset.tables.categories?.columns).toEqual([...headerOf('categories'), 'metadata.color']);
    expect(dataset.tables.categories?.rows).toEqual([
      { sourcedId: 'cat1', status: '', dateLastModified: '', title: 'Homework', 'metadata.color': 'blue' },
    ]);
  });

  it('without a manifest, infers every file present as bulk', async () => {
    const files = cleanPackage();
    delete files['manifest.csv'];
    const { dataset, report } = await readPackage(await writePackageDir(files));
    expect(report.valid).toBe(false);
    expect(report.manifest).toBeUndefined();
    expect(dataset.manifest.files.orgs).toBe('bulk');
    expect(dataset.tables.orgs?.rows).toHaveLength(2);
  });

  it('gives an empty table for a file with only its header', async () => {
    const files = { ...cleanPackage(), 'courseResources.csv': `${headerOf('courseResources').join(',')}\n` };
    const { dataset } = await readPackage(await writePackageDir(files));
    expect(dataset.tables.courseResources).toEqual({
      mode: 'bulk',
      columns: headerOf('courseResources'),
      rows: [],
    });
  });
});

describe('streamPackage', () => {
  it('streams the rows in reference order with their lines, then resolves the report', async () => {
    const stream = streamPackage(await writePackageDir(cleanPackage()));
    const rows: StreamedRow[] = [];
    for await (const row of stream) rows.push(row);
    const files = [...new Set(rows.map((row) => row.file))];
    expect(files.indexOf('orgs')).toBeLessThan(files.indexOf('users'));
    expect(files.indexOf('users')).toBeLessThan(files.indexOf('enrollments'));
    expect(files.indexOf('classes')).toBeLessThan(files.indexOf('enrollments'));
    expect(files.indexOf('lineItems')).toBeLessThan(files.indexOf('results'));
    expect(rows.find((row) => row.file === 'users' && row.row.sourcedId === 'u-guardian')).toMatchObject({
      mode: 'bulk',
      line: 4,
      row: { role: 'guardian', enabledUser: 'false' },
    });
    expect(rows).toHaveLength(18);
    const report = await stream.report;
    expect(report.valid).toBe(true);
  });

  it('leaves out rows with errors of their own, and reports them', async () => {
    const rows = cleanRows();
    rows.enrollments[1] = { ...rows.enrollments[1], role: 'learner' };
    const stream = streamPackage(
      await writePackageDir({ ...cleanPackage(), 'enrollments.csv': table('enrollments', rows.enrollments) }),
    );
    const enrollments: string[] = [];
    for await (const row of stream) if (row.file === 'enrollments') enrollments.push(row.row.sourcedId ?? '');
    expect(enrollments).toEqual(['e1']);
    const report = await stream.report;
    expect(report.errors).toEqual([expect.objectContaining({ code: 'ONEROSTER_CSV_ENUM_INVALID', line: 3 })]);
  });

  it('rejects the report with ONEROSTER_STREAM_INCOMPLETE when iteration stops early', async () => {
    const stream = streamPackage(await writePackageZip(cleanPackage()));
    for await (const row of stream) {
      expect(row.file).toBe('orgs');
      break;
    }
    const error = await stream.report.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneRosterError);
    expect((error as OneRosterError).code).toBe('ONEROSTER_STREAM_INCOMPLETE');
  });

  it('rejects the report with the reading error when the package cannot be read', async () => {
    const stream = streamPackage('/nonexistent/package.zip');
    const iteration = (async () => {
      for await (const _row of stream) {
        // nothing arrives
      }
    })();
    await expect(iteration).rejects.toMatchObject({ code: 'ONEROSTER_PACKAGE_NOT_FOUND' });
    await expect(stream.report).rejects.toMatchObject({ code: 'ONEROSTER_PACKAGE_NOT_FOUND' });
  });
});
