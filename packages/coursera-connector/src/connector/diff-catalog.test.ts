import { describe, expect, it } from 'vitest';
import { diffCatalog, isCatalogUnchanged } from './diff-catalog.ts';
import type { Course, GradableItem, Program } from './types.ts';

const program: Program = {
  id: 'p1',
  name: 'Data',
  description: undefined,
  url: undefined,
  courseIds: ['c1'],
};
const course = (id: string, title = `Course ${id}`): Course => ({
  id,
  programId: 'p1',
  title,
  kind: 'course',
  description: undefined,
  url: undefined,
  platformType: 'Course',
});
const item = (id: string, weight = 0.5): GradableItem => ({
  id,
  courseId: 'c1',
  title: `Item ${id}`,
  type: 'quiz',
  weight,
  passingThreshold: 0.8,
  order: 0,
  maximumPoints: 10,
});

describe('diffCatalog', () => {
  it('reports everything as added on the first sync', () => {
    const changes = diffCatalog(undefined, {
      programs: [program],
      courses: [course('c1')],
      items: [item('i1')],
    });
    expect(changes.programs.added).toHaveLength(1);
    expect(changes.courses.added.map((c) => c.id)).toEqual(['c1']);
    expect(changes.items.added.map((i) => i.id)).toEqual(['i1']);
  });

  it('finds new, removed and changed courses and items', () => {
    const before = {
      programs: [program],
      courses: [course('c1'), course('c2')],
      items: [item('i1'), item('i2')],
    };
    const after = {
      programs: [program],
      courses: [course('c1', 'Renamed'), course('c3')],
      items: [item('i1', 0.25), item('i2'), item('i3')],
    };
    const changes = diffCatalog(before, after);
    expect(changes.courses.added.map((c) => c.id)).toEqual(['c3']);
    expect(changes.courses.removed.map((c) => c.id)).toEqual(['c2']);
    expect(changes.courses.changed.map((c) => [c.after.id, c.fields])).toEqual([['c1', ['title']]]);
    expect(changes.items.added.map((i) => i.id)).toEqual(['i3']);
    expect(changes.items.changed.map((c) => [c.after.id, c.fields])).toEqual([['i1', ['weight']]]);
    expect(isCatalogUnchanged(changes)).toBe(false);
  });

  it('sees no change between equal catalogs', () => {
    const catalog = { programs: [program], courses: [course('c1')], items: [item('i1')] };
    expect(isCatalogUnchanged(diffCatalog(catalog, structuredClone(catalog)))).toBe(true);
  });
});
