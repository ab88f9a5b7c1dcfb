import type { ImportPackageResult, OneRosterCsvFinding } from '@passport/oneroster';
import type { Queryable, RosterImportsTable } from '../db/database.ts';
import type { RosterService } from './roster-service.ts';

/** How many findings an import keeps for its page (the counts are always complete). */
export const keptFindings = 200;

export interface RosterImportRecord {
  id: string;
  tenantId: string;
  source: string;
  fileName: string;
  actor: string;
  status: RosterImportsTable['status'];
  counts: Record<string, { inserted?: number; updated?: number; deleted?: number; unchanged?: number }>;
  findingCount: number;
  errorCount: number;
  findings: OneRosterCsvFinding[];
  message: string;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Imports a package into a tenant and records the outcome (applied, held by the safety guard, invalid with its
 * findings, or failed) in the import history, so district admins see every import, not only the last one. The
 * import itself leaves prior data intact when it does not apply.
 */
export async function importWithHistory(
  db: Queryable,
  roster: RosterService,
  input: {
    tenantId: string;
    path: string;
    fileName: string;
    source: string;
    actor: string;
    confirm?: boolean;
    /** Said with an import that applied (what a pull left out, say). */
    note?: string;
    /** When the import began (a pull began before its package existed). Default now. */
    startedAt?: Date;
  },
): Promise<{ record: RosterImportRecord; result?: ImportPackageResult }> {
  const startedAt = input.startedAt ?? new Date();
  let result: ImportPackageResult | undefined;
  let message = '';
  try {
    result = await roster.importPackage(input.tenantId, input.path, { confirm: input.confirm === true });
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  const findings = result === undefined ? [] : [...result.report.errors, ...result.report.warnings];
  const record: RosterImportRecord = {
    id: crypto.randomUUID(),
    tenantId: input.tenantId,
    source: input.source,
    fileName: input.fileName,
    actor: input.actor,
    status: result?.status ?? 'failed',
    counts: result !== undefined && 'counts' in result ? (result.counts as RosterImportRecord['counts']) : {},
    findingCount: result === undefined ? 0 : result.report.totals.errors + result.report.totals.warnings,
    errorCount: result?.report.totals.errors ?? 0,
    findings: findings.slice(0, keptFindings),
    message:
      result?.status === 'held'
        ? result.guard.map((finding) => finding.message).join(' ')
        : message ||
          (result?.status === 'invalid'
            ? 'The package has errors: nothing was changed.'
            : (input.note ?? '')),
    startedAt,
    finishedAt: new Date(),
  };
  await saveImport(db, record);
  return { record, ...(result === undefined ? {} : { result }) };
}

/**
 * Records an import that failed before a package existed (the source could not be read): nothing was changed, and
 * the district admin sees why in the history like any other import.
 */
export async function recordFailedImport(
  db: Queryable,
  input: {
    tenantId: string;
    fileName: string;
    source: string;
    actor: string;
    message: string;
    startedAt: Date;
  },
): Promise<RosterImportRecord> {
  const record: RosterImportRecord = {
    id: crypto.randomUUID(),
    tenantId: input.tenantId,
    source: input.source,
    fileName: input.fileName,
    actor: input.actor,
    status: 'failed',
    counts: {},
    findingCount: 0,
    errorCount: 0,
    findings: [],
    message: input.message,
    startedAt: input.startedAt,
    finishedAt: new Date(),
  };
  await saveImport(db, record);
  return record;
}

async function saveImport(db: Queryable, record: RosterImportRecord): Promise<void> {
  await db
    .insertInto('roster_imports')
    .values({
      id: record.id,
      tenant_id: record.tenantId,
      source: record.source,
      file_name: record.fileName,
      actor: record.actor,
      status: record.status,
      counts: JSON.stringify(record.counts),
      finding_count: record.findingCount,
      error_count: record.errorCount,
      findings: JSON.stringify(record.findings),
      message: record.message,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
    })
    .execute();
}

export async function listImports(
  db: Queryable,
  tenantId: string,
  limit = 50,
): Promise<RosterImportRecord[]> {
  const rows = await db
    .selectFrom('roster_imports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function getImport(
  db: Queryable,
  tenantId: string,
  id: string,
): Promise<RosterImportRecord | undefined> {
  const row = await db
    .selectFrom('roster_imports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

function toRecord(row: {
  id: string;
  tenant_id: string;
  source: string;
  file_name: string;
  actor: string;
  status: RosterImportsTable['status'];
  counts: unknown;
  finding_count: number;
  error_count: number;
  findings: unknown;
  message: string;
  started_at: Date;
  finished_at: Date;
}): RosterImportRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    source: row.source,
    fileName: row.file_name,
    actor: row.actor,
    status: row.status,
    counts: (row.counts ?? {}) as RosterImportRecord['counts'],
    findingCount: row.finding_count,
    errorCount: row.error_count,
    findings: (row.findings ?? []) as OneRosterCsvFinding[],
    message: row.message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
