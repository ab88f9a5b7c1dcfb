import { type Clock, systemClock } from '@passport/core';
import { z } from 'zod';
import type { CatalogSnapshot, CatalogSnapshotStore } from '../ports.ts';
import type { LearningPlatformConnector } from './connector.ts';
import { type CatalogChanges, diffCatalog } from './diff-catalog.ts';
import { parseOptions } from './parse-options.ts';
import type { Course, GradableItem } from './types.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface CatalogSyncOptions {
  connector: LearningPlatformConnector;
  snapshots: CatalogSnapshotStore;
  clock?: Clock;
  /** How often a scheduled sync runs; daily by default, as schools expect. */
  intervalMs?: number;
  /** Read gradable items too (default: when the connector has an item catalog). */
  includeItems?: boolean;
}

export type CatalogSyncReason = 'first' | 'due' | 'forced' | 'not-due';

export interface CatalogSyncResult {
  ran: boolean;
  reason: CatalogSyncReason;
  /** The snapshot now stored (the previous one when the sync did not run). */
  snapshot: CatalogSnapshot | undefined;
  /** undefined when the sync did not run. */
  changes: CatalogChanges | undefined;
}

export interface CatalogSync {
  /** Runs when due (or when no snapshot exists). A scheduler calls this as often as it likes. */
  syncIfDue(): Promise<CatalogSyncResult>;
  /** "Force course update": runs now regardless of the schedule. */
  syncNow(): Promise<CatalogSyncResult>;
  /** When the next scheduled sync is due; undefined before the first sync. */
  nextDueAt(): Promise<Date | undefined>;
}

const optionsSchema = z.object({
  intervalMs: z.number().int().positive().optional(),
  includeItems: z.boolean().optional(),
});

/**
 * Reads the whole catalog (programs → courses → items) through the connector, compares it with the last snapshot,
 * and stores the new one. A course added to a program becomes pickable after the next sync. Concurrent calls share
 * one run.
 */
export function createCatalogSync(options: CatalogSyncOptions): CatalogSync {
  parseOptions(
    optionsSchema,
    { intervalMs: options.intervalMs, includeItems: options.includeItems },
    'catalog sync',
  );
  const { connector, snapshots } = options;
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? DAY_MS;
  const includeItems = options.includeItems ?? connector.capabilities.itemCatalog;
  let running: Promise<CatalogSyncResult> | undefined;

  const latest = () => snapshots.latest(connector.platform, connector.organizationId);

  const run = (reason: CatalogSyncReason): Promise<CatalogSyncResult> => {
    running ??= (async () => {
      try {
        const previous = await latest();
        const snapshot = await readCatalog(connector, includeItems, clock.now());
        const changes = diffCatalog(previous, snapshot);
        await snapshots.save(snapshot);
        return { ran: true, reason: previous === undefined ? 'first' : reason, snapshot, changes };
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  return {
    async syncIfDue() {
      const previous = await latest();
      if (previous !== undefined && clock.now().getTime() < previous.takenAt.getTime() + intervalMs) {
        return { ran: false, reason: 'not-due', snapshot: previous, changes: undefined };
      }
      return run('due');
    },
    syncNow: () => run('forced'),
    async nextDueAt() {
      const previous = await latest();
      return previous === undefined ? undefined : new Date(previous.takenAt.getTime() + intervalMs);
    },
  };
}

async function readCatalog(
  connector: LearningPlatformConnector,
  includeItems: boolean,
  takenAt: Date,
): Promise<CatalogSnapshot> {
  const programs = await connector.catalog.listPrograms();
  const courses: Course[] = [];
  for (const program of programs) courses.push(...(await connector.catalog.listCourses(program.id)));
  const items: GradableItem[] = [];
  if (includeItems) {
    const courseIds = [
      ...new Set(courses.filter((course) => course.kind === 'course').map((course) => course.id)),
    ];
    for (const courseId of courseIds) items.push(...(await connector.catalog.listItems(courseId)));
  }
  return {
    platform: connector.platform,
    organizationId: connector.organizationId,
    takenAt,
    programs,
    courses,
    items,
  };
}
