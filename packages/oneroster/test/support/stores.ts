/**
 * The roster stores the shared suites run against: memory, PGlite (in memory, in a schema of its own) and the real
 * PostgreSQL (a unique schema per run). Each `open()` gives a fresh, empty, migrated store.
 */

import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@passport/core';
import { createMemoryRosterStore } from '../../src/adapters/memory/memory-roster-store.ts';
import { migrateOneRosterStore } from '../../src/adapters/postgres/migrations.ts';
import { createPostgresRosterStore } from '../../src/adapters/postgres/postgres-roster-store.ts';
import type { RosterStore } from '../../src/store/roster-store.ts';
import { openPool, skipPostgres, uniqueSchema, warnSkipped } from './postgres.ts';

export interface OpenedStore {
  store: RosterStore;
  /** The SQL client underneath, for SQL stores. */
  client?: SqlClient;
  schema?: string;
  close: () => Promise<void>;
}

export interface StoreFactory {
  name: string;
  /** fast-check runs for property tests on this store. */
  runs: number;
  open(): Promise<OpenedStore>;
}

export function storeFactories(): StoreFactory[] {
  const factories: StoreFactory[] = [
    {
      name: 'memory',
      runs: 150,
      async open() {
        return { store: createMemoryRosterStore(), close: async () => {} };
      },
    },
    {
      name: 'PGlite',
      runs: 100,
      async open() {
        const client = new PGlite();
        const schema = 'roster';
        await migrateOneRosterStore(client, { schema });
        return {
          store: createPostgresRosterStore({ client, schema }),
          client,
          schema,
          close: () => client.close(),
        };
      },
    },
  ];
  if (skipPostgres) warnSkipped();
  else {
    factories.push({
      name: 'PostgreSQL',
      runs: 100,
      async open() {
        const pool = await openPool();
        const schema = uniqueSchema();
        await migrateOneRosterStore(pool, { schema });
        return {
          store: createPostgresRosterStore({ client: pool, schema }),
          client: pool,
          schema,
          close: async () => {
            await pool.query(`drop schema if exists "${schema}" cascade`);
            await pool.end();
          },
        };
      },
    });
  }
  return factories;
}
