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
} as const;

export type OneRosterErrorCode = keyof typeof oneRosterErrorCodes;

const statusOf: Record<OneRosterErrorCode, number> = {
  ONEROSTER_PACKAGE_NOT_FOUND: 404,
  ONEROSTER_PACKAGE_UNREADABLE: 422,
  ONEROSTER_INVALID_OPTIONS: 400,
  ONEROSTER_STREAM_INCOMPLETE: 500,
};

export class OneRosterError extends PassportError<OneRosterErrorCode> {
  constructor(code: OneRosterErrorCode, message: string, options: PassportErrorOptions = {}) {
    super(code, message, { status: statusOf[code], ...options });
  }
}
