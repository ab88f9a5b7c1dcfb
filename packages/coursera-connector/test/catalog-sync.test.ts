import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCatalogSnapshotStore } from '../src/adapters/memory/memory-catalog-snapshot-store.ts';
import { type CatalogSync, createCatalogSync, DAY_MS } from '../src/connector/catalog-sync.ts';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { connectedClient, type Harness, startHarness } from './support/setup.ts';

describe('catalog sync and change detection (over loopback HTTP)', () => {
  let harness: Harness;
  let sync: CatalogSync;
  beforeEach(async () => {
    harness = await startHarness('node-http');
    const connector = createCourseraConnector({
      client: await connectedClient(harness),
      clock: harness.clock,
    });
    sync = createCatalogSync({
      connector,
      snapshots: createMemoryCatalogSnapshotStore(),
      clock: harness.clock,
    });
  });
  afterEach(async () => {
    await harness.stop();
  });

  const apiCalls = async () =>
    (await harness.admin.requests()).filter((r) => r.path.startsWith('/api/')).length;

  it('the first sync sees the whole catalog as added', async () => {
    const result = await sync.syncIfDue();
    expect(result).toMatchObject({ ran: true, reason: 'first' });
    expect(result.changes!.programs.added).toHaveLength(2);
    expect(result.changes!.courses.added).toHaveLength(7);
    expect(result.changes!.items.added).toHaveLength(6 * 4); // specializations have no items of their own
    expect(await sync.nextDueAt()).toEqual(new Date(harness.clock.now().getTime() + DAY_MS));
  });

  it('runs daily by default: not again before the day is out, and without calling Coursera', async () => {
    await sync.syncIfDue();
    const calls = await apiCalls();
    harness.clock.advance(DAY_MS - 1);
    expect(await sync.syncIfDue()).toMatchObject({ ran: false, reason: 'not-due', changes: undefined });
    expect(await apiCalls()).toBe(calls);
    harness.clock.advance(1);
    expect(await sync.syncIfDue()).toMatchObject({ ran: true, reason: 'due' });
  });

  it('a course added to a program appears after the next sync; "force course update" gets it at once', async () => {
    await sync.syncIfDue();
    const added = await harness.admin.addCourse(harness.programIds.it, { name: 'Cloud Support Essentials' });
    expect(await sync.syncIfDue()).toMatchObject({ ran: false });
    const forced = await sync.syncNow();
    expect(forced.reason).toBe('forced');
    expect(
      forced.changes!.courses.added.map((course) => [course.id, course.programId, course.title]),
    ).toEqual([[added.id, harness.programIds.it, 'Cloud Support Essentials']]);
    expect(forced.changes!.items.added.map((item) => item.courseId)).toEqual(Array(4).fill(added.id));
    expect(forced.changes!.programs.changed.map((change) => change.fields)).toEqual([['courseIds']]);
    expect(forced.snapshot!.courses.some((course) => course.id === added.id)).toBe(true);
  });

  it('a gradable item added to a course is detected; an unchanged catalog reports nothing', async () => {
    await sync.syncIfDue();
    const unchanged = await sync.syncNow();
    expect(
      [unchanged.changes!.courses, unchanged.changes!.items].every(
        (changes) => changes.added.length + changes.removed.length + changes.changed.length === 0,
      ),
    ).toBe(true);
    const course = harness.world.organizations[0]!.programs[0]!.contents[1]!;
    const item = await harness.admin.addItem(course.id, {
      name: 'Bonus Lab',
      itemType: 'LAB',
      gradingWeight: 0,
    });
    const result = await sync.syncNow();
    expect(result.changes!.items.added).toEqual([
      expect.objectContaining({
        id: item.id,
        courseId: course.id,
        type: 'lab',
        title: 'Bonus Lab',
        order: 5,
      }),
    ]);
  });

  it('concurrent forced syncs share one run', async () => {
    await sync.syncIfDue();
    const before = await apiCalls();
    const [first, second] = await Promise.all([sync.syncNow(), sync.syncNow()]);
    expect(first).toBe(second);
    const perRun = before; // the first sync made the same calls
    expect((await apiCalls()) - before).toBe(perRun);
  });

  it('refuses a non-positive interval (CONNECTOR_INVALID_OPTIONS naming the option)', () => {
    expect(() =>
      createCatalogSync({
        connector: createCourseraConnector({ client: {} as never }),
        snapshots: createMemoryCatalogSnapshotStore(),
        intervalMs: 0,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONNECTOR_INVALID_OPTIONS',
        message: expect.stringMatching(/intervalMs/),
      }),
    );
  });
});
