// A grade sync worker process for the crash test: it works the pg-boss queues (syncs read the Coursera simulator
// through the connector, drains post to the lti13 platform) until the test kills it (`kill -9`).
// Run with `node --conditions=@passport/source crash-worker.ts <config.json>`.
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
import { createConnectorResultsSource } from '../../src/adapters/coursera/connector-results-source.ts';
import { createLtiGradebook } from '../../src/adapters/lti13/lti-gradebook.ts';
import { createGradeSync } from '../../src/engine/create-grade-sync.ts';
import { createPgBossScheduler } from '../../src/schedule/pg-boss-scheduler.ts';
import { connectCoursera } from './coursera.ts';
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
const { connector } = await connectCoursera(config.courseraUrl);
const boss = new PgBoss({ connectionString: config.databaseUrl, schema: config.bossSchema });
boss.on('error', (error) => console.error('pg-boss', error));
await boss.start();
const scheduler = createPgBossScheduler(boss);
const engine = createGradeSync({
  gradebook: lms,
  roster: lms,
  source: createConnectorResultsSource(connector),
  ...engineStores(pool),
  scheduler,
  owner: `crash-worker-${process.pid}`,
  delivery: config.delivery,
});
await scheduler.work(engine, { pollingIntervalSeconds: 0.5 });
console.log('ready');
