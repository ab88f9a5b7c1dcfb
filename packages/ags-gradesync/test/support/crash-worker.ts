// A grade sync worker process for the crash test: it drains the outbox through pg-boss jobs until the test kills it
// (`kill -9`). Run with `node --conditions=@passport/source crash-worker.ts <config.json>`.
import { readFileSync } from 'node:fs';
import { systemClock } from '@passport/core';
import {
  createLtiServices,
  KeyRing,
  MemoryAccessTokenStore,
  MemoryKeyStore,
  type StoredKey,
} from '@passport/lti13';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { createLtiGradebook } from '../../src/adapters/lti13/lti-gradebook.ts';
import { createMemoryResultsSource } from '../../src/adapters/memory/memory-results-source.ts';
import { createGradeSync } from '../../src/engine/create-grade-sync.ts';
import { createPgBossScheduler } from '../../src/schedule/pg-boss-scheduler.ts';
import { type CrashWorkerConfig, engineStores } from './crash-config.ts';
import { courseServicesAt } from './lti-platform.ts';

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CrashWorkerConfig;
const pool = new pg.Pool({
  connectionString: config.databaseUrl,
  options: `-c search_path=${config.schema}`,
  max: 4,
});
const toolKeys = new MemoryKeyStore();
for (const key of config.toolKeys)
  await toolKeys.save({
    ...key,
    createdAt: new Date(key.createdAt),
    ...(key.retiredAt === undefined ? {} : { retiredAt: new Date(key.retiredAt) }),
    ...(key.expiresAt === undefined ? {} : { expiresAt: new Date(key.expiresAt) }),
  } as StoredKey);
const services = createLtiServices({
  keyRing: new KeyRing({ store: toolKeys, clock: systemClock }),
  accessTokens: new MemoryAccessTokenStore(),
});
const lms = createLtiGradebook({
  services,
  resolve: async (target) => courseServicesAt(config.origin, config.registration, target.contextId),
});
const boss = new PgBoss({ connectionString: config.databaseUrl, schema: config.bossSchema });
boss.on('error', (error) => console.error('pg-boss', error));
await boss.start();
const scheduler = createPgBossScheduler(boss);
const engine = createGradeSync({
  gradebook: lms,
  roster: lms,
  source: createMemoryResultsSource(),
  ...engineStores(pool),
  scheduler,
  owner: `crash-worker-${process.pid}`,
  delivery: config.delivery,
});
await scheduler.work(engine, { pollingIntervalSeconds: 0.5 });
console.log('ready');
