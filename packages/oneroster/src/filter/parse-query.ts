/**
 * The query parameters of a collection read, parsed and checked against the entity's fields (OneRoster 1.1,
 * section 3.4): `limit`, `offset`, `sort` + `orderBy`, `filter`, `fields`.
 *
 * As 1.1 has it, a bad `filter` field is an error (nothing is returned), while an unknown `sort` field or `fields`
 * entry is a warning: the data comes back in the default order, or with all its fields, and the warning travels in
 * the response's `statusInfoSet`.
 */
import type { FileName } from '../model/files.ts';
import type { ResolvedSort, SortDirection } from './evaluate.ts';
import { fieldCatalog, queryFieldOf } from './fields.ts';
import { FilterError } from './filter-error.ts';
import { parseFilter } from './parse-filter.ts';
import { type ResolvedFilter, resolveFilter } from './resolve-filter.ts';

export interface CollectionQuery {
  filter?: ResolvedFilter;
  sort?: ResolvedSort;
  /** The top-level properties to return; absent: all of them. */
  fields?: string[];
  limit: number;
  offset: number;
}

/** A problem the response reports but still answers (a 200 with a `statusInfoSet`). */
export interface QueryWarning {
  codeMinor: 'invalid_sort_field' | 'invalid_selection_field';
  description: string;
}

export interface QueryLimits {
  /** `limit` when none is given. Default 100. */
  defaultLimit?: number;
  /** The largest `limit` honored; a larger one is lowered to it. Default 1000. */
  maxLimit?: number;
}

export interface ParsedQuery {
  query: CollectionQuery;
  warnings: QueryWarning[];
}

const wholeNumber = /^\d{1,15}$/;

function pagingValue(
  params: URLSearchParams,
  name: 'limit' | 'offset',
  fallback: number,
  minimum: number,
): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const text = raw.trim();
  const value = wholeNumber.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new FilterError(
      'ONEROSTER_QUERY_INVALID_PAGING',
      `Invalid ${name} ${JSON.stringify(raw)}: expected a whole number of at least ${minimum}.`,
      { detail: { parameter: name, value: raw } },
    );
  }
  return value;
}

function parseSort(
  file: FileName,
  params: URLSearchParams,
  warnings: QueryWarning[],
): ResolvedSort | undefined {
  const path = params.get('sort')?.trim();
  const orderBy = params.get('orderBy')?.trim().toLowerCase();
  let direction: SortDirection = 'asc';
  if (orderBy !== undefined && orderBy !== '') {
    if (orderBy === 'asc' || orderBy === 'desc') direction = orderBy;
    else {
      warnings.push({
        codeMinor: 'invalid_sort_field',
        description: `orderBy ${JSON.stringify(params.get('orderBy'))} is neither asc nor desc; sorted ascending.`,
      });
    }
  }
  if (path === undefined || path === '') return undefined;
  const field = queryFieldOf(file, path);
  if (field === undefined || !field.sortable) {
    const why =
      field === undefined ? `${file} has no field ${JSON.stringify(path)}` : `${path} holds several values`;
    warnings.push({
      codeMinor: 'invalid_sort_field',
      description: `Cannot sort by ${JSON.stringify(path)}: ${why}; the default order (sourcedId) was used.`,
    });
    return undefined;
  }
  return { field, direction };
}

/** The `fields` selection of a read (collection or single object); unknown names become a warning. */
export function parseFields(
  file: FileName,
  params: URLSearchParams,
  warnings: QueryWarning[],
): string[] | undefined {
  const raw = params.get('fields');
  if (raw === null || raw.trim() === '') return undefined;
  const selectable = fieldCatalog(file).selectableFields;
  const requested = [
    ...new Set(
      raw
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ];
  const unknown = requested.filter((name) => !selectable.has(name));
  const known = requested.filter((name) => selectable.has(name));
  if (unknown.length > 0) {
    warnings.push({
      codeMinor: 'invalid_selection_field',
      description:
        `${file} has no field ${unknown.map((name) => JSON.stringify(name)).join(', ')}; ` +
        (known.length === 0 ? 'all fields were returned.' : 'the known fields were returned.'),
    });
  }
  return known.length === 0 ? undefined : known;
}

/**
 * Parses a collection read's query parameters for `file`'s entities. Throws `FilterError` for a bad filter
 * (code minor `invalid_filter_field`) or a bad `limit`/`offset` (`invaliddata`); returns warnings for an unknown
 * sort field (`invalid_sort_field`) and unknown selected fields (`invalid_selection_field`).
 */
export function parseCollectionQuery(
  file: FileName,
  params: URLSearchParams,
  limits: QueryLimits = {},
): ParsedQuery {
  const maxLimit = limits.maxLimit ?? 1000;
  const defaultLimit = Math.min(limits.defaultLimit ?? 100, maxLimit);
  const warnings: QueryWarning[] = [];
  const limit = Math.min(pagingValue(params, 'limit', defaultLimit, 1), maxLimit);
  const offset = pagingValue(params, 'offset', 0, 0);
  const filterText = params.get('filter');
  const filter =
    filterText === null || filterText.trim() === ''
      ? undefined
      : resolveFilter(file, parseFilter(filterText));
  const sort = parseSort(file, params, warnings);
  const fields = parseFields(file, params, warnings);
  const query: CollectionQuery = { limit, offset };
  if (filter !== undefined) query.filter = filter;
  if (sort !== undefined) query.sort = sort;
  if (fields !== undefined) query.fields = fields;
  return { query, warnings };
}
