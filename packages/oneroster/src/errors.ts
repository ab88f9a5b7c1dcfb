/**
 * The errors `@passport/oneroster` throws. Problems inside a package's data are never thrown: they are findings in a
 * validation report. These are for what stops the reading altogether (no such package, not a zip, bad options).
 */
import { PassportError, type PassportErrorOptions } from '@passport/core';

export const oneRosterErrorCodes = {
  ONEROSTER_PACKAGE_NOT_FOUND: 'No file or directory exists at the package path.',
  ONEROSTER_PACKAGE_UNREADABLE:
    'The package is neither a directory nor a readable zip file, or one of its entries is corrupt.',
  ONEROSTER_INVALID_OPTIONS: 'An option passed to a OneRoster function is not valid.',
  ONEROSTER_STREAM_INCOMPLETE:
    'The report of a package stream was asked for, but the stream was not read to its end.',
  ONEROSTER_WRITE_INVALID_CALL:
    'A package writer was used out of order (a file written twice, a write after close).',
  ONEROSTER_WRITE_TARGET_EXISTS:
    'The output path holds something other than a OneRoster package; it was left alone rather than replaced.',
  ONEROSTER_WRITE_ABORTED: 'Writing the package was aborted or failed; nothing was left at the output path.',
  ONEROSTER_MAPPING_INVALID:
    'A custom CSV mapping file is not valid; the message names each problem by its path.',
  ONEROSTER_CSV_CELL_NOT_CONVERTIBLE:
    'A CSV cell the JSON binding must interpret (boolean, number, userIds, reference) is not in normalized form.',
  ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV:
    'A JSON value cannot be written in the CSV binding (a list item holding a comma, an empty list item).',
} as const;

export type OneRosterErrorCode = keyof typeof oneRosterErrorCodes;

const statusOf: Record<OneRosterErrorCode, number> = {
  ONEROSTER_PACKAGE_NOT_FOUND: 404,
  ONEROSTER_PACKAGE_UNREADABLE: 422,
  ONEROSTER_INVALID_OPTIONS: 400,
  ONEROSTER_STREAM_INCOMPLETE: 500,
  ONEROSTER_WRITE_INVALID_CALL: 500,
  ONEROSTER_WRITE_TARGET_EXISTS: 409,
  ONEROSTER_WRITE_ABORTED: 500,
  ONEROSTER_MAPPING_INVALID: 400,
  ONEROSTER_CSV_CELL_NOT_CONVERTIBLE: 400,
  ONEROSTER_VALUE_NOT_REPRESENTABLE_IN_CSV: 400,
};

export class OneRosterError extends PassportError<OneRosterErrorCode> {
  constructor(code: OneRosterErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { status: statusOf[code], ...options });
  }
}
