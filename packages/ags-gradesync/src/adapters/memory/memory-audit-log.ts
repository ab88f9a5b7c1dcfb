import type { AuditEntry, AuditLog, RunRecord } from '../../ports.ts';

/** The audit log and run records in memory. */
export function createMemoryAuditLog(): AuditLog {
  const entries = new Map<string, AuditEntry>();
  const runs = new Map<string, RunRecord>();
  return {
    async append(entry) {
      if (entries.has(entry.key)) return false;
      entries.set(entry.key, entry);
      return true;
    },
    async list(filter = {}) {
      return [...entries.values()].filter(
        (entry) =>
          (filter.lmsId === undefined || entry.lmsId === filter.lmsId) &&
          (filter.bindingId === undefined || entry.bindingId === filter.bindingId) &&
          (filter.runId === undefined || entry.runId === filter.runId) &&
          (filter.kind === undefined || entry.kind === filter.kind) &&
          (filter.lineItemId === undefined || entry.lineItemId === filter.lineItemId) &&
          (filter.userId === undefined || entry.userId === filter.userId),
      );
    },
    async saveRun(run) {
      runs.set(run.id, run);
    },
    async getRun(id) {
      return runs.get(id);
    },
    async listRuns(filter = {}) {
      const matching = [...runs.values()]
        .filter(
          (run) =>
            (filter.bindingId === undefined || run.bindingId === filter.bindingId) &&
            (filter.tenantId === undefined || run.tenantId === filter.tenantId),
        )
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.id.localeCompare(a.id));
      return filter.limit === undefined ? matching : matching.slice(0, filter.limit);
    },
  };
}
