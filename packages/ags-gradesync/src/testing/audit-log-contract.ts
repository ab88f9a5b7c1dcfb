import { describe, expect, it } from 'vitest';
import type { AuditLog, RunRecord } from '../ports.ts';
import { at } from './fixtures.ts';

const run = (id: string, minute: number, overrides: Partial<RunRecord> = {}): RunRecord => ({
  id,
  tenantId: 'tenant-1',
  bindingId: 'binding-1',
  lmsId: 'lms-1',
  trigger: 'schedule',
  startedAt: at(minute),
  finishedAt: at(minute + 1),
  statistics: {
    considered: 3,
    queued: 1,
    unchanged: 2,
    stale: 0,
    unmatched: 0,
    ambiguous: 0,
    notGradable: 0,
    notLinked: 0,
    byLineItem: {
      'line-item-1': {
        considered: 3,
        queued: 1,
        unchanged: 2,
        stale: 0,
        unmatched: 0,
        ambiguous: 0,
        notGradable: 0,
        notLinked: 0,
      },
    },
    lineItemsCreated: 0,
    findings: [{ code: 'GRADESYNC_LEARNER_UNMATCHED', learnerExternalId: 'x', message: 'x has no LMS user' }],
  },
  ...overrides,
});

/** The behavior every `AuditLog` adapter must have. `create` answers an empty log. */
export function describeAuditLogContract(name: string, create: () => Promise<AuditLog>): void {
  describe(`AuditLog contract: ${name}`, () => {
    it('appends each key once and lists in append order with filters', async () => {
      const audit = await create();
      const sent = {
        key: 'score-sent:e1:1',
        at: at(1),
        kind: 'score-sent' as const,
        lmsId: 'lms-1',
        bindingId: 'binding-1',
        runId: 'run-1',
        lineItemId: 'line-item-1',
        userId: 'user-1',
        detail: { previous: null, next: { scoreGiven: 80 } },
      };
      expect(await audit.append(sent)).toBe(true);
      expect(await audit.append({ ...sent, at: at(2) })).toBe(false);
      const switched = {
        key: 'mode-switched:1',
        at: at(0),
        kind: 'mode-switched' as const,
        lmsId: 'lms-1',
        actor: 'admin',
        detail: { from: 'final-grade', to: 'granular-created' },
      };
      expect(await audit.append(switched)).toBe(true);
      expect(await audit.list()).toEqual([sent, switched]);
      expect(await audit.list({ kind: 'mode-switched' })).toEqual([switched]);
      expect(await audit.list({ runId: 'run-1', userId: 'user-1', lineItemId: 'line-item-1' })).toEqual([
        sent,
      ]);
      expect(await audit.list({ bindingId: 'binding-2' })).toEqual([]);
      expect(await audit.list({ lmsId: 'lms-2' })).toEqual([]);
    });

    it('saves runs (replacing by id) and lists the newest first', async () => {
      const audit = await create();
      await audit.saveRun(run('run-1', 0, { finishedAt: undefined }));
      await audit.saveRun(run('run-1', 0));
      await audit.saveRun(run('run-2', 10, { error: 'GRADESYNC_SOURCE_UNAVAILABLE: down' }));
      await audit.saveRun(run('run-3', 5, { bindingId: 'binding-2', tenantId: 'tenant-2' }));
      expect(await audit.getRun('run-1')).toEqual(run('run-1', 0));
      expect(await audit.getRun('missing')).toBeUndefined();
      expect((await audit.listRuns()).map((saved) => saved.id)).toEqual(['run-2', 'run-3', 'run-1']);
      expect((await audit.listRuns({ bindingId: 'binding-1', limit: 1 })).map((saved) => saved.id)).toEqual([
        'run-2',
      ]);
      expect((await audit.listRuns({ tenantId: 'tenant-2' })).map((saved) => saved.id)).toEqual(['run-3']);
    });
  });
}
