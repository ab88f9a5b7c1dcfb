/**
 * Turns a parsed, checked mapping into functions over rows, once per export: a test per condition, a walk per
 * lookup path, a value per output column. The steps a column's value goes through, in order: its source's values
 * (one per reached row or list item, blanks included), `map`, `dateFormat`, `index`, blanks dropped, `distinct`,
 * joined with `separator`, then `default` if the result is blank.
 */
import type { CsvRow } from '../csv/dataset.ts';
import type { FileName } from '../model/files.ts';
import { parseUserIds } from '../model/multivalue.ts';
import { specColumn } from './check-mapping.ts';
import { type DatasetIndex, isMultiValued, valuesOf } from './dataset-index.ts';
import type { Condition, OutputColumn, Step } from './schema.ts';
import { parseTemplate, renderTemplate, type TemplatePart } from './template.ts';

export type RowTest = (row: CsvRow) => boolean;
export type RowWalk = (row: CsvRow) => CsvRow[];

const always: RowTest = () => true;

export function compileConditions(
  index: DatasetIndex,
  file: FileName,
  conditions: readonly Condition[] | undefined,
): RowTest {
  if (conditions === undefined || conditions.length === 0) return always;
  const tests = conditions.map((condition) => compileCondition(index, file, condition));
  return (row) => tests.every((test) => test(row));
}

function compileCondition(index: DatasetIndex, file: FileName, condition: Condition): RowTest {
  if (condition.status !== undefined) {
    const wanted = condition.status;
    return (row) => {
      const status = row.status ?? '';
      return wanted === 'active' ? status === '' || status === 'active' : status === 'tobedeleted';
    };
  }
  if (condition.exists !== undefined) {
    const { walk } = compilePath(index, file, condition.exists);
    return (row) => walk(row).length > 0;
  }
  if (condition.anyOf !== undefined) {
    const tests = condition.anyOf.map((inner) => compileCondition(index, file, inner));
    return (row) => tests.some((test) => test(row));
  }
  if (condition.not !== undefined) {
    const test = compileCondition(index, file, condition.not);
    return (row) => !test(row);
  }
  const column = condition.column ?? '';
  const cellTest = compileCellTest(condition, column);
  if (condition.via === undefined) return (row) => cellTest(file, row);
  const { walk, end } = compilePath(index, file, condition.via);
  return (row) => walk(row).some((reached) => cellTest(end, reached));
}

function compileCellTest(condition: Condition, column: string): (file: FileName, row: CsvRow) => boolean {
  const { equals, notEquals, includes, empty } = condition;
  if (equals !== undefined) return (_file, row) => (row[column] ?? '') === equals;
  if (notEquals !== undefined) return (_file, row) => (row[column] ?? '') !== notEquals;
  if (condition.in !== undefined) {
    const values = new Set(condition.in);
    return (_file, row) => values.has(row[column] ?? '');
  }
  if (condition.notIn !== undefined) {
    const values = new Set(condition.notIn);
    return (_file, row) => !values.has(row[column] ?? '');
  }
  if (includes !== undefined) return (file, row) => valuesOf(file, column, row).includes(includes);
  return (_file, row) => ((row[column] ?? '') === '') === empty;
}

/** A walk from one row through the steps to the rows reached (each once, in the order first reached). */
function compilePath(
  index: DatasetIndex,
  file: FileName,
  steps: readonly Step[],
): { walk: RowWalk; end: FileName } {
  let current = file;
  const hops: Array<(rows: CsvRow[]) => CsvRow[]> = [];
  for (const step of steps) {
    const from = current;
    let next: FileName;
    let reach: (row: CsvRow) => readonly CsvRow[];
    if (step.follow !== undefined) {
      const column = step.follow;
      // check-mapping guarantees a target: the spec's reference target, or `to`.
      next = step.to ?? referenceTarget(from, column);
      const target = next;
      reach = (row) => {
        const found: CsvRow[] = [];
        for (const id of valuesOf(from, column, row)) {
          const hit = index.byId(target, id);
          if (hit !== undefined) found.push(hit);
        }
        return found;
      };
    } else {
      next = step.find as FileName;
      const target = next;
      const whose = step.whose ?? '';
      reach = (row) => index.referencing(target, whose, row.sourcedId ?? '');
    }
    const keep = compileConditions(index, next, step.where);
    hops.push((rows) => {
      const seen = new Set<CsvRow>();
      for (const row of rows) {
        for (const reached of reach(row)) if (!seen.has(reached) && keep(reached)) seen.add(reached);
      }
      return [...seen];
    });
    current = next;
  }
  return {
    end: current,
    walk: (row) => hops.reduce((rows, hop) => hop(rows), [row]),
  };
}

function referenceTarget(file: FileName, column: string): FileName {
  const kind = specColumn(file, column)?.kind;
  if (kind?.type !== 'ref') throw new Error(`unchecked mapping: ${file}.${column} is not a reference`);
  return kind.target;
}

const templatePartsOf = (template: string): TemplatePart[] => {
  const parts = parseTemplate(template);
  if (typeof parts === 'string') throw new Error(`unchecked mapping: ${parts}`);
  return parts;
};

/** The function that computes one output column's text for a row of `file`. */
export function compileColumn(
  index: DatasetIndex,
  file: FileName,
  column: OutputColumn,
): (row: CsvRow) => string {
  const items = compileSource(index, file, column);
  const { map, dateFormat, separator = ',' } = column;
  const distinct = column.distinct ?? column.lookup !== undefined;
  const position = column.index;
  const fallback = column.default ?? '';
  const formatDate = dateFormat === undefined ? undefined : dateFormatter(dateFormat);
  return (row) => {
    let values = items(row);
    if (map !== undefined)
      values = values.map((value) => (Object.hasOwn(map, value) ? (map[value] ?? value) : value));
    if (formatDate !== undefined) values = values.map(formatDate);
    if (position !== undefined) {
      // By position among all the values, blanks included, so that columns taking the same position of the same
      // lookup (a first contact's name, email and phone) describe the same row.
      const value = values.at(position);
      values = value === undefined ? [] : [value];
    }
    values = values.filter((value) => value !== '');
    if (distinct) values = [...new Set(values)];
    const text = values.join(separator);
    return text === '' ? fallback : text;
  };
}

function compileSource(index: DatasetIndex, file: FileName, column: OutputColumn): (row: CsvRow) => string[] {
  if (column.column !== undefined) {
    const name = column.column;
    return (row) => valuesOf(file, name, row);
  }
  if (column.fixed !== undefined) {
    const fixed = [column.fixed];
    return () => fixed;
  }
  if (column.template !== undefined) {
    const parts = templatePartsOf(column.template);
    return (row) => [renderTemplate(parts, (name) => row[name] ?? '')];
  }
  if (column.userId !== undefined) {
    const type = column.userId;
    return (row) =>
      (parseUserIds(row.userIds ?? '') ?? [])
        .filter((userId) => userId.type === type)
        .map((userId) => userId.identifier);
  }
  if (column.lookup !== undefined) {
    const { walk, end } = compilePath(index, file, column.lookup.path);
    const { take, template } = column.lookup;
    if (template !== undefined) {
      const parts = templatePartsOf(template);
      return (row) => walk(row).map((reached) => renderTemplate(parts, (name) => reached[name] ?? ''));
    }
    const taken = take ?? 'sourcedId';
    // One value per reached row (blank included) for single-valued columns, so positions match rows.
    if (!isMultiValued(end, taken)) return (row) => walk(row).map((reached) => reached[taken] ?? '');
    return (row) => walk(row).flatMap((reached) => valuesOf(end, taken, reached));
  }
  const cases = (column.cases ?? []).map((entry) => ({
    test: compileConditions(index, file, Array.isArray(entry.when) ? entry.when : [entry.when]),
    value: [entry.value],
  }));
  return (row) => cases.find((entry) => entry.test(row))?.value ?? [];
}

/** `MM/DD/YYYY` → a function rewriting `2026-01-05` (or a datetime's date part) as `01/05/2026`; others kept. */
function dateFormatter(format: string): (value: string) => string {
  return (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value);
    if (!match) return value;
    const [, year = '', month = '', day = ''] = match;
    const tokens: Record<string, string> = {
      YYYY: year,
      YY: year.slice(2),
      MM: month,
      M: String(Number(month)),
      DD: day,
      D: String(Number(day)),
    };
    return format.replace(/YYYY|YY|MM|M|DD|D/g, (token) => tokens[token] ?? token);
  };
}
