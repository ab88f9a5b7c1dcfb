/**
 * The roster stores the shared suites run against. Memory always; PGlite and the real PostgreSQL join once their
 * adapter exists (see `postgres.ts`).
 */
import { createMemoryRosterStore } from '../../src/adapters/memory/memory-roster-store.ts';
import type { RosterStore } from '../../src/store/roster-store.ts';

export interface StoreFactory {
  name: string;
  /** fast-check runs for property tests on this store. */
  runs: number;
  open(): Promise<{ store: RosterStore; close: () => Promise<void> }>;
}

export function storeFactories(): StoreFactory[] {
  return [
    {
      name: 'memory',
      runs: 150,
      async open() {
        return { store: createMemoryRosterStore(), close: async () => {} };
      },
    },
  ];
}
