/**
 * The roster store port: where a tenant's OneRoster entities live, and what the REST API and the CSV import need
 * of it. Every call names the tenant (one district); a store never answers with another tenant's rows.
 *
 * Entities are held as the JSON binding spells them (`model/schemas.ts`), always with `status` and
 * `dateLastModified`. GUIDRef `href`s are the API's business: a store keeps whatever it was given and the API
 * rewrites them against its base URL on the way out.
 *
 * Adapters: `createMemoryRosterStore` (tests, one process) and `createPostgresRosterStore` (PostgreSQL and PGlite).
 * Both pass the contract suite in `test/roster-store-contract.ts`.
 */
import type { DataFileMode } from '../csv/validate.ts';
import type { ResolvedSort } from '../filter/evaluate.ts';
import type { ResolvedFilter } from '../filter/resolve-filter.ts';
import type { FileName } from '../model/files.ts';
import type { StatusType } from '../model/vocabulary.ts';

/** The entity files the API reads from (the class and course resource links are only reached through them). */
export type ListableFile = Exclude<FileName, 'classResources' | 'courseResources'>;

/** The gradebook files an app may write through the API. */
export type WritableFile = 'categories' | 'lineItems' | 'results';

/** An entity as a store holds it: the JSON binding's fields, with status and dateLastModified always present. */
export type StoredEntity = Record<string, unknown> & {
  sourcedId: string;
  status: StatusType;
  dateLastModified: string;
};

/**
 * A relationship a collection read is restricted to, beyond what a filter can say (it needs another file's rows).
 * Enrollments, classes, link rows and line items marked `tobedeleted` do not relate anything.
 */
export type Membership =
  /** Users with an enrollment in the class (of that role, in that school, when given). */
  | { type: 'usersInClass'; classSourcedId: string; role?: 'student' | 'teacher'; schoolSourcedId?: string }
  /** Classes the user has an enrollment in. */
  | { type: 'classesOfUser'; userSourcedId: string }
  /** Academic sessions that are a term of a class of the school. */
  | { type: 'termsOfSchool'; schoolSourcedId: string }
  /** Results for a line item of the class. */
  | { type: 'resultsOfClass'; classSourcedId: string }
  /** Resources linked to the class (classResources). */
  | { type: 'resourcesOfClass'; classSourcedId: string }
  /** Resources linked to the course (courseResources). */
  | { type: 'resourcesOfCourse'; courseSourcedId: string };

export interface ListRequest {
  file: ListableFile;
  /** The endpoint's own restriction (`type='school'` for /schools, `course.sourcedId=…` for /courses/{id}/classes). */
  where?: ResolvedFilter;
  membership?: Membership;
  /** The consumer's filter. */
  filter?: ResolvedFilter;
  sort?: ResolvedSort;
  limit: number;
  offset: number;
  /** Whether rows marked `tobedeleted` are returned (the API includes them when the filter reads status or
   * dateLastModified, so delta consumers see deletions). */
  includeDeleted: boolean;
}

export interface ListResult {
  /** The page, in order; derived fields (`children`, `resources`) filled in. */
  entities: StoredEntity[];
  /** How many entities match, all pages together. */
  total: number;
}

/** Rows per file an import inserted, updated, marked deleted and left as they were. */
export interface ImportFileCounts {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export type ImportCounts = Partial<Record<FileName, ImportFileCounts>>;

export interface ImportGuardOptions {
  /** The largest share of a tenant's active users, classes or enrollments a bulk import may remove. Default 0.1. */
  maxRemovedShare?: number;
  /** A bulk import that leaves a class of at least this many students with none is held. Default 5. */
  minClassSize?: number;
}

export const defaultImportGuard: Required<ImportGuardOptions> = { maxRemovedShare: 0.1, minClassSize: 5 };

/** Why an import was held for confirmation, with the numbers. */
export type ImportGuardFinding =
  | {
      kind: 'removedShare';
      file: 'users' | 'classes' | 'enrollments';
      /** Active rows before the import. */
      before: number;
      /** Of those, how many the import would mark deleted. */
      removed: number;
      share: number;
      maxShare: number;
      message: string;
    }
  | { kind: 'classEmptied'; classSourcedId: string; studentsBefore: number; message: string };

export type ImportOutcome =
  | { status: 'applied'; counts: ImportCounts }
  /** Nothing was changed: the counts say what the import would have done, the findings why it was held. */
  | { status: 'held'; counts: ImportCounts; guard: ImportGuardFinding[] };

export interface CommitOptions {
  /** How each file of the package is present; files not listed (or `absent`) are left untouched. */
  modes: Partial<Record<FileName, DataFileMode>>;
  /** Apply even when the guard would hold the import (an admin confirmed it). */
  confirm: boolean;
  guard: Required<ImportGuardOptions>;
}

/**
 * One import into one tenant. Rows are staged (nothing visible changes), then `commit` applies them all in one
 * transaction or `abort` drops them; either way the session is over. In a bulk file, rows get status `active` and
 * the import time as dateLastModified (unchanged rows keep theirs), and active rows absent from the file are marked
 * `tobedeleted`. In a delta file, rows keep their own status and dateLastModified; `tobedeleted` marks a row deleted.
 */
export interface ImportSession {
  /**
   * Stages rows of `file`. `mode`, when the caller knows it while staging (a validated package streams it with
   * each row), must be the mode the file is committed in; with it an adapter may load a first import into an empty
   * tenant straight into its tables. Rows given a mode repeat no sourcedId within their file (the validator makes
   * a repeat an error); without one, a repeated sourcedId keeps its last row.
   */
  stage(file: FileName, entities: readonly Record<string, unknown>[], mode?: DataFileMode): Promise<void>;
  commit(options: CommitOptions): Promise<ImportOutcome>;
  abort(): Promise<void>;
}

export interface RosterStore {
  list(tenantId: string, request: ListRequest): Promise<ListResult>;
  /** One entity by sourcedId, deleted or not, with its derived fields; `undefined` when the tenant has none. */
  get(tenantId: string, file: FileName, sourcedId: string): Promise<StoredEntity | undefined>;
  /** Inserts or replaces a gradebook entity. Resolves `created: true` when no row (deleted or not) had its id. */
  put(tenantId: string, file: WritableFile, entity: StoredEntity): Promise<{ created: boolean }>;
  /**
   * Marks an entity `tobedeleted` at `at` (an ISO datetime), so delta readers see the deletion. Resolves false when
   * there is no such entity or it is already marked.
   */
  markDeleted(tenantId: string, file: WritableFile, sourcedId: string, at: string): Promise<boolean>;
  /**
   * The sourcedIds of the tenant's active rows of `file`, in batches (in no particular order): what an import of a
   * delta package checks its references against when the package does not hold the row referenced.
   */
  storedIds(tenantId: string, file: FileName): AsyncIterable<readonly string[]>;
  /** Starts an import into the tenant. `importedAt` (ISO datetime) stamps the rows a bulk file changes. */
  beginImport(tenantId: string, options: { importedAt: string }): Promise<ImportSession>;
}
