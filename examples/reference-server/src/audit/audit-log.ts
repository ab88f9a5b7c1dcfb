import type { Clock } from '@passport/core';
import type { Queryable } from '../db/database.ts';

export interface AuditEntry {
  id: string;
  tenantId: string | null;
  /** Who did it: `cli:<user>`, `admin:<id>`, `system`. */
  actor: string;
  /** What happened, as `<subject>.<verb>`: `tenant.created`. */
  action: string;
  detail: unknown;
  at: Date;
}

export interface AuditRecord {
  tenantId: string | null;
  actor: string;
  action: string;
  detail?: Record<string, unknown>;
}

/** Appends one entry; pass the caller's transaction so the entry commits or rolls back with the change. */
export async function recordAudit(db: Queryable, record: AuditRecord, clock: Clock): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: record.tenantId,
      actor: record.actor,
      action: record.action,
      detail: JSON.stringify(record.detail ?? {}),
      at: clock.now(),
    })
    .execute();
}

/** The newest entries first, optionally for one tenant. */
export async function listAudit(
  db: Queryable,
  filter: { tenantId?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    actor: row.actor,
    action: row.action,
    detail: row.detail,
    at: row.at,
  }));
}
