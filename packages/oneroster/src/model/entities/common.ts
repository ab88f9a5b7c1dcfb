/**
 * The building blocks every OneRoster 1.1 entity of the JSON binding shares: the base fields, GUIDRefs, and the
 * value types (dates, datetimes, years, grades, booleans).
 */
import { z } from 'zod';
import { isDate, isDatetime, isYear } from '../formats.ts';
import { gradeCodes, guidRefTypes, statusTypes } from '../vocabulary.ts';

export const sourcedIdSchema = z.string().min(1);

/** A required text field (name, title, username, ...): present and not empty. */
export const requiredTextSchema = z.string().min(1);

export const dateSchema = z.string().refine(isDate, { message: 'Expected a date YYYY-MM-DD' });

export const datetimeSchema = z
  .string()
  .refine(isDatetime, { message: 'Expected an ISO 8601 UTC datetime such as 2026-01-02T03:04:05.000Z' });

export const yearSchema = z.string().refine(isYear, { message: 'Expected a four-digit year such as 2026' });

/**
 * A boolean. OneRoster 1.1 servers disagree on the JSON spelling (`true` or `"true"`), so both parse; the parsed
 * value is always a JSON boolean, and that is what Passport writes.
 */
export const booleanSchema = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

/** A reference to another entity: `{href, sourcedId, type}`. */
export const guidRefSchema = z.object({
  href: z.string().min(1),
  sourcedId: sourcedIdSchema,
  type: z.enum(guidRefTypes),
});
export type GuidRef = z.infer<typeof guidRefSchema>;

/**
 * A grade level. The CEDS codes (`gradeCodes`: `KG`, `01` … `13`, ...) are the spec's vocabulary; any other
 * non-empty string is accepted as an extension, as OneRoster 1.1 allows, so a district's own codes survive a round
 * trip. Use `isCedsGrade` to tell the two apart (the CSV validator warns on extensions).
 */
export const gradeSchema = z.string().min(1);

const cedsGrades: ReadonlySet<string> = new Set(gradeCodes);

export function isCedsGrade(grade: string): boolean {
  return cedsGrades.has(grade);
}

/** Free text items of a multi-valued field (subjects, subjectCodes, periods). */
export const listItemSchema = z.string().min(1);

/** Extensions: the JSON binding's `metadata` object; the CSV binding's `metadata.<name>` columns. */
export const metadataSchema = z.record(z.string(), z.unknown());

/**
 * The fields every entity has. `status` and `dateLastModified` are required by the JSON binding, but a row of a
 * bulk CSV file has neither (both cells are blank), so they are optional here: an entity converted from a bulk row
 * has no `status` and no `dateLastModified`, and converting it back gives the blank cells again. A REST server
 * fills them in (for example `active` and the time of import) before it answers.
 */
export const baseShape = {
  sourcedId: sourcedIdSchema,
  status: z.enum(statusTypes).optional(),
  dateLastModified: datetimeSchema.optional(),
  metadata: metadataSchema.optional(),
};
