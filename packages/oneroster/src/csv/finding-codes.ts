/**
 * Every finding the OneRoster CSV reader and validator can report: a closed set of stable codes, each with its
 * severity and a one-line description (docs/oneroster/finding-codes.md is generated from this table).
 *
 * Errors make a package invalid. Warnings are for what the reader could read without guessing: the value was
 * normalized (the raw text is kept in the finding's `value`) or the problem does not change the data.
 */
import type { Finding, Severity } from './findings.ts';

interface CodeSpec {
  severity: Severity;
  description: string;
}

export const oneRosterCsvFindingCodes = {
  // The package and its manifest.
  ONEROSTER_CSV_PACKAGE_NESTED_FOLDER: {
    severity: 'warning',
    description:
      'The package files sit in one top-level folder instead of the root; they were read from that folder.',
  },
  ONEROSTER_CSV_MANIFEST_MISSING: {
    severity: 'error',
    description: 'The package has no manifest.csv; every data file present was read as bulk.',
  },
  ONEROSTER_CSV_MANIFEST_HEADER_INVALID: {
    severity: 'error',
    description: 'The header of manifest.csv is not `propertyName,value`.',
  },
  ONEROSTER_CSV_MANIFEST_PROPERTY_MISSING: {
    severity: 'error',
    description: 'manifest.csv lacks `manifest.version` or `oneroster.version`.',
  },
  ONEROSTER_CSV_MANIFEST_PROPERTY_DUPLICATE: {
    severity: 'error',
    description: 'A property appears more than once in manifest.csv; the first one was used.',
  },
  ONEROSTER_CSV_MANIFEST_VERSION_UNSUPPORTED: {
    severity: 'error',
    description: '`manifest.version` is not 1.0 or `oneroster.version` is not 1.1.',
  },
  ONEROSTER_CSV_MANIFEST_FILE_PROPERTY_MISSING: {
    severity: 'warning',
    description:
      'manifest.csv does not declare one of the 13 data files (`file.<name>`); it was taken as absent.',
  },
  ONEROSTER_CSV_MANIFEST_FILE_UNKNOWN: {
    severity: 'warning',
    description:
      'manifest.csv declares a file that is not a OneRoster 1.1 data file (such as the 1.2 userResources).',
  },
  ONEROSTER_CSV_MANIFEST_MODE_INVALID: {
    severity: 'error',
    description: 'A `file.<name>` value is not absent, bulk or delta; the file was not read.',
  },
  // Files.
  ONEROSTER_CSV_FILE_MISSING: {
    severity: 'error',
    description: 'manifest.csv declares a file as bulk or delta but the package does not contain it.',
  },
  ONEROSTER_CSV_FILE_NOT_DECLARED: {
    severity: 'warning',
    description:
      'A data file is in the package but manifest.csv declares it absent or not at all; it was not read.',
  },
  ONEROSTER_CSV_FILE_UNKNOWN: {
    severity: 'warning',
    description:
      'A file in the package is neither manifest.csv nor one of the 13 data files; it was ignored.',
  },
  ONEROSTER_CSV_FILE_NAME_CASE: {
    severity: 'warning',
    description: 'A data file name differs from the spec only in letter case (`Users.csv`); it was read.',
  },
  ONEROSTER_CSV_FILE_EMPTY: {
    severity: 'error',
    description: 'A file has no header row.',
  },
  ONEROSTER_CSV_MALFORMED: {
    severity: 'error',
    description:
      'The CSV text cannot be parsed here (an unclosed quote, a record over the size limit); the rest of the file was not read.',
  },
  // Headers.
  ONEROSTER_CSV_HEADER_COLUMN_MISSING: {
    severity: 'error',
    description: 'A column whose values are required is missing from the header.',
  },
  ONEROSTER_CSV_HEADER_OPTIONAL_COLUMN_MISSING: {
    severity: 'warning',
    description: 'An optional column is missing from the header; its values were read as blank.',
  },
  ONEROSTER_CSV_HEADER_COLUMN_UNKNOWN: {
    severity: 'error',
    description:
      'A header names a column that is not in the spec and is not a `metadata.*` extension; its values were ignored.',
  },
  ONEROSTER_CSV_HEADER_COLUMN_DUPLICATE: {
    severity: 'error',
    description: 'A column name appears twice in the header; the first one was read.',
  },
  ONEROSTER_CSV_HEADER_COLUMN_ORDER: {
    severity: 'warning',
    description:
      'The columns are not in spec order, or a `metadata.*` column comes before a spec column; they were read by name.',
  },
  ONEROSTER_CSV_HEADER_NAME_NORMALIZED: {
    severity: 'warning',
    description:
      'A header name differs from the spec in letter case or surrounding spaces; it was read as the spec name.',
  },
  // Rows.
  ONEROSTER_CSV_BLANK_LINE: {
    severity: 'warning',
    description: 'A blank line between records; it was skipped.',
  },
  ONEROSTER_CSV_ROW_FIELD_COUNT: {
    severity: 'error',
    description: 'A record has more or fewer fields than the header; its values were not checked.',
  },
  ONEROSTER_CSV_SOURCED_ID_DUPLICATE: {
    severity: 'error',
    description: 'A sourcedId appears on more than one row of the same file.',
  },
  ONEROSTER_CSV_REQUIRED_VALUE_MISSING: {
    severity: 'error',
    description: 'A required value is blank.',
  },
  ONEROSTER_CSV_VALUE_TRIMMED: {
    severity: 'warning',
    description: 'Spaces around an identifier, code, date or number were removed.',
  },
  ONEROSTER_CSV_CASE_NORMALIZED: {
    severity: 'warning',
    description:
      'A vocabulary value or boolean differs from the spec only in letter case (`Scheduled`, `TRUE`); it was lowercased to the spec spelling.',
  },
  ONEROSTER_CSV_ENUM_INVALID: {
    severity: 'error',
    description: 'A value is not in the column\u2019s vocabulary.',
  },
  ONEROSTER_CSV_STATUS_INACTIVE: {
    severity: 'warning',
    description: 'The OneRoster 1.0 status `inactive` was read as `tobedeleted`.',
  },
  ONEROSTER_CSV_BOOLEAN_INVALID: {
    severity: 'error',
    description: 'A boolean is not `true` or `false`.',
  },
  ONEROSTER_CSV_DATE_INVALID: {
    severity: 'error',
    description:
      'A date is not a calendar date written `YYYY-MM-DD` (day-first or month-first dates are ambiguous).',
  },
  ONEROSTER_CSV_DATE_NORMALIZED: {
    severity: 'warning',
    description:
      'A year-first date without zero padding or with slashes (`2026-3-4`, `2026/03/04`) was written `YYYY-MM-DD`.',
  },
  ONEROSTER_CSV_DATETIME_INVALID: {
    severity: 'error',
    description: 'A datetime is not ISO 8601 with a time zone (`2026-01-02T03:04:05Z`).',
  },
  ONEROSTER_CSV_DATETIME_DATE_ONLY: {
    severity: 'warning',
    description: 'A datetime was given as a date only; it was read as midnight UTC.',
  },
  ONEROSTER_CSV_DATETIME_NORMALIZED: {
    severity: 'warning',
    description:
      'A datetime with an offset, a space for `T`, a lowercase `z` or no seconds was converted to UTC `YYYY-MM-DDTHH:MM:SS.sssZ`.',
  },
  ONEROSTER_CSV_FLOAT_INVALID: {
    severity: 'error',
    description: 'A number is not a decimal number (a decimal comma is ambiguous).',
  },
  ONEROSTER_CSV_FLOAT_NORMALIZED: {
    severity: 'warning',
    description:
      'A number written with a `+`, an exponent, or a bare decimal point (`.5`, `5.`) was written canonically.',
  },
  ONEROSTER_CSV_YEAR_INVALID: {
    severity: 'error',
    description: 'A school year is not a four-digit year.',
  },
  ONEROSTER_CSV_GRADE_NORMALIZED: {
    severity: 'warning',
    description: 'A grade was written as its CEDS code (`9` \u2192 `09`, `K` \u2192 `KG`, `pk` \u2192 `PK`).',
  },
  ONEROSTER_CSV_GRADE_EXTENSION: {
    severity: 'warning',
    description: 'A grade is not a CEDS code; it was kept as an extension value.',
  },
  ONEROSTER_CSV_LIST_NORMALIZED: {
    severity: 'warning',
    description: 'Spaces around the items of a comma-separated list, or empty items, were removed.',
  },
  ONEROSTER_CSV_USER_ID_INVALID: {
    severity: 'error',
    description: 'A `userIds` item is not `{type:identifier}` with a non-blank type and identifier.',
  },
  ONEROSTER_CSV_EMAIL_INVALID: {
    severity: 'warning',
    description: 'An email address has no `@`.',
  },
  ONEROSTER_CSV_RANGE_INVERTED: {
    severity: 'error',
    description:
      'A start comes after its end (startDate/endDate, beginDate/endDate, assignDate/dueDate, resultValueMin/resultValueMax).',
  },
  // Bulk and delta.
  ONEROSTER_CSV_BULK_STATUS_NOT_BLANK: {
    severity: 'warning',
    description: 'In a bulk file `status` should be blank; the value was kept.',
  },
  ONEROSTER_CSV_BULK_DATE_LAST_MODIFIED_NOT_BLANK: {
    severity: 'warning',
    description: 'In a bulk file `dateLastModified` should be blank; the value was kept.',
  },
  ONEROSTER_CSV_DELTA_STATUS_MISSING: {
    severity: 'error',
    description: 'In a delta file `status` is required.',
  },
  ONEROSTER_CSV_DELTA_DATE_LAST_MODIFIED_MISSING: {
    severity: 'error',
    description: 'In a delta file `dateLastModified` is required.',
  },
  // References.
  ONEROSTER_CSV_REFERENCE_UNRESOLVED: {
    severity: 'error',
    description:
      'A reference names a sourcedId that the target file (bulk, so complete) does not hold, or that `knownIds` does not know.',
  },
  ONEROSTER_CSV_REFERENCE_UNVERIFIED: {
    severity: 'warning',
    description:
      'A reference names a sourcedId that is not in the package, whose target file is delta or absent; it may exist in earlier data.',
  },
  ONEROSTER_CSV_REFERENCE_TO_DELETED: {
    severity: 'warning',
    description: 'An active row references a row that the same package marks `tobedeleted`.',
  },
  ONEROSTER_CSV_REFERENCE_TO_SELF: {
    severity: 'error',
    description: 'A row names itself as its own parent or agent.',
  },
} as const satisfies Record<string, CodeSpec>;

export type OneRosterCsvFindingCode = keyof typeof oneRosterCsvFindingCodes;

/** A finding with one of the codes above. */
export type OneRosterCsvFinding = Finding<OneRosterCsvFindingCode>;

export function severityOf(code: OneRosterCsvFindingCode): Severity {
  return oneRosterCsvFindingCodes[code].severity;
}
