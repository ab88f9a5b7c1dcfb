import { describe, expect, it } from 'vitest';
import {
  dateToDatetime,
  datetimeToDate,
  formatBoolean,
  formatFloat,
  isCanonicalFloat,
  isDate,
  isDatetime,
  isYear,
  parseBoolean,
  parseFloatText,
} from './formats.ts';

describe('dates and datetimes', () => {
  it('accepts real calendar dates only', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
    expect(isDate('2026-13-01')).toBe(false);
    expect(isDate('2026-1-01')).toBe(false);
    expect(isDate('2026-01-02T00:00:00Z')).toBe(false);
  });

  it('accepts UTC datetimes with a Z, with or without a fraction', () => {
    expect(isDatetime('2026-01-02T03:04:05.000Z')).toBe(true);
    expect(isDatetime('2026-01-02T03:04:05Z')).toBe(true);
    expect(isDatetime('2026-01-02T03:04:05+02:00')).toBe(false);
    expect(isDatetime('2026-01-02')).toBe(false);
    expect(isDatetime('2026-01-02T24:00:00Z')).toBe(false);
    expect(isDatetime('2026-02-30T00:00:00Z')).toBe(false);
  });

  it('accepts four-digit years', () => {
    expect(isYear('2026')).toBe(true);
    expect(isYear('26')).toBe(false);
    expect(isYear('2026-27')).toBe(false);
  });

  it('turns a date into midnight UTC and back, keeping other datetimes whole', () => {
    expect(dateToDatetime('2026-01-02')).toBe('2026-01-02T00:00:00.000Z');
    expect(datetimeToDate('2026-01-02T00:00:00.000Z')).toBe('2026-01-02');
    expect(datetimeToDate('2026-01-02T08:30:00.000Z')).toBe('2026-01-02T08:30:00.000Z');
    expect(datetimeToDate('2026-01-02T00:00:00Z')).toBe('2026-01-02T00:00:00Z');
    expect(dateToDatetime('2026-01-02T00:00:00Z')).toBe('2026-01-02T00:00:00Z');
  });
});

describe('booleans and floats', () => {
  it('reads only the normalized booleans', () => {
    expect(parseBoolean('true')).toBe(true);
    expect(parseBoolean('false')).toBe(false);
    expect(parseBoolean('TRUE')).toBeUndefined();
    expect(parseBoolean('')).toBeUndefined();
    expect(formatBoolean(false)).toBe('false');
  });

  it('reads decimals and writes them canonically', () => {
    expect(parseFloatText('-12.50')).toBe(-12.5);
    expect(parseFloatText('1e3')).toBeUndefined();
    expect(parseFloatText(' 1')).toBeUndefined();
    expect(parseFloatText('+1')).toBeUndefined();
    expect(formatFloat(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(isCanonicalFloat('12.5')).toBe(true);
    expect(isCanonicalFloat('12.50')).toBe(false);
    expect(isCanonicalFloat('007')).toBe(false);
    expect(isCanonicalFloat('-0')).toBe(false);
  });
});
