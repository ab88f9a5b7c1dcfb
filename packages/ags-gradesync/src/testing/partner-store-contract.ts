import { describe, expect, it } from 'vitest';
import type { PartnerAssignment, PartnerGradebookStore, PartnerSubmission } from '../ports.ts';
import { at } from './fixtures.ts';

const assignment = (id: string, overrides: Partial<PartnerAssignment> = {}): PartnerAssignment => ({
  id,
  appId: 'app-1',
  classId: 'class-1',
  title: `Assignment ${id}`,
  state: 'open',
  pointsPossible: 10,
  gradingType: 'points',
  createdAt: at(Number(id.replace(/\D/g, '')) || 0),
  updatedAt: at(30),
  ...overrides,
});

const submission = (userId: string, overrides: Partial<PartnerSubmission> = {}): PartnerSubmission => ({
  assignmentId: 'a1',
  userId,
  state: 'returned',
  grade: 7.5,
  gradePoints: 7.5,
  flags: [],
  updatedAt: at(40),
  ...overrides,
});

/** The behavior every `PartnerGradebookStore` adapter must have. `create` answers an empty store. */
export function describePartnerStoreContract(
  name: string,
  create: () => Promise<PartnerGradebookStore>,
): void {
  describe(`PartnerGradebookStore contract: ${name}`, () => {
    it('keeps assignments per app, oldest first, replaced by id', async () => {
      const store = await create();
      await store.saveAssignment(
        assignment('a2', { dueDate: '2025-04-01T23:59:00Z', description: 'Read ch. 2' }),
      );
      await store.saveAssignment(assignment('a1'));
      await store.saveAssignment(assignment('a3', { appId: 'app-2' }));
      await store.saveAssignment(assignment('a4', { classId: 'class-2' }));
      await store.saveAssignment(assignment('a1', { state: 'locked', lmsId: 'lms-1', lineItemId: 'li-1' }));
      expect(await store.getAssignment('a1')).toEqual(
        assignment('a1', { state: 'locked', lmsId: 'lms-1', lineItemId: 'li-1' }),
      );
      expect(await store.getAssignment('missing')).toBeUndefined();
      expect((await store.listAssignments({ appId: 'app-1' })).map((found) => found.id)).toEqual([
        'a1',
        'a2',
        'a4',
      ]);
      expect(
        (await store.listAssignments({ appId: 'app-1', classId: 'class-1' })).map((found) => found.id),
      ).toEqual(['a1', 'a2']);
      expect(await store.listAssignments({ appId: 'app-2', classId: 'class-9' })).toEqual([]);
    });

    it('keeps one submission per (assignment, user)', async () => {
      const store = await create();
      await store.saveSubmission(submission('u2', { flags: ['late'], gradeComment: 'Well argued' }));
      await store.saveSubmission(submission('u1', { grade: 'B+', gradePoints: undefined }));
      await store.saveSubmission(submission('u1', { grade: 'A', lmsUserId: 'lms-u1' }));
      await store.saveSubmission(submission('u3', { assignmentId: 'a2' }));
      expect(await store.listSubmissions('a1')).toEqual([
        submission('u1', { grade: 'A', lmsUserId: 'lms-u1' }),
        submission('u2', { flags: ['late'], gradeComment: 'Well argued' }),
      ]);
    });
  });
}
