/**
 * One hand-made broken package per finding code: each test starts from the clean package, breaks one thing, and
 * asserts that exactly that finding comes out (code, severity, file, line, column, value) and no other.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type OneRosterCsvFindingCode, oneRosterCsvFindingCodes } from '../src/csv/finding-codes.ts';
import { type ValidateOptions, validatePackage } from '../src/csv/validate.ts';
import type { FileName } from '../src/model/files.ts';
import {
  cleanPackage,
  cleanRows,
  manifest,
  type PackageFiles,
  removePackages,
  table,
  writePackageDir,
  writePackageZip,
} from './fixtures/packages.ts';

afterAll(removePackages);

interface Expected {
  file: string;
  line: number;
  column?: string;
  value?: string;
}

interface FindingCase {
  code: OneRosterCsvFindingCode;
  proves: string;
  files: () => PackageFiles;
  expected: Expected;
  /** Other codes the broken package must also produce (by design, not by cascade). Default none. */
  also?: OneRosterCsvFindingCode[];
  options?: ValidateOptions;
  zip?: string;
}

/** The clean package with one row of one file changed. */
function withRow(file: FileName, index: number, change: Record<string, string>): PackageFiles {
  const rows = cleanRows();
  const list = rows[file];
  list[index] = { ...list[index], ...change };
  return { ...cleanPackage(), [`${file}.csv`]: table(file, list) };
}

/** The clean package with one file's text edited. */
function withText(name: string, edit: (text: string) => string | undefined): PackageFiles {
  const files = cleanPackage();
  const edited = edit(files[name] ?? '');
  if (edited === undefined) delete files[name];
  else files[name] = edited;
  return files;
}

/** A package whose only file is courseResources.csv in delta mode (references checked through `knownIds`). */
function deltaCourseResource(values: Record<string, string>): PackageFiles {
  return {
    'manifest.csv': manifest({ courseResources: 'delta' }),
    'courseResources.csv': table('courseResources', [
      {
        sourcedId: 'cor9',
        status: 'active',
        dateLastModified: '2026-01-02T03:04:05Z',
        courseSourcedId: 'c1',
        resourceSourcedId: 'res1',
        ...values,
      },
    ]),
  };
}
const everythingKnown: ValidateOptions = { knownIds: () => true };

const courseResourcesHeader = 'sourcedId,status,dateLastModified,title,courseSourcedId,resourceSourcedId';

const cases: FindingCase[] = [
  {
    code: 'ONEROSTER_CSV_PACKAGE_NESTED_FOLDER',
    proves: 'a zip of the export folder is read from that folder',
    files: cleanPackage,
    zip: 'district-export',
    expected: { file: '', line: 0, value: 'district-export/' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_MISSING',
    proves: 'a package without manifest.csv is still read, every file as bulk',
    files: () => withText('manifest.csv', () => undefined),
    expected: { file: 'manifest.csv', line: 0 },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_HEADER_INVALID',
    proves: 'the manifest header must be propertyName,value',
    files: () => withText('manifest.csv', (text) => text.replace('propertyName,value', 'property,setting')),
    expected: { file: 'manifest.csv', line: 1, value: 'property,setting' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_PROPERTY_MISSING',
    proves: 'oneroster.version is required',
    files: () => withText('manifest.csv', (text) => text.replace('oneroster.version,1.1\n', '')),
    expected: { file: 'manifest.csv', line: 0, value: 'oneroster.version' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_PROPERTY_DUPLICATE',
    proves: 'a property given twice is reported at its second line',
    files: () => withText('manifest.csv', (text) => `${text}source.systemName,Other SIS\n`),
    expected: { file: 'manifest.csv', line: 19, column: 'propertyName', value: 'source.systemName' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_VERSION_UNSUPPORTED',
    proves: 'a OneRoster 1.2 manifest is refused',
    files: () =>
      withText('manifest.csv', (text) => text.replace('oneroster.version,1.1', 'oneroster.version,1.2')),
    expected: { file: 'manifest.csv', line: 3, column: 'value', value: '1.2' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_FILE_PROPERTY_MISSING',
    proves: 'an undeclared data file is taken as absent',
    files: () => {
      const files = withText('manifest.csv', (text) => text.replace('file.courseResources,bulk\n', ''));
      delete files['courseResources.csv'];
      return files;
    },
    expected: { file: 'manifest.csv', line: 0, value: 'file.courseResources' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_FILE_UNKNOWN',
    proves: 'the 1.2 file userResources is not a 1.1 file',
    files: () => withText('manifest.csv', (text) => `${text}file.userResources,absent\n`),
    expected: { file: 'manifest.csv', line: 19, column: 'propertyName', value: 'file.userResources' },
  },
  {
    code: 'ONEROSTER_CSV_MANIFEST_MODE_INVALID',
    proves: 'a mode other than absent, bulk or delta is refused and the file is not read',
    files: () =>
      withText('manifest.csv', (text) =>
        text.replace('file.courseResources,bulk', 'file.courseResources,full'),
      ),
    expected: { file: 'manifest.csv', line: 16, column: 'value', value: 'full' },
  },
  {
    code: 'ONEROSTER_CSV_FILE_MISSING',
    proves: 'a file declared bulk must be in the package',
    files: () => withText('courseResources.csv', () => undefined),
    expected: { file: 'courseResources.csv', line: 0 },
  },
  {
    code: 'ONEROSTER_CSV_FILE_NOT_DECLARED',
    proves: 'a data file declared absent is not read',
    files: () =>
      withText('manifest.csv', (text) =>
        text.replace('file.courseResources,bulk', 'file.courseResources,absent'),
      ),
    expected: { file: 'courseResources.csv', line: 0 },
  },
  {
    code: 'ONEROSTER_CSV_FILE_UNKNOWN',
    proves: 'files that are not OneRoster files are ignored',
    files: () => ({ ...cleanPackage(), 'readme.txt': 'Exported nightly.\n' }),
    expected: { file: 'readme.txt', line: 0, value: 'readme.txt' },
  },
  {
    code: 'ONEROSTER_CSV_FILE_NAME_CASE',
    proves: 'a file name in the wrong case is still read',
    files: () => {
      const files = cleanPackage();
      files['CourseResources.csv'] = files['courseResources.csv'] ?? '';
      delete files['courseResources.csv'];
      return files;
    },
    expected: { file: 'CourseResources.csv', line: 0, value: 'CourseResources.csv' },
  },
  {
    code: 'ONEROSTER_CSV_FILE_EMPTY',
    proves: 'a data file needs at least its header',
    files: () => withText('courseResources.csv', () => ''),
    expected: { file: 'courseResources.csv', line: 0 },
  },
  {
    code: 'ONEROSTER_CSV_MALFORMED',
    proves: 'an unclosed quote stops the file at the line where it opens',
    files: () => withText('courseResources.csv', () => `${courseResourcesHeader}\ncor1,,,"Videos,c1,res1\n`),
    expected: { file: 'courseResources.csv', line: 2 },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_COLUMN_MISSING',
    proves: 'a required column must be in the header',
    files: () =>
      withText(
        'courseResources.csv',
        () => 'sourcedId,status,dateLastModified,title,courseSourcedId\ncor1,,,Videos,c1\n',
      ),
    expected: { file: 'courseResources.csv', line: 1, column: 'resourceSourcedId' },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_OPTIONAL_COLUMN_MISSING',
    proves: 'a missing optional column reads as blank',
    files: () =>
      withText(
        'courseResources.csv',
        () => 'sourcedId,status,dateLastModified,courseSourcedId,resourceSourcedId\ncor1,,,c1,res1\n',
      ),
    expected: { file: 'courseResources.csv', line: 1, column: 'title' },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_COLUMN_UNKNOWN',
    proves: 'extension columns must be named metadata.<name>',
    files: () =>
      withText('courseResources.csv', () => `${courseResourcesHeader},notes\ncor1,,,Videos,c1,res1,x\n`),
    expected: { file: 'courseResources.csv', line: 1, column: 'notes', value: 'notes' },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_COLUMN_DUPLICATE',
    proves: 'a column may appear only once',
    files: () =>
      withText('courseResources.csv', () => `${courseResourcesHeader},title\ncor1,,,Videos,c1,res1,Again\n`),
    expected: { file: 'courseResources.csv', line: 1, column: 'title', value: 'title' },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_COLUMN_ORDER',
    proves: 'columns out of spec order are read by name',
    files: () =>
      withText(
        'courseResources.csv',
        () =>
          'sourcedId,status,dateLastModified,courseSourcedId,title,resourceSourcedId\ncor1,,,c1,Videos,res1\n',
      ),
    expected: {
      file: 'courseResources.csv',
      line: 1,
      value: 'sourcedId,status,dateLastModified,courseSourcedId,title,resourceSourcedId',
    },
  },
  {
    code: 'ONEROSTER_CSV_HEADER_NAME_NORMALIZED',
    proves: 'a header name in the wrong case is read as the spec name',
    files: () =>
      withText('courseResources.csv', (text) => text.replace('sourcedId,status', 'SourcedId,status')),
    expected: { file: 'courseResources.csv', line: 1, column: 'sourcedId', value: 'SourcedId' },
  },
  {
    code: 'ONEROSTER_CSV_BLANK_LINE',
    proves: 'a blank line is skipped and counted as a line',
    files: () => withText('courseResources.csv', (text) => text.replace('\n', '\n\n')),
    expected: { file: 'courseResources.csv', line: 2 },
  },
  {
    code: 'ONEROSTER_CSV_ROW_FIELD_COUNT',
    proves: 'every record has as many fields as the header',
    files: () =>
      withText('courseResources.csv', () => `${courseResourcesHeader}\ncor1,,,Videos,c1,res1,extra\n`),
    expected: { file: 'courseResources.csv', line: 2 },
  },
  {
    code: 'ONEROSTER_CSV_SOURCED_ID_DUPLICATE',
    proves: 'a sourcedId repeated in a file is reported at the repeat, after an exact second pass',
    files: () => withText('categories.csv', (text) => `${text}cat1,,,Tests\n`),
    expected: { file: 'categories.csv', line: 3, column: 'sourcedId', value: 'cat1' },
  },
  {
    code: 'ONEROSTER_CSV_REQUIRED_VALUE_MISSING',
    proves: 'a required value cannot be blank',
    files: () => withRow('categories', 0, { title: '' }),
    expected: { file: 'categories.csv', line: 2, column: 'title' },
  },
  {
    code: 'ONEROSTER_CSV_VALUE_TRIMMED',
    proves: 'spaces around an identifier are removed',
    files: () => withRow('categories', 0, { sourcedId: ' cat1' }),
    expected: { file: 'categories.csv', line: 2, column: 'sourcedId', value: ' cat1' },
  },
  {
    code: 'ONEROSTER_CSV_CASE_NORMALIZED',
    proves: 'Scheduled is read as scheduled',
    files: () => withRow('classes', 0, { classType: 'Scheduled' }),
    expected: { file: 'classes.csv', line: 2, column: 'classType', value: 'Scheduled' },
  },
  {
    code: 'ONEROSTER_CSV_ENUM_INVALID',
    proves: 'a value outside the vocabulary is refused',
    files: () => withRow('classes', 0, { classType: 'online' }),
    expected: { file: 'classes.csv', line: 2, column: 'classType', value: 'online' },
  },
  {
    code: 'ONEROSTER_CSV_STATUS_INACTIVE',
    proves: 'the OneRoster 1.0 status inactive is read as tobedeleted',
    files: () => deltaCourseResource({ status: 'inactive' }),
    options: everythingKnown,
    expected: { file: 'courseResources.csv', line: 2, column: 'status', value: 'inactive' },
  },
  {
    code: 'ONEROSTER_CSV_BOOLEAN_INVALID',
    proves: 'a boolean is true or false',
    files: () => withRow('users', 0, { enabledUser: 'yes' }),
    expected: { file: 'users.csv', line: 2, column: 'enabledUser', value: 'yes' },
  },
  {
    code: 'ONEROSTER_CSV_DATE_INVALID',
    proves: 'a month-first date is ambiguous and refused',
    files: () => withRow('enrollments', 0, { beginDate: '08/15/2026' }),
    expected: { file: 'enrollments.csv', line: 2, column: 'beginDate', value: '08/15/2026' },
  },
  {
    code: 'ONEROSTER_CSV_DATE_NORMALIZED',
    proves: 'a year-first date without padding is written YYYY-MM-DD',
    files: () => withRow('enrollments', 0, { beginDate: '2026-8-15' }),
    expected: { file: 'enrollments.csv', line: 2, column: 'beginDate', value: '2026-8-15' },
  },
  {
    code: 'ONEROSTER_CSV_DATETIME_INVALID',
    proves: 'a datetime without a time zone is ambiguous and refused',
    files: () => deltaCourseResource({ dateLastModified: '2026-01-02T03:04:05' }),
    options: everythingKnown,
    expected: {
      file: 'courseResources.csv',
      line: 2,
      column: 'dateLastModified',
      value: '2026-01-02T03:04:05',
    },
  },
  {
    code: 'ONEROSTER_CSV_DATETIME_DATE_ONLY',
    proves: 'a date-only dateLastModified is read as midnight UTC',
    files: () => deltaCourseResource({ dateLastModified: '2026-01-02' }),
    options: everythingKnown,
    expected: { file: 'courseResources.csv', line: 2, column: 'dateLastModified', value: '2026-01-02' },
  },
  {
    code: 'ONEROSTER_CSV_DATETIME_NORMALIZED',
    proves: 'a datetime with an offset is converted to UTC',
    files: () => deltaCourseResource({ dateLastModified: '2026-01-02T03:04:05+01:00' }),
    options: everythingKnown,
    expected: {
      file: 'courseResources.csv',
      line: 2,
      column: 'dateLastModified',
      value: '2026-01-02T03:04:05+01:00',
    },
  },
  {
    code: 'ONEROSTER_CSV_FLOAT_INVALID',
    proves: 'a decimal comma is refused',
    files: () => withRow('results', 0, { score: '95,5' }),
    expected: { file: 'results.csv', line: 2, column: 'score', value: '95,5' },
  },
  {
    code: 'ONEROSTER_CSV_FLOAT_NORMALIZED',
    proves: 'a number with a plus sign is written canonically',
    files: () => withRow('results', 0, { score: '+95.5' }),
    expected: { file: 'results.csv', line: 2, column: 'score', value: '+95.5' },
  },
  {
    code: 'ONEROSTER_CSV_YEAR_INVALID',
    proves: 'a school year has four digits',
    files: () => withRow('academicSessions', 0, { schoolYear: '27' }),
    expected: { file: 'academicSessions.csv', line: 2, column: 'schoolYear', value: '27' },
  },
  {
    code: 'ONEROSTER_CSV_GRADE_NORMALIZED',
    proves: 'grade 9 is read as 09',
    files: () => withRow('users', 1, { grades: '9' }),
    expected: { file: 'users.csv', line: 3, column: 'grades', value: '9' },
  },
  {
    code: 'ONEROSTER_CSV_GRADE_EXTENSION',
    proves: 'a grade outside CEDS is kept as an extension',
    files: () => withRow('users', 1, { grades: 'Adult' }),
    expected: { file: 'users.csv', line: 3, column: 'grades', value: 'Adult' },
  },
  {
    code: 'ONEROSTER_CSV_LIST_NORMALIZED',
    proves: 'spaces after the commas of a list are removed',
    files: () => withRow('classes', 0, { periods: '1, 2' }),
    expected: { file: 'classes.csv', line: 2, column: 'periods', value: '1, 2' },
  },
  {
    code: 'ONEROSTER_CSV_USER_ID_INVALID',
    proves: 'userIds items are {type:identifier}',
    files: () => withRow('users', 0, { userIds: 'LDAP:tjones' }),
    expected: { file: 'users.csv', line: 2, column: 'userIds', value: 'LDAP:tjones' },
  },
  {
    code: 'ONEROSTER_CSV_EMAIL_INVALID',
    proves: 'an email without @ is flagged',
    files: () => withRow('users', 0, { email: 'tjones.example.edu' }),
    expected: { file: 'users.csv', line: 2, column: 'email', value: 'tjones.example.edu' },
  },
  {
    code: 'ONEROSTER_CSV_RANGE_INVERTED',
    proves: 'a session cannot end before it starts',
    files: () => withRow('academicSessions', 1, { startDate: '2026-12-21', endDate: '2026-12-20' }),
    expected: { file: 'academicSessions.csv', line: 3, column: 'endDate', value: '2026-12-20' },
  },
  {
    code: 'ONEROSTER_CSV_BULK_STATUS_NOT_BLANK',
    proves: 'status should be blank in a bulk file',
    files: () => withRow('categories', 0, { status: 'active' }),
    expected: { file: 'categories.csv', line: 2, column: 'status', value: 'active' },
  },
  {
    code: 'ONEROSTER_CSV_BULK_DATE_LAST_MODIFIED_NOT_BLANK',
    proves: 'dateLastModified should be blank in a bulk file',
    files: () => withRow('categories', 0, { dateLastModified: '2026-01-02T03:04:05Z' }),
    expected: { file: 'categories.csv', line: 2, column: 'dateLastModified', value: '2026-01-02T03:04:05Z' },
  },
  {
    code: 'ONEROSTER_CSV_DELTA_STATUS_MISSING',
    proves: 'status is required in a delta file',
    files: () => deltaCourseResource({ status: '' }),
    options: everythingKnown,
    expected: { file: 'courseResources.csv', line: 2, column: 'status' },
  },
  {
    code: 'ONEROSTER_CSV_DELTA_DATE_LAST_MODIFIED_MISSING',
    proves: 'dateLastModified is required in a delta file',
    files: () => deltaCourseResource({ dateLastModified: '' }),
    options: everythingKnown,
    expected: { file: 'courseResources.csv', line: 2, column: 'dateLastModified' },
  },
  {
    code: 'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
    proves: 'an enrollment must name a user of the bulk users file',
    files: () => withRow('enrollments', 1, { userSourcedId: 'u-nobody' }),
    expected: { file: 'enrollments.csv', line: 3, column: 'userSourcedId', value: 'u-nobody' },
  },
  {
    code: 'ONEROSTER_CSV_REFERENCE_UNVERIFIED',
    proves: 'in a delta package without knownIds, a reference outside the package is only a warning',
    files: () => ({
      'manifest.csv': manifest({ demographics: 'delta' }),
      'demographics.csv': table('demographics', [
        { sourcedId: 'u-student', status: 'active', dateLastModified: '2026-01-02T03:04:05Z', sex: 'male' },
      ]),
    }),
    expected: { file: 'demographics.csv', line: 2, column: 'sourcedId', value: 'u-student' },
  },
  {
    code: 'ONEROSTER_CSV_REFERENCE_TO_DELETED',
    proves: 'an active enrollment of a user the same delta deletes is flagged',
    files: () => ({
      'manifest.csv': manifest({ users: 'delta', enrollments: 'delta' }),
      'users.csv': table('users', [
        { sourcedId: 'u-gone', status: 'tobedeleted', dateLastModified: '2026-01-02T03:04:05Z' },
      ]),
      'enrollments.csv': table('enrollments', [
        {
          sourcedId: 'e9',
          status: 'active',
          dateLastModified: '2026-01-02T03:04:05Z',
          classSourcedId: 'cl1',
          schoolSourcedId: 's1',
          userSourcedId: 'u-gone',
          role: 'student',
        },
      ]),
    }),
    options: everythingKnown,
    expected: { file: 'enrollments.csv', line: 2, column: 'userSourcedId', value: 'u-gone' },
  },
  {
    code: 'ONEROSTER_CSV_REFERENCE_TO_SELF',
    proves: 'an org cannot be its own parent',
    files: () => withRow('orgs', 1, { parentSourcedId: 'd1' }),
    expected: { file: 'orgs.csv', line: 3, column: 'parentSourcedId', value: 'd1' },
  },
];

async function validate(testCase: FindingCase) {
  const files = testCase.files();
  const path = testCase.zip ? await writePackageZip(files, testCase.zip) : await writePackageDir(files);
  return validatePackage(path, testCase.options);
}

describe('one broken package per finding code', () => {
  it.each(cases.map((testCase) => [`${testCase.code}: ${testCase.proves}`, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const report = await validate(testCase);
      const findings = [...report.errors, ...report.warnings];
      const severity = oneRosterCsvFindingCodes[testCase.code].severity;
      const { value, column, ...place } = testCase.expected;
      const expected = findings.filter((finding) => finding.code === testCase.code);
      expect(expected).toHaveLength(1);
      expect(expected[0]).toMatchObject({ code: testCase.code, severity, ...place });
      expect(expected[0]?.column).toBe(column);
      expect(expected[0]?.value).toBe(value);
      expect(expected[0]?.message.length).toBeGreaterThan(10);
      expect(findings.map((finding) => finding.code).sort()).toEqual(
        [testCase.code, ...(testCase.also ?? [])].sort(),
      );
      expect(report.valid).toBe(severity === 'warning');
    },
  );

  it('covers every finding code', () => {
    const tested = new Set(cases.map((testCase) => testCase.code));
    const untested = (Object.keys(oneRosterCsvFindingCodes) as OneRosterCsvFindingCode[]).filter(
      (code) => !tested.has(code),
    );
    expect(untested).toEqual([]);
  });

  it('the clean package behind them has no finding at all', async () => {
    const report = await validatePackage(await writePackageDir(cleanPackage()));
    expect([...report.errors, ...report.warnings]).toEqual([]);
    expect(report.valid).toBe(true);
  });
});
