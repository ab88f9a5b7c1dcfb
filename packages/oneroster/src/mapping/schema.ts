/**
 * The mapping file: a declarative description of a partner's own CSV layout, written as JSON. Each output file
 * comes from one OneRoster file (`from`), keeps the rows that pass its filters (`where`), and has columns that are
 * picked, renamed, fixed, templated or joined from related rows (`lookup`). The format is documented with examples
 * in `mappings/README.md`; this schema checks its shape, `check-mapping.ts` checks it against the OneRoster model.
 */
import { z } from 'zod';
import { fileNames } from '../model/files.ts';

const fileName = z.enum(fileNames, {
  error: `must be one of the 13 OneRoster files: ${fileNames.join(', ')}`,
});
const columnName = z.string().min(1, 'must name a column');

export interface CsvOptionsInput {
  /** Field separator; default `,`. */
  delimiter?: string;
  /** `needed` (default): quote fields holding the delimiter, a quote or a line break; `always`: every field. */
  quoting?: 'needed' | 'always';
  /** Write the header row; default true. */
  header?: boolean;
  /** Default `crlf` (RFC 4180). */
  lineEnding?: 'crlf' | 'lf';
  /** Start with a UTF-8 byte order mark (for spreadsheet programs); default false. */
  bom?: boolean;
  /** Prefix cells starting with `=`, `+`, `-`, `@` with `'` so spreadsheets do not run them; default false. */
  escapeFormulas?: boolean;
}

const csvOptions = z.strictObject({
  delimiter: z
    .string()
    .min(1, 'must not be empty')
    .max(4, 'must be at most 4 characters')
    .refine((value) => !/["\r\n]/.test(value), 'must not contain a quote or a line break')
    .optional(),
  quoting: z.enum(['needed', 'always']).optional(),
  header: z.boolean().optional(),
  lineEnding: z.enum(['crlf', 'lf']).optional(),
  bom: z.boolean().optional(),
  escapeFormulas: z.boolean().optional(),
}) satisfies z.ZodType<CsvOptionsInput>;

/** A test on rows. In a list (`where`), every condition must hold. Give exactly one kind. */
export interface Condition {
  /** Test a column of the row (or, with `via`, of the rows reached from it: any may pass). One operator. */
  column?: string;
  equals?: string;
  notEquals?: string;
  in?: string[];
  notIn?: string[];
  /** The comma-separated cell has this item (`orgSourcedIds` includes `school-1`). */
  includes?: string;
  /** The cell is blank (true) or not (false). */
  empty?: boolean;
  via?: Step[];
  /** `active`: status blank (bulk) or `active`; `tobedeleted`. */
  status?: 'active' | 'tobedeleted';
  /** At least one row is reached by following the path. */
  exists?: Step[];
  /** At least one of these holds. */
  anyOf?: Condition[];
  /** This does not hold. */
  not?: Condition;
}

/** One hop of a lookup path. Give `follow` or `find`. */
export interface Step {
  /** Follow the references in this column of the current rows (`userSourcedId`, `orgSourcedIds`). */
  follow?: string;
  /** The file `follow` leads to; needed only when the column is not a reference in the spec (`sourcedId`). */
  to?: (typeof fileNames)[number];
  /** Find the rows of this file whose `whose` column refers to the current rows. */
  find?: (typeof fileNames)[number];
  whose?: string;
  /** Keep only the reached rows that pass these. */
  where?: Condition[];
}

const operators = ['equals', 'notEquals', 'in', 'notIn', 'includes', 'empty'] as const;
const conditionKinds = ['column', 'status', 'exists', 'anyOf', 'not'] as const;

const step: z.ZodType<Step> = z
  .strictObject({
    follow: columnName.optional(),
    to: fileName.optional(),
    find: fileName.optional(),
    whose: columnName.optional(),
    get where() {
      return z.array(condition).optional();
    },
  })
  .superRefine((value, context) => {
    if ((value.follow === undefined) === (value.find === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of "follow" or "find"' });
    }
    if (value.find !== undefined && value.whose === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['whose'],
        message: '"find" needs "whose": the column that refers back',
      });
    }
    if (value.follow !== undefined && value.whose !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['whose'],
        message: '"whose" goes with "find", not "follow"',
      });
    }
    if (value.find !== undefined && value.to !== undefined) {
      context.addIssue({ code: 'custom', path: ['to'], message: '"to" goes with "follow", not "find"' });
    }
  });

const path = z.array(step).min(1, 'must have at least one step');

const condition: z.ZodType<Condition> = z
  .strictObject({
    column: columnName.optional(),
    equals: z.string().optional(),
    notEquals: z.string().optional(),
    in: z.array(z.string()).min(1, 'must list at least one value').optional(),
    notIn: z.array(z.string()).min(1, 'must list at least one value').optional(),
    includes: z.string().optional(),
    empty: z.boolean().optional(),
    via: path.optional(),
    status: z.enum(['active', 'tobedeleted']).optional(),
    exists: path.optional(),
    get anyOf() {
      return z.array(condition).min(1, 'must list at least one condition').optional();
    },
    get not() {
      return condition.optional();
    },
  })
  .superRefine((value, context) => {
    const kinds = conditionKinds.filter((kind) => value[kind] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `give exactly one of ${conditionKinds.map((kind) => `"${kind}"`).join(', ')}${kinds.length > 1 ? ` (got ${kinds.join(', ')})` : ''}`,
      });
      return;
    }
    const given = operators.filter((operator) => value[operator] !== undefined);
    if (value.column !== undefined && given.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `a column test needs exactly one of ${operators.map((operator) => `"${operator}"`).join(', ')}`,
      });
    }
    if (value.column === undefined && (given.length > 0 || value.via !== undefined)) {
      context.addIssue({
        code: 'custom',
        message: `${[...given, ...(value.via === undefined ? [] : ['via'])].map((key) => `"${key}"`).join(', ')} need "column"`,
      });
    }
  });

export interface Lookup {
  /** From the row, hop by hop, to the rows whose values are taken. */
  path: Step[];
  /** The column of the reached rows to take; or give `template`. */
  take?: string;
  /** `{column}` placeholders filled from each reached row (`{givenName} {familyName}`). */
  template?: string;
}

const lookup = z
  .strictObject({ path, take: columnName.optional(), template: z.string().optional() })
  .superRefine((value, context) => {
    if ((value.take === undefined) === (value.template === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of "take" or "template"' });
    }
  });

export interface Case {
  /** A condition or a list of conditions that must all hold. */
  when: Condition | Condition[];
  value: string;
}

/**
 * An output column: its header, exactly one source, then optional transforms. A source gives a list of values
 * (one per list item or per row reached, blanks included); then `map`, `dateFormat`, `index`, blanks are dropped,
 * `distinct`, the values are joined with `separator`, and `default` replaces a blank result.
 */
export interface OutputColumn {
  header: string;
  /** A column of the row. Multi-valued columns (`grades`, `orgSourcedIds`, ...) give one item per value. */
  column?: string;
  /** The same text on every row. */
  fixed?: string;
  /** `{column}` placeholders filled from the row; `{{` and `}}` for braces. */
  template?: string;
  /** The identifiers of this type in `userIds` (`LDAP` from `{LDAP:jdoe}`). */
  userId?: string;
  /** Values from related rows, joined. */
  lookup?: Lookup;
  /** The value of the first case whose condition holds; none: blank (then `default`). */
  cases?: Case[];
  /** Replace items: `{"09": "9", "KG": "K"}`; items not listed are kept. */
  map?: Record<string, string>;
  /** Rewrite `YYYY-MM-DD` items with the tokens YYYY, YY, MM, M, DD, D (`MM/DD/YYYY`). */
  dateFormat?: string;
  /** Keep only the value at this position (0 first, -1 last), counting blank values too. */
  index?: number;
  /** Drop repeated values; default true for lookups, false otherwise. */
  distinct?: boolean;
  /** Joins the items; default `,`. */
  separator?: string;
  /** The text when the result is blank. */
  default?: string;
}

const sources = ['column', 'fixed', 'template', 'userId', 'lookup', 'cases'] as const;

const outputColumn = z
  .strictObject({
    header: z.string(),
    column: columnName.optional(),
    fixed: z.string().optional(),
    template: z.string().optional(),
    userId: z.string().min(1, 'must name an identifier type such as LDAP').optional(),
    lookup: lookup.optional(),
    cases: z
      .array(z.strictObject({ when: z.union([condition, z.array(condition).min(1)]), value: z.string() }))
      .min(1, 'must list at least one case')
      .optional(),
    map: z.record(z.string(), z.string()).optional(),
    dateFormat: z
      .string()
      .refine((value) => /YY|M|D/.test(value), 'must use at least one of the tokens YYYY, YY, MM, M, DD, D')
      .optional(),
    distinct: z.boolean().optional(),
    index: z.int().optional(),
    separator: z.string().optional(),
    default: z.string().optional(),
  })
  .superRefine((value, context) => {
    const given = sources.filter((source) => value[source] !== undefined);
    if (given.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `give exactly one source: ${sources.map((source) => `"${source}"`).join(', ')}${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`,
      });
    }
  });

/** A column given as a plain string is that column under its own name. */
const columnEntry = z.union([
  columnName.transform((name): OutputColumn => ({ header: name, column: name })),
  outputColumn,
]);

export interface OutputFileInput {
  /** The file written in the output directory (`students.csv`). */
  name: string;
  /** The OneRoster file each output row comes from. */
  from: (typeof fileNames)[number];
  where?: Condition[];
  columns: Array<string | OutputColumn>;
  csv?: CsvOptionsInput;
}

export interface MappingInput {
  $schema?: string;
  version?: 1;
  name?: string;
  description?: string;
  /** CSV options for every file; a file's own `csv` overrides them. */
  csv?: CsvOptionsInput;
  files: OutputFileInput[];
}

const outputFile = z.strictObject({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9 ._-]*$/,
      'must be a plain file name (letters, digits, space, dot, dash, underscore; no folders)',
    )
    .max(200),
  from: fileName,
  where: z.array(condition).optional(),
  columns: z.array(columnEntry).min(1, 'must list at least one column'),
  csv: csvOptions.optional(),
});

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, { error: 'must be 1 (the only version of this format)' }).optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    csv: csvOptions.optional(),
    files: z.array(outputFile).min(1, 'must list at least one output file'),
  })
  .superRefine((value, context) => {
    const seen = new Map<string, number>();
    value.files.forEach((file, index) => {
      const key = file.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['files', index, 'name'],
          message: `"${file.name}" is already the name of files[${first}]`,
        });
      } else seen.set(key, index);
    });
  });

/** A parsed mapping: shorthand columns expanded to `{header, column}`. */
export type Mapping = z.output<typeof mappingSchema>;
export type OutputFile = Mapping['files'][number];
export type CsvOptions = z.output<typeof csvOptions>;
