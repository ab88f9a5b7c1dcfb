/**
 * PostgreSQL type OIDs whose default JavaScript mapping differs between `pg` and PGlite, and the one mapping both
 * backends use here, so code and tests see the same values whichever database runs underneath:
 * - `int8`: `pg` returns a string, PGlite a number that silently loses precision above 2^53. Both: string.
 * - `date`: both return a `Date`, `pg` at local midnight, PGlite at UTC midnight. Both: the `YYYY-MM-DD` text,
 *   which is what OneRoster dates are.
 */
export const typeOids = { int8: 20, date: 1082, int8Array: 1016, dateArray: 1182, textArray: 1009 } as const;

/** Scalar parsers for PGlite (it applies them to array elements itself). */
export const pgliteParsers: Record<number, (value: string) => unknown> = {
  [typeOids.int8]: (value) => value,
  [typeOids.date]: (value) => value,
};
