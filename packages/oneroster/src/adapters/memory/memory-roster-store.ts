/**
 * The roster store in memory: for tests and single-process demos. It evaluates queries with the filter module's
 * in-memory semantics, which the PostgreSQL adapter is tested against, so both answer alike.
 */
import { compareEntities, compareText, matchesFilter } from '../../filter/evaluate.ts';
import type { FileName } from '../../model/files.ts';
import { contentKey } from '../../store/entity-content.ts';
import {
  classEmptiedFinding,
  guardedFiles,
  maxListedClasses,
  removedShareFinding,
} from '../../store/import-guard.ts';
import type {
  CommitOptions,
  ImportCounts,
  ImportFileCounts,
  ImportGuardFinding,
  ImportOutcome,
  ImportSession,
  ListRequest,
  ListResult,
  Membership,
  RosterStore,
  StoredEntity,
  WritableFile,
} from '../../store/roster-store.ts';

type Table = Map<string, StoredEntity>;
type TenantData = Map<FileName, Table>;

const isActive = (entity: Readonly<Record<string, unknown>> | undefined): boolean =>
  entity !== undefined && entity.status !== 'tobedeleted';

function referenceId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const sourcedId = (value as { sourcedId?: unknown }).sourcedId;
  return typeof sourcedId === 'string' ? sourcedId : undefined;
}

function referenceIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map(referenceId).filter((id) => id !== undefined) : [];
}

function clone<Value>(value: Value): Value {
  return structuredClone(value);
}

export function createMemoryRosterStore(): RosterStore {
  const tenants = new Map<string, TenantData>();

  function tableOf(tenantId: string, file: FileName): Table {
    let data = tenants.get(tenantId);
    if (data === undefined) {
      data = new Map();
      tenants.set(tenantId, data);
    }
    let table = data.get(file);
    if (table === undefined) {
      table = new Map();
      data.set(file, table);
    }
    return table;
  }

  function activeRows(tenantId: string, file: FileName): StoredEntity[] {
    return [...tableOf(tenantId, file).values()].filter(isActive);
  }

  function memberIds(tenantId: string, membership: Membership): Set<string> {
    switch (membership.type) {
      case 'usersInClass':
        return new Set(
          activeRows(tenantId, 'enrollments')
            .filter(
              (enrollment) =>
                referenceId(enrollment.class) === membership.classSourcedId &&
                (membership.role === undefined || enrollment.role === membership.role) &&
                (membership.schoolSourcedId === undefined ||
                  referenceId(enrollment.school) === membership.schoolSourcedId),
            )
            .map((enrollment) => referenceId(enrollment.user) ?? ''),
        );
      case 'classesOfUser':
        return new Set(
          activeRows(tenantId, 'enrollments')
            .filter((enrollment) => referenceId(enrollment.user) === membership.userSourcedId)
            .map((enrollment) => referenceId(enrollment.class) ?? ''),
        );
      case 'termsOfSchool':
        return new Set(
          activeRows(tenantId, 'classes')
            .filter((row) => referenceId(row.school) === membership.schoolSourcedId)
            .flatMap((row) => referenceIds(row.terms)),
        );
      case 'resultsOfClass': {
        const lineItems = new Set(
          activeRows(tenantId, 'lineItems')
            .filter((lineItem) => referenceId(lineItem.class) === membership.classSourcedId)
            .map((lineItem) => lineItem.sourcedId),
        );
        return new Set(
          [...tableOf(tenantId, 'results').values()]
            .filter((result) => lineItems.has(referenceId(result.lineItem) ?? ''))
            .map((result) => result.sourcedId),
        );
      }
      case 'resourcesOfClass':
        return new Set(
          activeRows(tenantId, 'classResources')
            .filter((link) => referenceId(link.class) === membership.classSourcedId)
            .map((link) => referenceId(link.resource) ?? ''),
        );
      case 'resourcesOfCourse':
        return new Set(
          activeRows(tenantId, 'courseResources')
            .filter((link) => referenceId(link.course) === membership.courseSourcedId)
            .map((link) => referenceId(link.resource) ?? ''),
        );
    }
  }

  /** Fills the fields other rows derive: org and session children, class and course resources. */
  function withDerived(tenantId: string, file: FileName, entity: StoredEntity): StoredEntity {
    const copy = clone(entity);
    const references = (rows: StoredEntity[], type: string) =>
      rows.map((row) => ({ href: '', sourcedId: row.sourcedId, type }));
    const links = (linkFile: FileName, field: 'class' | 'course') =>
      activeRows(tenantId, linkFile)
        .filter((link) => referenceId(link[field]) === entity.sourcedId)
        .map((link) => referenceId(link.resource) ?? '')
        .sort(compareText)
        .map((sourcedId) => ({ href: '', sourcedId, type: 'resource' }));
    let derived: unknown[] = [];
    let property: string | undefined;
    switch (file) {
      case 'orgs':
      case 'academicSessions': {
        property = 'children';
        const children = activeRows(tenantId, file)
          .filter((row) => referenceId(row.parent) === entity.sourcedId)
          .sort(compareEntities(undefined));
        derived = references(children, file === 'orgs' ? 'org' : 'academicSession');
        break;
      }
      case 'classes':
        property = 'resources';
        derived = links('classResources', 'class');
        break;
      case 'courses':
        property = 'resources';
        derived = links('courseResources', 'course');
        break;
    }
    if (property !== undefined) {
      if (derived.length > 0) copy[property] = derived;
      else delete copy[property];
    }
    return copy;
  }

  return {
    async list(tenantId: string, request: ListRequest): Promise<ListResult> {
      const members = request.membership === undefined ? undefined : memberIds(tenantId, request.membership);
      const matching = [...tableOf(tenantId, request.file).values()].filter(
        (entity) =>
          (request.includeDeleted || isActive(entity)) &&
          (members === undefined || members.has(entity.sourcedId)) &&
          (request.where === undefined || matchesFilter(entity, request.where)) &&
          (request.filter === undefined || matchesFilter(entity, request.filter)),
      );
      matching.sort(compareEntities(request.sort));
      const page = matching.slice(request.offset, request.offset + request.limit);
      return {
        entities: page.map((entity) => withDerived(tenantId, request.file, entity)),
        total: matching.length,
      };
    },

    async get(tenantId, file, sourcedId) {
      const entity = tableOf(tenantId, file).get(sourcedId);
      return entity === undefined ? undefined : withDerived(tenantId, file, entity);
    },

    async put(tenantId: string, file: WritableFile, entity: StoredEntity) {
      const table = tableOf(tenantId, file);
      const created = !table.has(entity.sourcedId);
      table.set(entity.sourcedId, clone(entity));
      return { created };
    },

    async markDeleted(tenantId, file, sourcedId, at) {
      const table = tableOf(tenantId, file);
      const entity = table.get(sourcedId);
      if (entity === undefined || !isActive(entity)) return false;
      table.set(sourcedId, { ...entity, status: 'tobedeleted', dateLastModified: at });
      return true;
    },

    async *storedIds(tenantId, file) {
      yield [...tableOf(tenantId, file).values()].filter(isActive).map((entity) => entity.sourcedId);
    },

    async beginImport(tenantId, options) {
      const staged = new Map<FileName, Map<string, Record<string, unknown>>>();
      let open = true;
      const session: ImportSession = {
        async stage(file, entities) {
          if (!open) throw new Error('This import session is over.');
          let rows = staged.get(file);
          if (rows === undefined) {
            rows = new Map();
            staged.set(file, rows);
          }
          for (const entity of entities) rows.set(String(entity.sourcedId), clone(entity));
        },
        async commit(commitOptions) {
          if (!open) throw new Error('This import session is over.');
          open = false;
          const current = tenants.get(tenantId) ?? new Map<FileName, Table>();
          const outcome = applyImport(current, staged, options.importedAt, commitOptions);
          if (outcome.outcome.status === 'applied') tenants.set(tenantId, outcome.next);
          return outcome.outcome;
        },
        async abort() {
          open = false;
          staged.clear();
        },
      };
      return session;
    },
  };
}

function emptyCounts(): ImportFileCounts {
  return { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
}

/** Applies staged rows to a copy of the tenant's data; the caller keeps the copy only when the outcome is applied. */
function applyImport(
  current: TenantData,
  staged: Map<FileName, Map<string, Record<string, unknown>>>,
  importedAt: string,
  options: CommitOptions,
): { next: TenantData; outcome: ImportOutcome } {
  const next: TenantData = new Map([...current].map(([file, table]) => [file, new Map(table)]));
  const counts: ImportCounts = {};
  let anyBulk = false;
  for (const [file, mode] of Object.entries(options.modes) as [FileName, string][]) {
    if (mode !== 'bulk' && mode !== 'delta') continue;
    const table = next.get(file) ?? new Map<string, StoredEntity>();
    next.set(file, table);
    const fileCounts = emptyCounts();
    counts[file] = fileCounts;
    const rows = staged.get(file) ?? new Map<string, Record<string, unknown>>();
    if (mode === 'bulk') {
      anyBulk = true;
      for (const [sourcedId, row] of rows) {
        const existing = table.get(sourcedId);
        if (existing !== undefined && isActive(existing) && contentKey(existing) === contentKey(row)) {
          fileCounts.unchanged++;
          continue;
        }
        table.set(sourcedId, { ...row, sourcedId, status: 'active', dateLastModified: importedAt });
        if (existing === undefined) fileCounts.inserted++;
        else fileCounts.updated++;
      }
      for (const [sourcedId, existing] of table) {
        if (rows.has(sourcedId) || !isActive(existing)) continue;
        table.set(sourcedId, { ...existing, status: 'tobedeleted', dateLastModified: importedAt });
        fileCounts.deleted++;
      }
    } else {
      for (const [sourcedId, row] of rows) {
        const existing = table.get(sourcedId);
        const entity = {
          ...row,
          sourcedId,
          status: row.status === 'tobedeleted' ? 'tobedeleted' : 'active',
          dateLastModified: typeof row.dateLastModified === 'string' ? row.dateLastModified : importedAt,
        } as StoredEntity;
        if (entity.status === 'tobedeleted') {
          if (isActive(existing)) {
            table.set(sourcedId, entity);
            fileCounts.deleted++;
          } else fileCounts.unchanged++;
          continue;
        }
        if (existing !== undefined && isActive(existing) && contentKey(existing) === contentKey(row)) {
          fileCounts.unchanged++;
          continue;
        }
        table.set(sourcedId, entity);
        if (existing === undefined) fileCounts.inserted++;
        else fileCounts.updated++;
      }
    }
  }
  const findings = anyBulk && !options.confirm ? guardFindings(current, next, counts, options) : [];
  return {
    next,
    outcome:
      findings.length > 0 ? { status: 'held', counts, guard: findings } : { status: 'applied', counts },
  };
}

function guardFindings(
  before: TenantData,
  after: TenantData,
  counts: ImportCounts,
  options: CommitOptions,
): ImportGuardFinding[] {
  const findings: ImportGuardFinding[] = [];
  for (const file of guardedFiles) {
    if (options.modes[file] !== 'bulk') continue;
    const activeBefore = [...(before.get(file)?.values() ?? [])].filter(isActive).length;
    const finding = removedShareFinding(
      file,
      activeBefore,
      counts[file]?.deleted ?? 0,
      options.guard.maxRemovedShare,
    );
    if (finding !== undefined) findings.push(finding);
  }
  const studentsPerClass = (data: TenantData) => {
    const perClass = new Map<string, number>();
    for (const enrollment of data.get('enrollments')?.values() ?? []) {
      if (!isActive(enrollment) || enrollment.role !== 'student') continue;
      const classId = referenceId(enrollment.class) ?? '';
      perClass.set(classId, (perClass.get(classId) ?? 0) + 1);
    }
    return perClass;
  };
  const beforeCounts = studentsPerClass(before);
  const afterCounts = studentsPerClass(after);
  const emptied: ImportGuardFinding[] = [];
  for (const [classId, studentsBefore] of [...beforeCounts].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    if (studentsBefore < options.guard.minClassSize || (afterCounts.get(classId) ?? 0) > 0) continue;
    // A class the import removes is the removed-share rule's business, not an emptied class.
    if (!isActive(after.get('classes')?.get(classId))) continue;
    emptied.push(classEmptiedFinding(classId, studentsBefore));
  }
  findings.push(...emptied.slice(0, maxListedClasses));
  return findings;
}
