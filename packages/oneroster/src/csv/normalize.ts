/**
 * Parse leniently, write strictly: each cell is checked against its column's kind and, when it is not in its strict
 * form, either normalized (what the spec's meaning makes unambiguous: `Scheduled` → `scheduled`, `TRUE` → `true`,
 * `inactive` → `tobedeleted`, a date-only `dateLastModified` → midnight UTC, grade `9` → `09`, `K` → `KG`, spaces
 * around list items) with a warning, or refused with an error (`03/04/2026`, an unknown enum value, `12,5`).
 *
 * The strict forms are those of `model/formats.ts` and `model/multivalue.ts`, checked here character by character
 * because this runs for every cell of packages of millions of rows: a cell already in strict form costs a few
 * comparisons and allocates nothing.
 */
import type { ColumnKind } from '../model/files.ts';
import { parseUserIdItem } from '../model/multivalue.ts';
import { type GradeCode, gradeCodes, type VocabularyName, vocabularies } from '../model/vocabulary.ts';
import type { OneRosterCsvFindingCode } from './finding-codes.ts';

export interface NormalizationFinding {
  code: OneRosterCsvFindingCode;
  message: string;
}

export interface Normalization {
  /** The value to keep: normalized, or the raw value when it was refused. `''` when only spaces were given. */
  value: string;
  /** What was changed (warnings) or refused (errors). */
  findings: NormalizationFinding[];
}

// ---------------------------------------------------------------------------------------------------------------
// Character checks (the hot path).

const isDigit = (unit: number): boolean => unit >= 48 && unit <= 57;
const isSpace = (unit: number): boolean => unit <= 32 || unit === 0xa0 || unit === 0xfeff;
const digitAt = (text: string, index: number): number => text.charCodeAt(index) - 48;

/** Leading or trailing whitespace. */
export function hasOuterSpace(text: string): boolean {
  return text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` at `offset`, a date that exists. */
function isDateAt(text: string, offset: number): boolean {
  if (text.charCodeAt(offset + 4) !== 45 || text.charCodeAt(offset + 7) !== 45) return false;
  if (
    !isDigit(text.charCodeAt(offset)) ||
    !isDigit(text.charCodeAt(offset + 1)) ||
    !isDigit(text.charCodeAt(offset + 2)) ||
    !isDigit(text.charCodeAt(offset + 3)) ||
    !isDigit(text.charCodeAt(offset + 5)) ||
    !isDigit(text.charCodeAt(offset + 6)) ||
    !isDigit(text.charCodeAt(offset + 8)) ||
    !isDigit(text.charCodeAt(offset + 9))
  ) {
    return false;
  }
  const year =
    digitAt(text, offset) * 1000 +
    digitAt(text, offset + 1) * 100 +
    digitAt(text, offset + 2) * 10 +
    digitAt(text, offset + 3);
  const month = digitAt(text, offset + 5) * 10 + digitAt(text, offset + 6);
  const day = digitAt(text, offset + 8) * 10 + digitAt(text, offset + 9);
  return isCalendarDate(year, month, day);
}

/** A calendar date `YYYY-MM-DD`. */
export function isStrictDate(text: string): boolean {
  return text.length === 10 && isDateAt(text, 0);
}

/** `YYYY-MM-DDTHH:MM:SS(.fraction)?Z`, in range. */
export function isStrictDatetime(text: string): boolean {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 90 || text.charCodeAt(10) !== 84) return false;
  if (!isDateAt(text, 0)) return false;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  if (
    !isDigit(text.charCodeAt(11)) ||
    !isDigit(text.charCodeAt(12)) ||
    !isDigit(text.charCodeAt(14)) ||
    !isDigit(text.charCodeAt(15)) ||
    !isDigit(text.charCodeAt(17)) ||
    !isDigit(text.charCodeAt(18))
  ) {
    return false;
  }
  const hours = digitAt(text, 11) * 10 + digitAt(text, 12);
  const minutes = digitAt(text, 14) * 10 + digitAt(text, 15);
  const seconds = digitAt(text, 17) * 10 + digitAt(text, 18);
  if (hours > 23 || minutes > 59 || seconds > 59) return false;
  if (length === 20) return true;
  if (text.charCodeAt(19) !== 46 || length < 22) return false;
  for (let index = 20; index < length - 1; index++) if (!isDigit(text.charCodeAt(index))) return false;
  return true;
}

/** A decimal number `-?\d+(\.\d+)?`. */
export function isStrictFloat(text: string): boolean {
  const length = text.length;
  let index = text.charCodeAt(0) === 45 ? 1 : 0;
  const integerStart = index;
  while (index < length && isDigit(text.charCodeAt(index))) index++;
  if (index === integerStart) return false;
  if (index === length) return true;
  if (text.charCodeAt(index) !== 46) return false;
  const fractionStart = ++index;
  while (index < length && isDigit(text.charCodeAt(index))) index++;
  return index === length && index > fractionStart;
}

/** Four digits. */
export function isStrictYear(text: string): boolean {
  return (
    text.length === 4 &&
    isDigit(text.charCodeAt(0)) &&
    isDigit(text.charCodeAt(1)) &&
    isDigit(text.charCodeAt(2)) &&
    isDigit(text.charCodeAt(3))
  );
}

/** A comma-separated list with no empty item and no spaces around an item. */
export function isStrictList(text: string): boolean {
  const length = text.length;
  if (length === 0) return true;
  if (hasOuterSpace(text)) return false;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(length - 1);
  if (first === 44 || last === 44) return false;
  for (let index = text.indexOf(','); index !== -1; index = text.indexOf(',', index + 1)) {
    const before = text.charCodeAt(index - 1);
    const after = text.charCodeAt(index + 1);
    if (before === 44 || after === 44 || isSpace(before) || isSpace(after)) return false;
  }
  return true;
}

/** `{type:identifier}` items, comma-separated, each with a non-blank type and identifier and no spaces around them. */
export function isStrictUserIds(text: string): boolean {
  const length = text.length;
  let index = 0;
  while (index < length) {
    if (text.charCodeAt(index) !== 123) return false;
    const close = text.indexOf('}', index);
    const colon = text.indexOf(':', index);
    if (close === -1 || colon === -1 || colon > close) return false;
    // Type and identifier: non-blank, no spaces around, no braces or commas inside.
    if (colon === index + 1 || colon + 1 === close) return false;
    if (isSpace(text.charCodeAt(index + 1)) || isSpace(text.charCodeAt(colon - 1))) return false;
    if (isSpace(text.charCodeAt(colon + 1)) || isSpace(text.charCodeAt(close - 1))) return false;
    for (let inside = index + 1; inside < close; inside++) {
      const unit = text.charCodeAt(inside);
      if (unit === 44 || unit === 123) return false;
    }
    index = close + 1;
    if (index === length) return true;
    if (text.charCodeAt(index) !== 44) return false;
    index++;
    if (index === length) return false;
  }
  return length === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabularies.

interface Vocabulary {
  exact: ReadonlySet<string>;
  byLowerCase: ReadonlyMap<string, string>;
}

const vocabularyTables = new Map<VocabularyName, Vocabulary>(
  (Object.keys(vocabularies) as VocabularyName[]).map((name) => {
    const values: readonly string[] = vocabularies[name];
    return [
      name,
      { exact: new Set(values), byLowerCase: new Map(values.map((value) => [value.toLowerCase(), value])) },
    ];
  }),
);

function vocabularyOf(name: VocabularyName): Vocabulary {
  const table = vocabularyTables.get(name);
  if (!table) throw new Error(`no vocabulary ${name}`);
  return table;
}

/** The exact values of a vocabulary, for the hot path. */
export function vocabularySet(name: VocabularyName): ReadonlySet<string> {
  return vocabularyOf(name).exact;
}

const gradeSet: ReadonlySet<string> = new Set(gradeCodes);
const gradeByLowerCase = new Map<string, GradeCode>(gradeCodes.map((grade) => [grade.toLowerCase(), grade]));
gradeByLowerCase.set('k', 'KG');

/** The CEDS code a sloppy grade stands for (`9` → `09`, `k` → `KG`), or undefined. */
export function gradeCodeOf(grade: string): GradeCode | undefined {
  if (gradeSet.has(grade)) return grade as GradeCode;
  if (grade.length === 1 && isDigit(grade.charCodeAt(0)) && grade !== '0') return `0${grade}` as GradeCode;
  return gradeByLowerCase.get(grade.toLowerCase());
}

export function isCedsGrade(grade: string): boolean {
  return gradeSet.has(grade);
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization (the slow path: only for cells not in strict form).

const quote = (text: string): string => JSON.stringify(text);

function trimmed(raw: string, findings: NormalizationFinding[]): string {
  if (!hasOuterSpace(raw)) return raw;
  findings.push({
    code: 'ONEROSTER_CSV_VALUE_TRIMMED',
    message: `Spaces around ${quote(raw)} were removed.`,
  });
  return raw.trim();
}

function normalizeEnum(raw: string, vocabularyName: VocabularyName): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  const vocabulary = vocabularyOf(vocabularyName);
  if (value === '' || vocabulary.exact.has(value)) return { value, findings };
  const lower = value.toLowerCase();
  const spelled = vocabulary.byLowerCase.get(lower);
  if (spelled !== undefined) {
    findings.push({
      code: 'ONEROSTER_CSV_CASE_NORMALIZED',
      message: `${quote(value)} was read as ${quote(spelled)}.`,
    });
    return { value: spelled, findings };
  }
  if (vocabularyName === 'status' && lower === 'inactive') {
    findings.push({
      code: 'ONEROSTER_CSV_STATUS_INACTIVE',
      message: `The OneRoster 1.0 status ${quote(value)} was read as "tobedeleted".`,
    });
    return { value: 'tobedeleted', findings };
  }
  findings.push({
    code: 'ONEROSTER_CSV_ENUM_INVALID',
    message: `${quote(value)} is not one of ${[...vocabulary.exact].map(quote).join(', ')}.`,
  });
  return { value: raw, findings };
}

function normalizeBoolean(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  if (value === '' || value === 'true' || value === 'false') return { value, findings };
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    findings.push({
      code: 'ONEROSTER_CSV_CASE_NORMALIZED',
      message: `${quote(value)} was read as ${quote(lower)}.`,
    });
    return { value: lower, findings };
  }
  findings.push({
    code: 'ONEROSTER_CSV_BOOLEAN_INVALID',
    message: `${quote(value)} is not "true" or "false".`,
  });
  return { value: raw, findings };
}

const pad2 = (value: number): string => String(value).padStart(2, '0');
const looseDate = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

function normalizeDate(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  if (value === '' || isStrictDate(value)) return { value, findings };
  const match = looseDate.exec(value);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (isCalendarDate(year, month, day)) {
      const date = `${match[1]}-${pad2(month)}-${pad2(day)}`;
      findings.push({
        code: 'ONEROSTER_CSV_DATE_NORMALIZED',
        message: `${quote(value)} was read as ${date}.`,
      });
      return { value: date, findings };
    }
  }
  findings.push({
    code: 'ONEROSTER_CSV_DATE_INVALID',
    message: `${quote(value)} is not a calendar date written YYYY-MM-DD.`,
  });
  return { value: raw, findings };
}

const looseDatetime =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

function normalizeDatetime(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  if (value === '' || isStrictDatetime(value)) return { value, findings };
  if (isStrictDate(value)) {
    const datetime = `${value}T00:00:00.000Z`;
    findings.push({
      code: 'ONEROSTER_CSV_DATETIME_DATE_ONLY',
      message: `The date-only ${quote(value)} was read as ${datetime} (midnight UTC).`,
    });
    return { value: datetime, findings };
  }
  const match = looseDatetime.exec(value);
  if (match) {
    const [, year, month, day, hours, minutes, seconds = '00', fraction = '', zone = 'Z'] = match;
    const hour = Number(hours);
    const minute = Number(minutes);
    const second = Number(seconds);
    if (isCalendarDate(Number(year), Number(month), Number(day)) && hour < 24 && minute < 60 && second < 60) {
      let offsetMinutes = 0;
      if (zone !== 'Z' && zone !== 'z') {
        const digits = zone.slice(1).replace(':', '');
        offsetMinutes =
          (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (zone[0] === '-' ? -1 : 1);
      }
      const milliseconds = Math.round(Number(`0${fraction}`) * 1000);
      const time =
        Date.UTC(Number(year), Number(month) - 1, Number(day), hour, minute, second, milliseconds) -
        offsetMinutes * 60_000;
      const datetime = new Date(time).toISOString();
      findings.push({
        code: 'ONEROSTER_CSV_DATETIME_NORMALIZED',
        message: `${quote(value)} was read as ${datetime}.`,
      });
      return { value: datetime, findings };
    }
  }
  findings.push({
    code: 'ONEROSTER_CSV_DATETIME_INVALID',
    message: `${quote(value)} is not an ISO 8601 datetime with a time zone (2026-01-02T03:04:05Z).`,
  });
  return { value: raw, findings };
}

const looseFloat = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function normalizeFloat(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  if (value === '' || isStrictFloat(value)) return { value, findings };
  if (looseFloat.test(value)) {
    const number = Number(value);
    if (Number.isFinite(number)) {
      const canonical = String(number);
      findings.push({
        code: 'ONEROSTER_CSV_FLOAT_NORMALIZED',
        message: `${quote(value)} was read as ${canonical}.`,
      });
      return { value: canonical, findings };
    }
  }
  findings.push({ code: 'ONEROSTER_CSV_FLOAT_INVALID', message: `${quote(value)} is not a decimal number.` });
  return { value: raw, findings };
}

function normalizeYear(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const value = trimmed(raw, findings);
  if (value === '' || isStrictYear(value)) return { value, findings };
  findings.push({ code: 'ONEROSTER_CSV_YEAR_INVALID', message: `${quote(value)} is not a four-digit year.` });
  return { value: raw, findings };
}

/** Splits a list cell, trimming items and dropping empty ones, with one finding when anything changed. */
function listItems(raw: string, findings: NormalizationFinding[]): string[] {
  const written = raw.split(',');
  const items = written.map((item) => item.trim()).filter((item) => item !== '');
  if (items.length !== written.length || items.some((item, index) => item !== written[index])) {
    findings.push({
      code: 'ONEROSTER_CSV_LIST_NORMALIZED',
      message: `The list ${quote(raw)} was read as ${quote(items.join(','))}.`,
    });
  }
  return items;
}

function normalizeList(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const items = listItems(raw, findings);
  return { value: items.join(','), findings };
}

function normalizeGrades(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const items = listItems(raw, findings).map((item) => {
    if (gradeSet.has(item)) return item;
    const code = gradeCodeOf(item);
    if (code !== undefined) {
      findings.push({
        code: 'ONEROSTER_CSV_GRADE_NORMALIZED',
        message: `The grade ${quote(item)} was read as ${code}.`,
      });
      return code;
    }
    findings.push({
      code: 'ONEROSTER_CSV_GRADE_EXTENSION',
      message: `The grade ${quote(item)} is not a CEDS grade code; it was kept as an extension value.`,
    });
    return item;
  });
  return { value: items.join(','), findings };
}

function normalizeUserIds(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  const items = listItems(raw, findings);
  let refused = false;
  let spaced = false;
  const normalized = items.map((item) => {
    const userId = parseUserIdItem(item);
    const type = userId?.type.trim() ?? '';
    const identifier = userId?.identifier.trim() ?? '';
    if (!userId || type === '' || identifier === '' || /[{}]/.test(type) || /[{}]/.test(identifier)) {
      refused = true;
      findings.push({
        code: 'ONEROSTER_CSV_USER_ID_INVALID',
        message: `The userIds item ${quote(item)} is not {type:identifier} with a non-blank type and identifier.`,
      });
      return item;
    }
    if (type !== userId.type || identifier !== userId.identifier) spaced = true;
    return `{${type}:${identifier}}`;
  });
  if (spaced) {
    findings.push({
      code: 'ONEROSTER_CSV_VALUE_TRIMMED',
      message: `Spaces inside the userIds items of ${quote(raw)} were removed.`,
    });
  }
  return { value: refused ? raw : normalized.join(','), findings };
}

function normalizeSpaces(raw: string): Normalization {
  const findings: NormalizationFinding[] = [];
  return { value: trimmed(raw, findings), findings };
}

/**
 * Checks a non-blank cell against its column's kind: `undefined` when it is already in strict form (no allocation),
 * otherwise the value to keep and what was normalized or refused. `string` cells are always kept as written.
 */
export function normalizeValue(kind: ColumnKind, raw: string): Normalization | undefined {
  switch (kind.type) {
    case 'string':
      return undefined;
    case 'id':
      return hasOuterSpace(raw) ? normalizeSpaces(raw) : undefined;
    case 'ref':
      if (kind.many) return isStrictList(raw) ? undefined : normalizeList(raw);
      return hasOuterSpace(raw) ? normalizeSpaces(raw) : undefined;
    case 'enum':
      return vocabularyOf(kind.vocabulary).exact.has(raw) ? undefined : normalizeEnum(raw, kind.vocabulary);
    case 'status':
      return raw === 'active' || raw === 'tobedeleted' ? undefined : normalizeEnum(raw, 'status');
    case 'boolean':
      return raw === 'true' || raw === 'false' ? undefined : normalizeBoolean(raw);
    case 'date':
      return isStrictDate(raw) ? undefined : normalizeDate(raw);
    case 'datetime':
    case 'dateLastModified':
      return isStrictDatetime(raw) ? undefined : normalizeDatetime(raw);
    case 'float':
      return isStrictFloat(raw) ? undefined : normalizeFloat(raw);
    case 'year':
      return isStrictYear(raw) ? undefined : normalizeYear(raw);
    case 'list':
      return isStrictList(raw) ? undefined : normalizeList(raw);
    case 'grades':
      return gradeSet.has(raw) || (isStrictList(raw) && raw.split(',').every((grade) => gradeSet.has(grade)))
        ? undefined
        : normalizeGrades(raw);
    case 'userIds':
      return isStrictUserIds(raw) ? undefined : normalizeUserIds(raw);
  }
}
