/**
 * Checks a mapping against the OneRoster model, so mistakes surface when it is loaded rather than as blank
 * columns later: every column named exists in the file it is read from, every lookup step leads somewhere
 * definite, templates are well-formed. Each problem names its path in the mapping (`files[0].columns[3].lookup.take`).
 */
import { type FileName, fileSpecs, headerOf, metadataColumnPrefix } from '../model/files.ts';
import type { Condition, Mapping, OutputColumn, Step } from './schema.ts';
import { parseTemplate } from './template.ts';

export interface MappingIssue {
  /** Where in the mapping: `files[0].columns[3].lookup.take`. */
  path: string;
  message: string;
}

type Path = ReadonlyArray<string | number>;

/** `['files', 0, 'columns', 3, 'lookup']` → `files[0].columns[3].lookup`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text || '(mapping)';
}

function isColumnOf(file: FileName, column: string): boolean {
  return (
    headerOf(file).includes(column) ||
    (column.startsWith(metadataColumnPrefix) && column.length > metadataColumnPrefix.length)
  );
}

/** The spec column, if `column` is one. */
export const specColumn = (file: FileName, column: string) =>
  fileSpecs[file].find((spec) => spec.name === column);

function suggestion(file: FileName, column: string): string {
  const lower = column.toLowerCase();
  const close = headerOf(file).find(
    (name) => name.toLowerCase() === lower || editDistance(name.toLowerCase(), lower) <= 2,
  );
  return close === undefined ? '' : ` (did you mean "${close}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function checkMapping(mapping: Mapping): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path: formatPath(path), message });

  const checkColumn = (file: FileName, column: string, path: Path) => {
    if (!isColumnOf(file, column)) {
      report(path, `"${column}" is not a column of ${file}${suggestion(file, column)}`);
    }
  };

  const checkTemplate = (file: FileName, template: string, path: Path) => {
    const parts = parseTemplate(template);
    if (typeof parts === 'string') {
      report(path, `bad template: ${parts}`);
      return;
    }
    for (const part of parts) if ('column' in part) checkColumn(file, part.column, path);
  };

  /** Resolves a path of steps from `file`; returns the file it ends in, or undefined after reporting why not. */
  const checkPath = (file: FileName, steps: readonly Step[], path: Path): FileName | undefined => {
    let current: FileName = file;
    for (const [index, step] of steps.entries()) {
      const at = [...path, index];
      let next: FileName | undefined;
      if (step.follow !== undefined) {
        if (!isColumnOf(current, step.follow)) {
          report(
            [...at, 'follow'],
            `"${step.follow}" is not a column of ${current}${suggestion(current, step.follow)}`,
          );
          return undefined;
        }
        const kind = specColumn(current, step.follow)?.kind;
        if (kind?.type === 'ref') {
          if (step.to !== undefined && step.to !== kind.target) {
            report([...at, 'to'], `${step.follow} of ${current} refers to ${kind.target}, not ${step.to}`);
            return undefined;
          }
          next = kind.target;
        } else if (step.to === undefined) {
          report(at, `${step.follow} of ${current} is not a reference; say which file it leads to with "to"`);
          return undefined;
        } else next = step.to;
      } else if (step.find !== undefined && step.whose !== undefined) {
        next = step.find;
        if (!isColumnOf(next, step.whose)) {
          report(
            [...at, 'whose'],
            `"${step.whose}" is not a column of ${next}${suggestion(next, step.whose)}`,
          );
          return undefined;
        }
        const kind = specColumn(next, step.whose)?.kind;
        if (kind?.type === 'ref' && kind.target !== current) {
          report([...at, 'whose'], `${step.whose} of ${next} refers to ${kind.target}, not ${current}`);
          return undefined;
        }
      }
      if (next === undefined) return undefined;
      const reached = next;
      for (const [conditionIndex, condition] of (step.where ?? []).entries()) {
        checkCondition(reached, condition, [...at, 'where', conditionIndex]);
      }
      current = next;
    }
    return current;
  };

  const checkCondition = (file: FileName, condition: Condition, path: Path): void => {
    if (condition.column !== undefined) {
      const target = condition.via === undefined ? file : checkPath(file, condition.via, [...path, 'via']);
      if (target !== undefined) checkColumn(target, condition.column, [...path, 'column']);
    }
    if (condition.exists !== undefined) checkPath(file, condition.exists, [...path, 'exists']);
    for (const [index, inner] of (condition.anyOf ?? []).entries()) {
      checkCondition(file, inner, [...path, 'anyOf', index]);
    }
    if (condition.not !== undefined) checkCondition(file, condition.not, [...path, 'not']);
  };

  const checkOutputColumn = (file: FileName, column: OutputColumn, path: Path) => {
    if (column.column !== undefined) checkColumn(file, column.column, [...path, 'column']);
    if (column.template !== undefined) checkTemplate(file, column.template, [...path, 'template']);
    if (column.userId !== undefined && !headerOf(file).includes('userIds')) {
      report([...path, 'userId'], `${file} has no userIds column (only users has)`);
    }
    if (column.lookup !== undefined) {
      const { lookup } = column;
      const target = checkPath(file, lookup.path, [...path, 'lookup', 'path']);
      if (target !== undefined && lookup.take !== undefined)
        checkColumn(target, lookup.take, [...path, 'lookup', 'take']);
      if (target !== undefined && lookup.template !== undefined) {
        checkTemplate(target, lookup.template, [...path, 'lookup', 'template']);
      }
    }
    column.cases?.forEach((entry, index) => {
      const conditions = Array.isArray(entry.when) ? entry.when : [entry.when];
      const at = [...path, 'cases', index, 'when'];
      for (const [conditionIndex, condition] of conditions.entries()) {
        checkCondition(file, condition, Array.isArray(entry.when) ? [...at, conditionIndex] : at);
      }
    });
  };

  for (const [fileIndex, file] of mapping.files.entries()) {
    const at = ['files', fileIndex];
    for (const [index, condition] of (file.where ?? []).entries()) {
      checkCondition(file.from, condition, [...at, 'where', index]);
    }
    for (const [index, column] of file.columns.entries()) {
      checkOutputColumn(file.from, column, [...at, 'columns', index]);
    }
  }
  return issues;
}
