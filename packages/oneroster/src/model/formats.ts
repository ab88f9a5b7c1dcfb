/**
 * How OneRoster 1.1 spells scalar values as text: dates, datetimes, years, booleans and floats. The CSV binding
 * holds every value as text; the JSON binding uses the same spellings for dates and datetimes. These rules are strict
 * (they describe the normalized form the writer produces); lenient reading of sloppy exports is the reader's job.
 */

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const datetimePattern = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;
const yearPattern = /^\d{4}$/;
const decimalPattern = /^-?\d+(\.\d+)?$/;

/** A calendar date `YYYY-MM-DD` that exists (`2024-02-29` yes, `2023-02-29` no). */
export function isDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An ISO 8601 datetime in UTC with a `Z`, seconds required, fraction optional: `2026-01-02T03:04:05.000Z`,
 * `2026-01-02T03:04:05Z`. Offsets such as `+02:00` and date-only values are not datetimes here.
 */
export function isDatetime(text: string): boolean {
  const match = datetimePattern.exec(text);
  if (!match) return false;
  const [, date = '', hours, minutes, seconds] = match;
  return isDate(date) && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60;
}

/** A four-digit year (`academicSessions.schoolYear`), e.g. `2026`. */
export function isYear(text: string): boolean {
  return yearPattern.test(text);
}

/** `true` / `false` exactly; anything else (including `TRUE`) is not a normalized boolean. */
export function parseBoolean(text: string): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

export function formatBoolean(value: boolean): 'true' | 'false' {
  return value ? 'true' : 'false';
}

/** A decimal number (`12`, `-0.5`, `98.25`); no exponent, no `+`, no surrounding spaces. */
export function parseFloatText(text: string): number | undefined {
  return decimalPattern.test(text) ? Number(text) : undefined;
}

/**
 * The canonical text of a number: the shortest decimal that reads back as the same number (`1.5`, `10`, `-0.25`),
 * which is what `String(number)` gives for the magnitudes scores and result ranges use. Reading the canonical text
 * back with `parseFloatText` gives the same number.
 */
export function formatFloat(value: number): string {
  return String(value);
}

/** Whether `text` is a decimal number written canonically, so that reading and writing it returns the same text. */
export function isCanonicalFloat(text: string): boolean {
  const value = parseFloatText(text);
  return value !== undefined && formatFloat(value) === text;
}

const midnight = 'T00:00:00.000Z';

/**
 * The JSON binding carries `lineItem.assignDate` and `dueDate` as datetimes where the CSV binding has dates. A date
 * becomes midnight UTC (`2026-01-02` → `2026-01-02T00:00:00.000Z`); a cell that is already a datetime is kept.
 */
export function dateToDatetime(text: string): string {
  return isDate(text) ? `${text}${midnight}` : text;
}

/**
 * The inverse of `dateToDatetime`: exactly midnight UTC written as `T00:00:00.000Z` becomes the date; any other
 * datetime is kept whole, since a date cell could not hold its time.
 */
export function datetimeToDate(text: string): string {
  if (text.endsWith(midnight)) {
    const date = text.slice(0, -midnight.length);
    if (isDate(date)) return date;
  }
  return text;
}
