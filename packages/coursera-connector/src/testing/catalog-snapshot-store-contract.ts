import { describe, expect, it } from 'vitest';
import type { CatalogSnapshot, CatalogSnapshotStore } from '../ports.ts';

const snapshot = (
  organizationId: string,
  takenAt: Date,
  title = 'Python for Everybody',
): CatalogSnapshot => ({
  platform: 'coursera',
  organizationId,
  takenAt,
  programs: [{ id: 'p1', name: 'Data', description: 'Analyse data', url: undefined, courseIds: ['c1'] }],
  courses: [
    {
      id: 'c1',
      programId: 'p1',
      title,
      kind: 'course',
      description: undefined,
      url: 'https://www.coursera.org/learn/python',
      platformType: 'Course',
    },
  ],
  items: [
    {
      id: 'i1',
      courseId: 'c1',
      title: 'Quiz',
      type: 'quiz',
      weight: 0.2,
      passingThreshold: 0.8,
      order: 1,
      maximumPoints: 10,
    },
  ],
});

/** Compares as the catalog diff does: fields that are undefined may be absent. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

export function describeCatalogSnapshotStoreContract(
  name: string,
  create: () => Promise<CatalogSnapshotStore>,
): void {
  describe(`CatalogSnapshotStore contract: ${name}`, () => {
    it('has no snapshot before the first sync', async () => {
      expect(await (await create()).latest('coursera', 'org-1')).toBeUndefined();
    });

    it('returns the last saved snapshot, with its time as a Date', async () => {
      const store = await create();
      await store.save(snapshot('org-1', new Date('2025-03-01T00:00:00Z')));
      await store.save(snapshot('org-1', new Date('2025-03-02T00:00:00Z'), 'Renamed'));
      const latest = await store.latest('coursera', 'org-1');
      expect(latest?.takenAt).toEqual(new Date('2025-03-02T00:00:00Z'));
      expect(plain(latest)).toEqual(plain(snapshot('org-1', new Date('2025-03-02T00:00:00Z'), 'Renamed')));
    });

    it('keeps organizations and platforms apart', async () => {
      const store = await create();
      await store.save(snapshot('org-1', new Date('2025-03-01T00:00:00Z')));
      expect(await store.latest('coursera', 'org-2')).toBeUndefined();
      expect(await store.latest('google-cloud-skills-boost', 'org-1')).toBeUndefined();
    });
  });
}
