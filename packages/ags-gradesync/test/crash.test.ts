import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryResultsSource } from '../src/adapters/memory/memory-results-source.ts';
import { createGradeSync } from '../src/engine/create-grade-sync.ts';
import { createPgBossScheduler } from '../src/schedule/pg-boss-scheduler.ts';
import { type CrashWorkerConfig, engineStores } from './support/crash-config.ts';
import { type LtiPlatformHarness, learnerRole, startLtiPlatform } from './support/lti-platform.ts';
import { createTestSchema, postgresUrl, skipPostgres } from './support/postgres.ts';

const learnerCount = 60;
const delivery = {
  concurrency: 3,
  ratePerSecond: 60,
  claimLeaseMs: 1500,
  drainLeaseMs: 1500,
  backoff: { baseMs: 100, maxMs: 1000 },
};
const binding = {
  id: 'binding-crash',
  tenantId: 'district-1',
  lmsId: 'lms-crash',
  contextId: 'course-crash',
  platform: 'coursera',
  programId: 'program-1',
  courseId: 'course-1',
};
const until = async (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe.skipIf(skipPostgres)(
  'crash: a worker process killed with SIGKILL mid-sync (real PostgreSQL, pg-boss)',
  () => {
    let database: Awaited<ReturnType<typeof createTestSchema>>;
    let lms: LtiPlatformHarness;
    let boss: PgBoss;
    let child: ChildProcess | undefined;
    let directory: string;
    const bossSchema = () => `${database.schema}_boss`;

    beforeAll(async () => {
      database = await createTestSchema();
      // The platform stores each score, then takes 40 ms to answer: a kill in that window loses only the answer.
      lms = await startLtiPlatform({ scoreAnswerDelayMs: 40 });
      boss = new PgBoss({ connectionString: postgresUrl, schema: bossSchema() });
      boss.on('error', () => {});
      await boss.start();
      directory = mkdtempSync(join(tmpdir(), 'gradesync-crash-'));
    });

    afterAll(async () => {
      child?.kill('SIGKILL');
      await boss?.stop({ graceful: false }).catch(() => {});
      await lms?.close();
      if (database !== undefined) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`drop schema if exists "${bossSchema()}" cascade`);
        await client.end();
        await database.drop();
      }
      rmSync(directory, { recursive: true, force: true });
    });

    it('loses nothing and makes no duplicate visible change', async () => {
      const stores = engineStores(database.pool);
      const scheduler = createPgBossScheduler(boss);
      await scheduler.install();
      const source = createMemoryResultsSource({ platform: 'coursera' });
      const engine = createGradeSync({
        gradebook: lms.adapter,
        roster: lms.adapter,
        source,
        ...stores,
        scheduler,
        owner: 'test-process',
        delivery,
      });
      await engine.bind(binding);
      const learners = Array.from({ length: learnerCount }, (_, index) => ({
        userId: `lms-${index}`,
        email: `learner${index}@school.example`,
      }));
      lms.memberships.setContext(
        { id: binding.contextId },
        learners.map((learner) => ({ ...learner, roles: [learnerRole] })),
      );
      for (const [index, learner] of learners.entries())
        source.setResult('program-1', {
          learnerExternalId: learner.email,
          email: learner.email,
          courseId: 'course-1',
          grade: { kind: 'fraction', value: (50 + (index % 50)) / 100 },
          completedAt: new Date(Date.UTC(2025, 2, 1, 9, 0, index)),
          updatedAt: new Date(Date.UTC(2025, 2, 1, 9, 0, index)),
        });
      // Plan in this process (the sync asks pg-boss for a drain); no worker runs here yet.
      const run = await engine.sync(binding.id);
      expect(run.statistics.queued).toBe(learnerCount);

      // The worker process drains through pg-boss, until it is killed mid-delivery.
      const config: CrashWorkerConfig = {
        databaseUrl: postgresUrl,
        schema: database.schema,
        bossSchema: bossSchema(),
        origin: lms.origin,
        registration: lms.registration,
        toolKeys: (await lms.toolKeys.list()).map((key) => JSON.parse(JSON.stringify(key))),
        delivery,
      };
      const configFile = join(directory, 'config.json');
      writeFileSync(configFile, JSON.stringify(config));
      const worker = fileURLToPath(new URL('./support/crash-worker.ts', import.meta.url));
      child = spawn(process.execPath, ['--conditions=@passport/source', worker, configFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk) => (output += chunk));
      child.stderr?.on('data', (chunk) => (output += chunk));
      // Kill while scores are stored on the platform and their answers are still on the way back to the worker.
      await until(
        'the worker to store a third of the scores',
        () => lms.gradebook.saved.length >= learnerCount / 3 && lms.answersPending.count > 0,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}; worker output: ${output}`);
      });
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
      child = undefined;
      // Let what the dead worker had already sent settle: a request the platform was handling, a statement the
      // database had received.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const storedAtKill = lms.gradebook.saved.length;
      expect(storedAtKill).toBeLessThan(learnerCount);
      // Scores the platform stored whose answer never reached the worker: delivered, but not recorded as sent.
      const recordedAtKill = (await stores.audit.list({ kind: 'score-sent' })).length;
      expect(recordedAtKill).toBeLessThan(storedAtKill);

      // This process takes over: its pg-boss worker drains once the dead worker's leases run out.
      await scheduler.work(engine, { pollingIntervalSeconds: 0.5 });
      await scheduler.requestDrain(binding.lmsId);
      await until('the outbox to empty', async () => (await stores.outbox.list()).length === 0);

      // Nothing lost: every learner holds the right score, and everything is recorded as sent exactly once.
      const [lineItem] = await lms.lineItems(binding.contextId);
      const scores = await lms.scores(
        `${lms.origin}/lti/contexts/${binding.contextId}/lineitems/${lineItem!.id}`,
      );
      expect(scores.size).toBe(learnerCount);
      for (const [index, learner] of learners.entries())
        expect(scores.get(learner.userId)?.scoreGiven).toBe(50 + (index % 50));
      const sent = await stores.audit.list({ kind: 'score-sent' });
      expect(sent).toHaveLength(learnerCount);
      expect(new Set(sent.map((entry) => entry.userId)).size).toBe(learnerCount);
      expect(await stores.deadLetters.list()).toEqual([]);
      // No duplicate visible change: the platform stored each learner's score once, though some were posted twice.
      expect(lms.gradebook.saved).toHaveLength(learnerCount);
      const posts = lms.requests.filter((request) => request.startsWith('POST scores'));
      // The scores stored but unacknowledged at the kill were posted again, and ignored.
      expect(posts.length).toBeGreaterThan(learnerCount);
      expect((await engine.runStatistics(run.id))?.totals).toMatchObject({
        queued: learnerCount,
        delivered: learnerCount,
        waiting: 0,
      });
      await scheduler.stopWork();
    });
  },
);
