/**
 * fast-check arbitraries for OneRoster 1.1 CSV data in its normalized form: rows, tables and whole datasets that
 * the CSV validator accepts and the writer writes back unchanged. Use them for property tests of anything that
 * reads, writes or converts rosters (read → write → read, CSV ⇄ JSON, custom layouts).
 *
 * What a generated row holds, column by column (driven by `files.ts`):
 * - ids: `[A-Za-z0-9][A-Za-z0-9._-]*`; plain text: non-empty, no surrounding whitespace, and may contain commas,
 *   quotes, newlines and non-ASCII letters; optional cells are sometimes blank.
 * - `status` / `dateLastModified`: blank in bulk rows; a vocabulary value and a datetime such as
 *   `2026-01-02T03:04:05.000Z` in delta rows.
 * - dates `YYYY-MM-DD`, four-digit years, booleans `true` / `false`, floats as canonical decimals (`12.5`, `-3`),
 *   vocabulary values, CEDS grades (`09`, `KG`), `userIds` items such as `{LDAP:12}`.
 * - lists: comma-joined items that themselves hold no comma and no surrounding whitespace.
 * - pairs in order: startDate ≤ endDate, beginDate ≤ endDate, assignDate ≤ dueDate, resultValueMin ≤ resultValueMax.
 * - `metadata.<name>` extension columns after the spec columns, when asked for.
 */
import fc from 'fast-check';
import type { CsvDataset, CsvRow, CsvTable, Manifest } from '../csv/dataset.ts';
import {
  type ColumnSpec,
  type FileName,
  fileNames,
  fileSpecs,
  headerOf,
  metadataColumnPrefix,
} from '../model/files.ts';
import { formatFloat } from '../model/formats.ts';
import { gradeCodes, roleTypes, vocabularies } from '../model/vocabulary.ts';

/** The two ways a file can be present in a package. */
export type DataMode = 'bulk' | 'delta';

export interface CsvRowOptions {
  /** bulk: blank status and dateLastModified; delta: both filled. Default: either. */
  mode?: DataMode;
  /** `metadata.<name>` columns to fill (blank or text). Default: none. */
  metadataColumns?: readonly string[];
  /** The row's sourcedId. Default: `sourcedIdArbitrary()`. */
  sourcedId?: fc.Arbitrary<string>;
  /** sourcedIds that a reference to each file draws from. A file not listed: any sourcedId. */
  references?: Partial<Record<FileName, readonly string[]>>;
}

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const textCharacters = [...`${letters}0123456789 ,.;:'"-_()/&éñüßçÅ漢字`, '\n'];
const listItemCharacters = [...`${letters}0123456789 .-_()/&éñ`];

/** A sourcedId: `[A-Za-z0-9][A-Za-z0-9._-]{0,11}`. */
export function sourcedIdArbitrary(): fc.Arbitrary<string> {
  return fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/);
}

/** Non-empty text without surrounding whitespace; may hold commas, quotes, newlines and non-ASCII letters. */
export function textArbitrary(): fc.Arbitrary<string> {
  return fc
    .string({ unit: fc.constantFrom(...textCharacters), minLength: 1, maxLength: 24 })
    .map((text) => text.trim())
    .filter((text) => text !== '');
}

/** An item of a comma-separated list: non-empty, no comma, no surrounding whitespace, no newline. */
export function listItemArbitrary(): fc.Arbitrary<string> {
  return fc
    .string({ unit: fc.constantFrom(...listItemCharacters), minLength: 1, maxLength: 16 })
    .map((text) => text.trim())
    .filter((text) => text !== '');
}

const firstDay = Date.UTC(2000, 0, 1);
const dayCount = 40 * 366;
const dayLength = 86_400_000;

/** `YYYY-MM-DD` between 2000 and 2040. */
export function dateArbitrary(): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: dayCount })
    .map((day) => new Date(firstDay + day * dayLength).toISOString().slice(0, 10));
}

/** An ISO 8601 UTC datetime with milliseconds, `2026-01-02T03:04:05.000Z`. */
export function datetimeArbitrary(): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: dayCount * dayLength - 1 })
    .map((offset) => new Date(firstDay + offset).toISOString());
}

/** A canonical decimal: up to three decimals, |value| ≤ 10⁸, as `String(number)` writes it (`12.5`, `-3`, `0.125`). */
export function floatTextArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.integer({ min: 0, max: 3 }))
    .map(([units, decimals]) => formatFloat(units / 10 ** decimals + 0));
}

/** One `{type:identifier}` item, such as `{LDAP:12}`; the identifier may hold `:`, `{` and `}`. */
export function userIdItemArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(
        fc.constantFrom('LDAP', 'SIS', 'Fed', 'email', 'state'),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/),
      ),
      fc
        .stringMatching(/^[A-Za-z0-9@.:{}_-]{1,16}$/)
        .filter((identifier) => identifier.trim() === identifier),
    )
    .map(([type, identifier]) => `{${type}:${identifier}}`);
}

/** `metadata.<name>` column names, unique. */
export function metadataColumnsArbitrary(maxLength = 2): fc.Arbitrary<string[]> {
  return fc
    .uniqueArray(fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/), { maxLength })
    .map((names) => names.map((name) => `${metadataColumnPrefix}${name}`));
}

function joined(items: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return items.map((list) => list.join(','));
}

function optional(required: boolean, cell: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return required ? cell : fc.oneof(fc.constant(''), cell);
}

function referenceArbitrary(pool: readonly string[] | undefined): fc.Arbitrary<string> {
  return pool !== undefined && pool.length > 0 ? fc.constantFrom(...pool) : sourcedIdArbitrary();
}

function referencesArbitrary(pool: readonly string[] | undefined, minLength: number): fc.Arbitrary<string[]> {
  if (pool !== undefined && pool.length > 0) {
    return fc.shuffledSubarray([...pool], {
      minLength: Math.min(minLength, pool.length),
      maxLength: Math.min(3, pool.length),
    });
  }
  return fc.uniqueArray(sourcedIdArbitrary(), { minLength, maxLength: 3 });
}

/** Columns whose values the spec narrows beyond their kind in `files.ts`. */
const columnOverrides: Partial<
  Record<FileName, Record<string, (required: boolean) => fc.Arbitrary<string>>>
> = {
  // An email address that looks like one, so the validator has nothing to warn about.
  users: {
    email: (required) =>
      optional(
        required,
        fc
          .tuple(
            fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/),
            fc.constantFrom('example.org', 'school.example'),
          )
          .map(([local, domain]) => `${local}@${domain}`),
      ),
  },
  // resources.roles is a list of role vocabulary values.
  resources: {
    roles: (required) =>
      joined(fc.uniqueArray(fc.constantFrom(...roleTypes), { minLength: required ? 1 : 0, maxLength: 3 })),
  },
};

function cellArbitrary(
  file: FileName,
  column: ColumnSpec,
  mode: DataMode,
  references: CsvRowOptions['references'],
): fc.Arbitrary<string> {
  const { kind, required } = column;
  const override = columnOverrides[file]?.[column.name];
  if (override) return override(required);
  switch (kind.type) {
    case 'id':
      return sourcedIdArbitrary();
    case 'status':
      return mode === 'bulk' ? fc.constant('') : fc.constantFrom(...vocabularies.status);
    case 'dateLastModified':
      return mode === 'bulk' ? fc.constant('') : datetimeArbitrary();
    case 'string':
      return optional(required, textArbitrary());
    case 'enum':
      return optional(required, fc.constantFrom(...vocabularies[kind.vocabulary]));
    case 'date':
      return optional(required, dateArbitrary());
    case 'datetime':
      return optional(required, datetimeArbitrary());
    case 'boolean':
      return optional(required, fc.constantFrom('true', 'false'));
    case 'float':
      return optional(required, floatTextArbitrary());
    case 'year':
      return optional(
        required,
        fc.integer({ min: 1990, max: 2099 }).map((year) => String(year)),
      );
    case 'list':
      return joined(fc.array(listItemArbitrary(), { minLength: required ? 1 : 0, maxLength: 3 }));
    case 'grades':
      return joined(
        fc.uniqueArray(fc.constantFrom(...gradeCodes), { minLength: required ? 1 : 0, maxLength: 3 }),
      );
    case 'userIds':
      return joined(fc.array(userIdItemArbitrary(), { minLength: required ? 1 : 0, maxLength: 3 }));
    case 'ref':
      return kind.many === true
        ? joined(referencesArbitrary(references?.[kind.target], required ? 1 : 0))
        : optional(required, referenceArbitrary(references?.[kind.target]));
  }
}

/** Pairs of columns whose values are kept in order (the second not before the first). */
const orderedPairs: Partial<Record<FileName, ReadonlyArray<readonly [string, string, 'text' | 'number']>>> = {
  academicSessions: [['startDate', 'endDate', 'text']],
  enrollments: [['beginDate', 'endDate', 'text']],
  lineItems: [
    ['assignDate', 'dueDate', 'text'],
    ['resultValueMin', 'resultValueMax', 'number'],
  ],
};

function putInOrder(file: FileName, row: CsvRow): CsvRow {
  for (const [first, second, comparison] of orderedPairs[file] ?? []) {
    const a = row[first] ?? '';
    const b = row[second] ?? '';
    if (a === '' || b === '') continue;
    const outOfOrder = comparison === 'number' ? Number(a) > Number(b) : a > b;
    if (outOfOrder) {
      row[first] = b;
      row[second] = a;
    }
  }
  return row;
}

/** A normalized row of `file`: every spec column in spec order, then the requested `metadata.*` columns. */
export function csvRowArbitrary(file: FileName, options: CsvRowOptions = {}): fc.Arbitrary<CsvRow> {
  const modes =
    options.mode === undefined ? fc.constantFrom<DataMode>('bulk', 'delta') : fc.constant(options.mode);
  return modes.chain((mode) => {
    const cells: Record<string, fc.Arbitrary<string>> = {};
    for (const column of fileSpecs[file]) {
      cells[column.name] =
        column.kind.type === 'id' && options.sourcedId !== undefined
          ? options.sourcedId
          : cellArbitrary(file, column, mode, options.references);
    }
    for (const name of options.metadataColumns ?? []) cells[name] = optional(false, textArbitrary());
    return fc.record(cells).map((row) => putInOrder(file, { ...row }));
  });
}

/** A row of `file` with its own random `metadata.*` columns (zero to two): for tests of one row at a time. */
export function csvRowWithMetadataArbitrary(
  file: FileName,
  options: Omit<CsvRowOptions, 'metadataColumns'> = {},
) {
  return metadataColumnsArbitrary().chain((metadataColumns) =>
    csvRowArbitrary(file, { ...options, metadataColumns }),
  );
}

export interface CsvTableOptions {
  mode?: DataMode;
  /** The rows' sourcedIds, one row each. Default: 0 to `maxRows` unique random ids. */
  sourcedIds?: readonly string[];
  maxRows?: number;
  references?: Partial<Record<FileName, readonly string[]>>;
  /** Adjusts each row after it is generated (index in the table, and a random number to draw with). */
  adjustRow?: (row: CsvRow, index: number, draw: number) => CsvRow;
}

/** A table of `file`: one mode, unique sourcedIds, the spec header plus zero to two `metadata.*` columns. */
export function csvTableArbitrary(file: FileName, options: CsvTableOptions = {}): fc.Arbitrary<CsvTable> {
  const modes =
    options.mode === undefined ? fc.constantFrom<DataMode>('bulk', 'delta') : fc.constant(options.mode);
  const ids =
    options.sourcedIds === undefined
      ? fc.uniqueArray(sourcedIdArbitrary(), { maxLength: options.maxRows ?? 5 })
      : fc.constant([...options.sourcedIds]);
  return fc.tuple(modes, metadataColumnsArbitrary(), ids).chain(([mode, metadataColumns, sourcedIds]) =>
    fc
      .tuple(
        ...sourcedIds.map((sourcedId) =>
          fc.tuple(
            csvRowArbitrary(file, {
              mode,
              metadataColumns,
              sourcedId: fc.constant(sourcedId),
              ...(options.references === undefined ? {} : { references: options.references }),
            }),
            fc.nat(),
          ),
        ),
      )
      .map((drawn) => ({
        mode,
        columns: [...headerOf(file), ...metadataColumns],
        rows: drawn.map(([row, draw], index) => options.adjustRow?.(row, index, draw) ?? row),
      })),
  );
}

export interface CsvDatasetOptions {
  /** Rows per file, at least 1. Default 4. */
  maxRowsPerFile?: number;
}

/**
 * A whole package: all 13 files, each bulk or delta, whose references all resolve. What it guarantees beyond each
 * row being normalized: sourcedIds are unique per file; every reference names a row of the right file; org and
 * session parents come earlier in their file (no cycles, no self-parent); the first org is a district and the
 * others schools when there are several, and every `schoolSourcedId` names a school; results and users' agents never
 * name the row itself; results name users whose role is `student`; demographics rows are users' sourcedIds.
 */
export function csvDatasetArbitrary(options: CsvDatasetOptions = {}): fc.Arbitrary<CsvDataset> {
  const maxLength = Math.max(1, options.maxRowsPerFile ?? 4);
  const pool = () => fc.uniqueArray(sourcedIdArbitrary(), { minLength: 1, maxLength });
  const pools = fc.record(
    Object.fromEntries(fileNames.map((file) => [file, pool()])) as Record<FileName, fc.Arbitrary<string[]>>,
  );
  const modes = fc.record(
    Object.fromEntries(fileNames.map((file) => [file, fc.constantFrom<DataMode>('bulk', 'delta')])) as Record<
      FileName,
      fc.Arbitrary<DataMode>
    >,
  );
  return fc.tuple(pools, modes).chain(([ids, fileModes]) => {
    const userIds = ids.users;
    const studentCount = Math.max(1, Math.ceil(userIds.length / 2));
    const students = userIds.slice(0, studentCount);
    const orgIds = ids.orgs;
    const schools = orgIds.length > 1 ? orgIds.slice(1) : orgIds;
    return fc.tuple(fc.subarray(userIds, { minLength: 1 })).chain(([demographicIds]) => {
      const references: Partial<Record<FileName, readonly string[]>> = { ...ids };
      const tables = fileNames.map((file) => {
        const sourcedIds = file === 'demographics' ? demographicIds : ids[file];
        const fileReferences = file === 'results' ? { ...references, users: students } : references;
        return csvTableArbitrary(file, {
          mode: fileModes[file],
          sourcedIds,
          references: fileReferences,
          adjustRow: (row, index, draw) =>
            adjustDatasetRow(file, row, index, draw, {
              orgIds,
              sessionIds: ids.academicSessions,
              schools,
              students,
            }),
        }).map((table) => [file, table] as const);
      });
      return fc.tuple(...tables).map((entries) => {
        const files = Object.fromEntries(
          fileNames.map((file) => [file, fileModes[file]]),
        ) as Manifest['files'];
        const manifest: Manifest = {
          manifestVersion: '1.0',
          onerosterVersion: '1.1',
          files,
          properties: { 'source.systemName': 'fast-check', 'source.systemCode': 'arbitrary' },
        };
        return { manifest, tables: Object.fromEntries(entries) } satisfies CsvDataset;
      });
    });
  });
}

interface DatasetPlan {
  orgIds: readonly string[];
  sessionIds: readonly string[];
  schools: readonly string[];
  students: readonly string[];
}

function pick<Item>(items: readonly Item[], draw: number): Item | undefined {
  return items.length === 0 ? undefined : items[draw % items.length];
}

function adjustDatasetRow(
  file: FileName,
  row: CsvRow,
  index: number,
  draw: number,
  plan: DatasetPlan,
): CsvRow {
  const sourcedId = row.sourcedId ?? '';
  switch (file) {
    case 'orgs':
    case 'academicSessions': {
      // A parent, when there is one, comes earlier in the file: no cycles, no self-parent.
      row.parentSourcedId = '';
      if (index > 0 && draw % 2 === 0) {
        const earlier = (file === 'orgs' ? plan.orgIds : plan.sessionIds).slice(0, index);
        row.parentSourcedId = pick(earlier, draw >> 1) ?? '';
      }
      if (file === 'orgs') row.type = plan.orgIds.length > 1 && index === 0 ? 'district' : 'school';
      return row;
    }
    case 'users': {
      if (plan.students.includes(sourcedId)) row.role = 'student';
      const agents = (row.agentSourcedIds ?? '').split(',').filter((id) => id !== '' && id !== sourcedId);
      row.agentSourcedIds = agents.join(',');
      return row;
    }
    case 'classes':
    case 'enrollments':
      row.schoolSourcedId = pick(plan.schools, draw) ?? row.schoolSourcedId ?? '';
      return row;
    default:
      return row;
  }
}
