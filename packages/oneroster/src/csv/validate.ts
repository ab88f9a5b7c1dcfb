/**
 * Validating a OneRoster 1.1 CSV package, top to bottom:
 *   1. open the package (directory or zip)                       source.ts
 *   2. read manifest.csv; match the package's files to it         read-manifest.ts
 *   3. read each bulk/delta file in reference order               file-order.ts
 *      - header: names, order, case                               check-header.ts
 *      - each row: normalize or refuse each cell                  normalize.ts
 *        then required values, bulk/delta rules, ranges, references, duplicate sourcedIds
 *   4. after a file's pass: its self-references (an org's parent further down), and duplicate candidates confirmed
 *      exactly by a second pass over that file alone
 *
 * Nothing is thrown for a problem in the data: every one is a finding. Memory stays bounded: rows are streamed, and
 * the only state kept across files is one compact id set per referenced file (id-set.ts).
 *
 * Rules chosen where the spec leaves room:
 * - Bulk files should leave `status` and `dateLastModified` blank; a value there is a warning and is kept (SIS
 *   exports often fill `active`), since it changes nothing in a full replacement. Delta files require both.
 * - A row marked `tobedeleted` needs only sourcedId, status and dateLastModified; its references are not checked.
 * - A reference is resolved against the target file when the package holds it. If that file is bulk it is complete,
 *   so a miss is an error. If it is delta or absent, the id may exist in earlier data: `knownIds` decides (a miss is
 *   an error), and without it the reference is a warning (unverified). References into a file that could not be
 *   read whole (missing, cut short by malformed CSV, no sourcedId column) are not reported, to avoid a cascade.
 * - A row with the wrong number of fields is not checked further, but its sourcedId still counts as present.
 */
import { z } from 'zod';
import { OneRosterError } from '../errors.ts';
import {
  type ColumnKind,
  csvFileName,
  type FileMode,
  type FileName,
  fileNames,
  fileSpecs,
  manifestFileName,
} from '../model/files.ts';
import { checkHeader, type FileLayout } from './check-header.ts';
import { defaultMaxFindings, FindingCollector } from './collect-findings.ts';
import type { Manifest } from './dataset.ts';
import { hasSelfReference, isReferenced, readingOrder } from './file-order.ts';
import type { OneRosterCsvFinding, OneRosterCsvFindingCode } from './finding-codes.ts';
import { HashLog, IdSet, PendingIds } from './id-set.ts';
import { hasOuterSpace, isStrictDate, isStrictFloat, normalizeValue } from './normalize.ts';
import { inferredManifest, readManifest } from './read-manifest.ts';
import { MalformedCsvError, readRecords } from './read-records.ts';
import { openPackage, type PackageSource } from './source.ts';

export type DataFileMode = Exclude<FileMode, 'absent'>;

export interface ValidationProgress {
  /** The file being read, as named in the package (`users.csv`). */
  file: string;
  rows: number;
  /** Bytes of that file read so far (uncompressed). */
  bytes: number;
  /** The file's size, when the package tells it. */
  totalBytes?: number;
}

export interface ValidateOptions {
  /** How many errors, and how many warnings, to keep in the report (each; totals count them all). Default 1000. */
  maxFindings?: number;
  /**
   * For delta packages: whether a sourcedId not in the package exists in the data imported before. With it, a
   * reference to an unknown id in a delta or absent file is an error; without it, a warning (it cannot be checked).
   */
  knownIds?: (file: FileName, id: string) => boolean;
  /** Called as each file is read (about every MiB, and at its end), e.g. for a progress bar. */
  onProgress?: (progress: ValidationProgress) => void;
}

export interface ValidationReport {
  /** No errors (warnings allowed). */
  valid: boolean;
  /** Data rows read per file (blank lines and the header not counted). */
  counts: Partial<Record<FileName, number>>;
  errors: OneRosterCsvFinding[];
  warnings: OneRosterCsvFinding[];
  /** All findings, including those past `maxFindings`. */
  totals: { errors: number; warnings: number };
  /** Whether some findings were counted but not kept. */
  truncated: boolean;
  /** The manifest as read; absent when the package has no manifest.csv. */
  manifest?: Manifest;
}

/** Gets every data row after its checks, its cells normalized in place; `valid` when the row itself had no error. */
export type RowVisitor = (
  file: FileName,
  mode: DataFileMode,
  line: number,
  fields: string[],
  layout: FileLayout,
  valid: boolean,
) => void;

const optionsSchema = z
  .object({
    maxFindings: z.number().int().min(0).optional(),
    knownIds: z
      .custom<ValidateOptions['knownIds']>((value) => typeof value === 'function', 'must be a function')
      .optional(),
    onProgress: z
      .custom<ValidateOptions['onProgress']>((value) => typeof value === 'function', 'must be a function')
      .optional(),
  })
  .strict();

function parseOptions(options: ValidateOptions): ValidateOptions {
  const result = optionsSchema.safeParse(options);
  if (result.success) return options;
  const issue = result.error.issues[0];
  throw new OneRosterError(
    'ONEROSTER_INVALID_OPTIONS',
    `Invalid option ${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}.`,
    { detail: result.error.issues },
  );
}

/** Validates a package and reports every problem found. Throws only when the package cannot be read at all. */
export async function validatePackage(
  path: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const run = checkPackage(path, options);
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** What the package holds of a file, for the references that point into it. */
interface TargetState {
  file: FileName;
  /** bulk: complete here; delta: changes only; absent: not here; unchecked: cannot tell (missing, cut short). */
  mode: DataFileMode | 'absent' | 'unchecked';
  ids: IdSet | undefined;
  /** The ids of rows marked `tobedeleted`. */
  deleted: IdSet | undefined;
}

interface Context {
  source: PackageSource;
  report: FindingCollector;
  knownIds: ValidateOptions['knownIds'];
  onProgress: ValidateOptions['onProgress'];
  visit: RowVisitor | undefined;
  targets: Map<FileName, TargetState>;
  counts: Partial<Record<FileName, number>>;
}

/**
 * The validator as a generator: it yields after every chunk of every file (so a streaming reader can hand the rows
 * its visitor collected to its consumer before more are read) and returns the report.
 */
export async function* checkPackage(
  path: string,
  options: ValidateOptions = {},
  visit?: RowVisitor,
): AsyncGenerator<void, ValidationReport, undefined> {
  parseOptions(options);
  const report = new FindingCollector(options.maxFindings ?? defaultMaxFindings);
  const source = await openPackage(path);
  try {
    for (const finding of source.findings) report.addFinding(finding);

    // Which file of the package is which.
    const byLowerName = new Map<string, string>();
    for (const name of source.entries.keys()) byLowerName.set(name.toLowerCase(), name);
    const entryOf = (wanted: string): string | undefined =>
      source.entries.has(wanted) ? wanted : byLowerName.get(wanted.toLowerCase());
    const manifestEntry = entryOf(manifestFileName);
    const dataEntries = new Map<FileName, string>();
    for (const file of fileNames) {
      const name = entryOf(csvFileName(file));
      if (name === undefined) continue;
      dataEntries.set(file, name);
      if (name !== csvFileName(file)) {
        report.add(
          'ONEROSTER_CSV_FILE_NAME_CASE',
          name,
          0,
          undefined,
          name,
          `${name} was read as ${csvFileName(file)}; file names are case-sensitive.`,
        );
      }
    }
    const known = new Set([manifestEntry, ...dataEntries.values()]);
    for (const name of source.entries.keys()) {
      if (known.has(name)) continue;
      report.add(
        'ONEROSTER_CSV_FILE_UNKNOWN',
        name,
        0,
        undefined,
        name,
        `${name} is not a OneRoster 1.1 file; it was ignored.`,
      );
    }
    if (manifestEntry !== undefined && manifestEntry !== manifestFileName) {
      report.add(
        'ONEROSTER_CSV_FILE_NAME_CASE',
        manifestEntry,
        0,
        undefined,
        manifestEntry,
        `${manifestEntry} was read as ${manifestFileName}; file names are case-sensitive.`,
      );
    }

    // The manifest.
    let manifest: Manifest;
    let reportedManifest: Manifest | undefined;
    let invalidModes = new Set<FileName>();
    if (manifestEntry === undefined) {
      report.add(
        'ONEROSTER_CSV_MANIFEST_MISSING',
        manifestFileName,
        0,
        undefined,
        undefined,
        `The package has no ${manifestFileName}; every data file present was read as bulk.`,
      );
      manifest = inferredManifest(dataEntries.keys());
    } else {
      const reading = await readManifest(await source.open(manifestEntry), manifestEntry, report).catch(
        (error: unknown) => {
          throw unreadableEntry(source, manifestEntry, error);
        },
      );
      manifest = reading.manifest;
      reportedManifest = manifest;
      invalidModes = reading.invalid;
    }

    // Declared against present.
    const targets = new Map<FileName, TargetState>();
    for (const file of fileNames) {
      const mode = manifest.files[file];
      const entry = dataEntries.get(file);
      const state: TargetState = { file, mode, ids: undefined, deleted: undefined };
      if (invalidModes.has(file)) state.mode = 'unchecked';
      else if (mode !== 'absent' && entry === undefined) {
        state.mode = 'unchecked';
        report.add(
          'ONEROSTER_CSV_FILE_MISSING',
          csvFileName(file),
          0,
          undefined,
          undefined,
          `${manifestFileName} declares ${csvFileName(file)} as ${mode}, but the package does not contain it.`,
        );
      } else if (mode === 'absent' && entry !== undefined) {
        report.add(
          'ONEROSTER_CSV_FILE_NOT_DECLARED',
          entry,
          0,
          undefined,
          undefined,
          `${entry} is in the package, but ${manifestFileName} declares it absent (file.${file}); it was not read.`,
        );
      }
      targets.set(file, state);
    }

    const context: Context = {
      source,
      report,
      knownIds: options.knownIds,
      onProgress: options.onProgress,
      visit,
      targets,
      counts: {},
    };
    for (const file of readingOrder) {
      const state = targets.get(file);
      const entry = dataEntries.get(file);
      if (state === undefined || entry === undefined || (state.mode !== 'bulk' && state.mode !== 'delta'))
        continue;
      yield* checkFile(context, file, state.mode, entry);
    }

    const rank = new Map<string, number>([
      ['', 0],
      [manifestEntry ?? manifestFileName, 1],
    ]);
    readingOrder.forEach((file, index) => {
      rank.set(dataEntries.get(file) ?? csvFileName(file), index + 2);
    });
    const byPlace = (left: OneRosterCsvFinding, right: OneRosterCsvFinding) =>
      (rank.get(left.file) ?? 99) - (rank.get(right.file) ?? 99) || left.line - right.line;
    const result: ValidationReport = {
      valid: report.errorCount === 0,
      counts: context.counts,
      errors: report.errors.sort(byPlace),
      warnings: report.warnings.sort(byPlace),
      totals: { errors: report.errorCount, warnings: report.warningCount },
      truncated: report.truncated,
    };
    if (reportedManifest !== undefined) result.manifest = reportedManifest;
    return result;
  } finally {
    await source.close();
  }
}

function unreadableEntry(source: PackageSource, name: string, error: unknown): unknown {
  if (OneRosterError.is(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new OneRosterError(
    'ONEROSTER_PACKAGE_UNREADABLE',
    `Cannot read ${name} in ${source.path}: ${reason}.`,
    {
      cause: error,
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One data file.

const roleValue = 0;
const roleId = 1;
const roleStatus = 2;
const roleModified = 3;
const roleReference = 4;
const roleEmail = 5;

interface ColumnPlan {
  name: string;
  /** Field index in a record. */
  index: number;
  /** Index of this plan in the file's plans (a tag for pending self-references). */
  position: number;
  kind: ColumnKind;
  required: boolean;
  role: number;
  many: boolean;
  /** A reference within the same file (checked after the pass). */
  self: boolean;
  /** Where a cross-file reference points (demographics' sourcedId points at users). */
  target: TargetState | undefined;
}

/** Pairs of columns whose first value must not come after the second. */
const ranges: Partial<Record<FileName, ReadonlyArray<readonly [string, string]>>> = {
  academicSessions: [['startDate', 'endDate']],
  enrollments: [['beginDate', 'endDate']],
  lineItems: [
    ['assignDate', 'dueDate'],
    ['resultValueMin', 'resultValueMax'],
  ],
};

/**
 * How many distinct duplicated ids are tracked exactly, with their lines (memory bound); beyond, a repeat is reported
 * on the strength of its hash alone.
 */
const maxDuplicateCandidates = 100_000;

const progressEvery = 1 << 20;

function planColumns(context: Context, file: FileName, layout: FileLayout): ColumnPlan[] {
  const plans: ColumnPlan[] = [];
  fileSpecs[file].forEach((spec, specIndex) => {
    const index = layout.indexes[specIndex] ?? -1;
    if (index < 0) return;
    const kind = spec.kind;
    let role = roleValue;
    let target: TargetState | undefined;
    let self = false;
    let many = false;
    if (kind.type === 'id') {
      role = roleId;
      if (file === 'demographics') target = context.targets.get('users');
    } else if (kind.type === 'status') role = roleStatus;
    else if (kind.type === 'dateLastModified') role = roleModified;
    else if (kind.type === 'ref') {
      role = roleReference;
      many = kind.many === true;
      self = kind.target === file;
      if (!self) target = context.targets.get(kind.target);
    } else if (file === 'users' && spec.name === 'email') role = roleEmail;
    plans.push({
      name: spec.name,
      index,
      position: plans.length,
      kind,
      required: spec.required,
      role,
      many,
      self,
      target,
    });
  });
  return plans;
}

async function* checkFile(
  context: Context,
  file: FileName,
  mode: DataFileMode,
  entryName: string,
): AsyncGenerator<void, void, undefined> {
  const { report, source, knownIds, visit } = context;
  const state = context.targets.get(file)!;
  const totalBytes = source.entries.get(entryName)?.size;
  // A file whose ids are looked up (by other files or its own rows) keeps them in a hash table; any other file only
  // needs its duplicates, found by sorting a log of hashes after the pass.
  const ids = new IdSet();
  const log = isReferenced(file) || hasSelfReference(file) ? undefined : new HashLog();
  let deleted: IdSet | undefined;
  let layout: FileLayout | undefined;
  let plans: ColumnPlan[] = [];
  let idIndex = -1;
  let rangePairs: Array<readonly [number, number, string, string]> = [];
  let rows = 0;
  const candidates = new Set<string>();
  const pending = new PendingIds();

  const add = (
    code: OneRosterCsvFindingCode,
    line: number,
    column: string | undefined,
    value: string | undefined,
    message: string | (() => string),
  ) => report.add(code, entryName, line, column, value, message);

  const unresolved = (
    target: FileName,
    targetMode: TargetState['mode'],
    column: string,
    id: string,
    line: number,
  ) => {
    const where = csvFileName(target);
    if (targetMode === 'bulk') {
      add(
        'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
        line,
        column,
        id,
        () => `${column} ${JSON.stringify(id)} is not a sourcedId in ${where}.`,
      );
    } else if (knownIds !== undefined) {
      if (!knownIds(target, id)) {
        add(
          'ONEROSTER_CSV_REFERENCE_UNRESOLVED',
          line,
          column,
          id,
          () =>
            `${column} ${JSON.stringify(id)} is neither in ${where} (${targetMode}) nor among the known ids.`,
        );
      }
    } else {
      add(
        'ONEROSTER_CSV_REFERENCE_UNVERIFIED',
        line,
        column,
        id,
        () =>
          `${column} ${JSON.stringify(id)} is not in this package (${where} is ${targetMode}); it may exist in earlier data.`,
      );
    }
  };

  const toDeleted = (target: FileName, column: string, id: string, line: number) =>
    add(
      'ONEROSTER_CSV_REFERENCE_TO_DELETED',
      line,
      column,
      id,
      () => `${column} ${JSON.stringify(id)} names a row that ${csvFileName(target)} marks tobedeleted.`,
    );

  const checkReference = (plan: ColumnPlan, id: string, line: number, sourcedId: string) => {
    if (plan.self) {
      if (id === sourcedId) {
        add(
          'ONEROSTER_CSV_REFERENCE_TO_SELF',
          line,
          plan.name,
          id,
          () => `${plan.name} names the row itself.`,
        );
      } else if (ids.has(id)) {
        if (deleted?.has(id)) toDeleted(file, plan.name, id, line);
      } else {
        pending.push(id, line, plan.position);
      }
      return;
    }
    const target = plan.target!;
    if (target.mode === 'unchecked') return;
    if (target.ids?.has(id)) {
      if (target.deleted?.has(id)) toDeleted(target.file, plan.name, id, line);
      return;
    }
    unresolved(target.file, target.mode, plan.name, id, line);
  };

  const onHeader = (fields: string[]) => {
    layout = checkHeader(file, mode, fields, (code, column, value, message) =>
      add(code, 1, column, value, message),
    );
    plans = planColumns(context, file, layout);
    idIndex = layout.indexes[0] ?? -1;
    const fieldIndexOf = (name: string) => layout!.indexes[layout!.columns.indexOf(name)] ?? -1;
    rangePairs = (ranges[file] ?? [])
      .map(([start, end]) => [fieldIndexOf(start), fieldIndexOf(end), start, end] as const)
      .filter(([start, end]) => start >= 0 && end >= 0);
  };

  const onRecord = (fields: string[], line: number) => {
    if (layout === undefined) {
      onHeader(fields);
      return;
    }
    if (fields.length === 1 && fields[0] === '') {
      add('ONEROSTER_CSV_BLANK_LINE', line, undefined, undefined, 'A blank line was skipped.');
      return;
    }
    rows++;
    if (fields.length !== layout.width) {
      add(
        'ONEROSTER_CSV_ROW_FIELD_COUNT',
        line,
        undefined,
        undefined,
        () => `This row has ${fields.length} fields; the header has ${layout!.width}.`,
      );
      // Keep its id, so that rows referencing it do not report it missing as well.
      const id = idIndex >= 0 ? fields[idIndex] : undefined;
      if (id && log === undefined) ids.add(hasOuterSpace(id) ? id.trim() : id);
      return;
    }
    const errorsBefore = report.errorCount;
    let sourcedId = '';
    let rowDeleted = false;
    for (let position = 0; position < plans.length; position++) {
      const plan = plans[position]!;
      const raw = fields[plan.index]!;
      let value = raw;
      if (raw.length !== 0) {
        const outcome = normalizeValue(plan.kind, raw);
        if (outcome !== undefined) {
          for (const finding of outcome.findings) add(finding.code, line, plan.name, raw, finding.message);
          value = outcome.value;
          fields[plan.index] = value;
        }
      }
      switch (plan.role) {
        case roleId:
          if (value === '') {
            add('ONEROSTER_CSV_REQUIRED_VALUE_MISSING', line, plan.name, undefined, 'sourcedId is required.');
            break;
          }
          sourcedId = value;
          if (log !== undefined) log.push(value);
          else if (!ids.add(value)) {
            if (candidates.size < maxDuplicateCandidates) candidates.add(value);
            else {
              add(
                'ONEROSTER_CSV_SOURCED_ID_DUPLICATE',
                line,
                plan.name,
                value,
                () => `sourcedId ${JSON.stringify(value)} appears on an earlier row.`,
              );
            }
          }
          break;
        case roleStatus:
          if (value === '') {
            if (mode === 'delta') {
              add(
                'ONEROSTER_CSV_DELTA_STATUS_MISSING',
                line,
                plan.name,
                undefined,
                'status is required in a delta file.',
              );
            }
            break;
          }
          if (mode === 'bulk') {
            add(
              'ONEROSTER_CSV_BULK_STATUS_NOT_BLANK',
              line,
              plan.name,
              raw,
              () => `status should be blank in a bulk file; ${JSON.stringify(value)} was kept.`,
            );
          }
          if (value === 'tobedeleted') {
            rowDeleted = true;
            if (sourcedId !== '') {
              deleted ??= new IdSet();
              deleted.add(sourcedId);
            }
          }
          break;
        case roleModified:
          if (value === '') {
            if (mode === 'delta') {
              add(
                'ONEROSTER_CSV_DELTA_DATE_LAST_MODIFIED_MISSING',
                line,
                plan.name,
                undefined,
                'dateLastModified is required in a delta file.',
              );
            }
          } else if (mode === 'bulk') {
            add(
              'ONEROSTER_CSV_BULK_DATE_LAST_MODIFIED_NOT_BLANK',
              line,
              plan.name,
              raw,
              () => `dateLastModified should be blank in a bulk file; ${JSON.stringify(value)} was kept.`,
            );
          }
          break;
        default:
          if (value === '') {
            // A row marked tobedeleted only needs its sourcedId, status and dateLastModified.
            if (plan.required && !rowDeleted) {
              add(
                'ONEROSTER_CSV_REQUIRED_VALUE_MISSING',
                line,
                plan.name,
                undefined,
                () => `${plan.name} is required.`,
              );
            }
          } else if (plan.role === roleReference) {
            if (rowDeleted) break;
            if (plan.many && value.indexOf(',') !== -1) {
              for (const item of value.split(',')) checkReference(plan, item, line, sourcedId);
            } else {
              checkReference(plan, value, line, sourcedId);
            }
          } else if (plan.role === roleEmail && value.indexOf('@') === -1) {
            add(
              'ONEROSTER_CSV_EMAIL_INVALID',
              line,
              plan.name,
              value,
              () => `${JSON.stringify(value)} has no @.`,
            );
          }
      }
      if (plan.target !== undefined && plan.role === roleId && value !== '' && !rowDeleted) {
        checkReference(plan, value, line, sourcedId);
      }
    }
    for (const [startIndex, endIndex, startName, endName] of rangePairs) {
      const start = fields[startIndex]!;
      const end = fields[endIndex]!;
      if (start === '' || end === '') continue;
      const inverted =
        isStrictDate(start) && isStrictDate(end)
          ? start > end
          : isStrictFloat(start) && isStrictFloat(end) && Number(start) > Number(end);
      if (inverted) {
        add(
          'ONEROSTER_CSV_RANGE_INVERTED',
          line,
          endName,
          end,
          () => `${startName} ${start} comes after ${endName} ${end}.`,
        );
      }
    }
    if (visit !== undefined) visit(file, mode, line, fields, layout, report.errorCount === errorsBefore);
  };

  // The pass.
  let cutShort = false;
  let reserved = false;
  let reportedBytes = 0;
  let bytesRead = 0;
  const progress = () => {
    const update: ValidationProgress = { file: entryName, rows, bytes: bytesRead };
    if (totalBytes !== undefined) update.totalBytes = totalBytes;
    context.onProgress?.(update);
    reportedBytes = bytesRead;
  };
  try {
    const stream = await source.open(entryName);
    for await (const bytes of readRecords(stream, onRecord)) {
      bytesRead = bytes;
      if (!reserved && totalBytes !== undefined && rows > 0) {
        // Size the id table once from the first chunk's rows per byte, so that it rarely needs to grow.
        (log ?? ids).reserve(Math.ceil((rows / bytes) * totalBytes * 1.05));
        reserved = true;
      }
      if (context.onProgress !== undefined && bytes - reportedBytes >= progressEvery) progress();
      yield;
    }
  } catch (error) {
    if (!(error instanceof MalformedCsvError)) throw unreadableEntry(source, entryName, error);
    cutShort = true;
    add(
      'ONEROSTER_CSV_MALFORMED',
      error.line,
      undefined,
      undefined,
      `${entryName} is not valid CSV from here on: ${error.message}`,
    );
  }
  if (context.onProgress !== undefined) progress();
  context.counts[file] = rows;
  if (layout === undefined) {
    if (!cutShort)
      add('ONEROSTER_CSV_FILE_EMPTY', 0, undefined, undefined, `${entryName} has no header row.`);
    state.mode = 'unchecked';
    return;
  }

  // Self-references that were not resolved during the pass.
  const unresolvedPending: number[] = [];
  if (!cutShort) {
    for (let index = 0; index < pending.length; index++) {
      const high = pending.high(index);
      const low = pending.low(index);
      if (!ids.hasHash(high, low) || deleted?.hasHash(high, low)) unresolvedPending.push(index);
    }
  }
  let isCandidate: ((id: string) => boolean) | undefined;
  if (log !== undefined) {
    const repeated = log.repeatedHashes();
    if (repeated.size > 0) isCandidate = (id) => repeated.has(id);
  } else if (candidates.size > 0) {
    isCandidate = (id) => candidates.has(id);
  }
  if (isCandidate !== undefined || unresolvedPending.length > 0) {
    yield* secondPass(context, entryName, layout, idIndex, plans, isCandidate, pending, unresolvedPending, {
      duplicate: (id, line, firstLine) =>
        add('ONEROSTER_CSV_SOURCED_ID_DUPLICATE', line, 'sourcedId', id, () =>
          firstLine === undefined
            ? `sourcedId ${JSON.stringify(id)} appears on an earlier row.`
            : `sourcedId ${JSON.stringify(id)} is also on line ${firstLine}.`,
        ),
      selfReference: (plan, id, line) => {
        if (ids.has(id)) toDeleted(file, plan.name, id, line);
        else unresolved(file, mode, plan.name, id, line);
      },
    });
  }

  if (idIndex < 0 || cutShort) state.mode = 'unchecked';
  state.ids = isReferenced(file) ? ids : undefined;
  state.deleted = deleted;
}

interface SecondPassFindings {
  /** `firstLine` is undefined past `maxDuplicateCandidates` distinct duplicated ids (their lines are not kept). */
  duplicate: (id: string, line: number, firstLine: number | undefined) => void;
  selfReference: (plan: ColumnPlan, id: string, line: number) => void;
}

/**
 * Re-reads one file for what its first pass could only suspect: the exact lines of candidate duplicate sourcedIds
 * (a shared hash alone proves nothing), and the text of self-references left unresolved (kept only as hashes).
 */
async function* secondPass(
  context: Context,
  entryName: string,
  layout: FileLayout,
  idIndex: number,
  plans: ColumnPlan[],
  isCandidate: ((id: string) => boolean) | undefined,
  pending: PendingIds,
  unresolvedPending: readonly number[],
  found: SecondPassFindings,
): AsyncGenerator<void, void, undefined> {
  const occurrences = new Map<string, number[]>();
  const overflow = new IdSet();
  const pendingByLine = new Map<number, number[]>();
  for (const index of unresolvedPending) {
    const line = pending.line(index);
    const list = pendingByLine.get(line);
    if (list) list.push(index);
    else pendingByLine.set(line, [index]);
  }
  const scratch = new Uint32Array(2);
  const hasher = new IdSet();
  let header = true;
  const onRecord = (fields: string[], line: number) => {
    if (header) {
      header = false;
      return;
    }
    if (fields.length !== layout.width) return;
    if (isCandidate !== undefined && idIndex >= 0) {
      const raw = fields[idIndex]!;
      const id = hasOuterSpace(raw) ? raw.trim() : raw;
      if (id !== '' && isCandidate(id)) {
        const lines = occurrences.get(id);
        if (lines) lines.push(line);
        else if (occurrences.size < maxDuplicateCandidates) occurrences.set(id, [line]);
        else if (!overflow.add(id)) found.duplicate(id, line, undefined);
      }
    }
    const waiting = pendingByLine.get(line);
    if (waiting === undefined) return;
    for (const index of waiting) {
      const plan = plans[pending.tag(index)]!;
      const raw = fields[plan.index]!;
      const value = normalizeValue(plan.kind, raw)?.value ?? raw;
      for (const item of value.split(',')) {
        hasher.hashInto(item, scratch);
        if (scratch[0] === pending.high(index) && scratch[1] === pending.low(index)) {
          found.selfReference(plan, item, line);
          break;
        }
      }
    }
  };
  try {
    for await (const _bytes of readRecords(await context.source.open(entryName), onRecord)) yield;
  } catch (error) {
    if (!(error instanceof MalformedCsvError)) throw unreadableEntry(context.source, entryName, error);
  }
  for (const [id, lines] of occurrences) {
    const [first, ...others] = lines;
    if (first === undefined) continue;
    for (const line of others) found.duplicate(id, line, first);
  }
}
