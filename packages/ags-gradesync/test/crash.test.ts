import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorResultsSource } from '../src/adapters/coursera/connector-results-source.ts';
import { createGradeSync } from '../src/engine/create-grade-sync.ts';
import type { CourseBinding, RunRecord } from '../src/ports.ts';
import { createPgBossScheduler } from '../src/schedule/pg-boss-scheduler.ts';
import { type CourseraHarness, startCoursera } from './support/coursera.ts';
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
const until = async (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Worker {
  readonly process: ChildProcess;
  readonly output: () => string;
}

describe.skipIf(skipPostgres)(
  'crash: a worker process killed with SIGKILL mid-delivery (Coursera simulator → workers → lti13 platform, real PostgreSQL, pg-boss)',
  () => {
    let database: Awaited<ReturnType<typeof createTestSchema>>;
    let lms: LtiPlatformHarness;
    let coursera: CourseraHarness;
    let boss: PgBoss;
    let directory: string;
    const workers: Worker[] = [];
    const bossSchema = () => `${database.schema}_boss`;

    beforeAll(async () => {
      database = await createTestSchema();
      // The platform stores each score, then takes 40 ms to answer: a kill in that window loses only the answer.
      lms = await startLtiPlatform({ scoreAnswerDelayMs: 40 });
      coursera = await startCoursera();
      boss = new PgBoss({ connectionString: postgresUrl, schema: bossSchema() });
      boss.on('error', () => {});
      await boss.start();
      directory = mkdtempSync(join(tmpdir(), 'gradesync-crash-'));
    });

    afterAll(async () => {
      for (const worker of workers) worker.process.kill('SIGKILL');
      await boss?.stop({ graceful: false }).catch(() => {});
      await lms?.close();
      await coursera?.stop();
      if (database !== undefined) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`drop schema if exists "${bossSchema()}" cascade`);
        await client.end();
        await database.drop();
      }
      rmSync(directory, { recursive: true, force: true });
    });

    it('another process finishes: every grade lands exactly once, and a second sync sends nothing new', async () => {
      const stores = engineStores(database.pool);
      const scheduler = createPgBossScheduler(boss);
      await scheduler.install();
      // This process only binds the course and asks for work: the worker processes read Coursera and deliver.
      const engine = createGradeSync({
        gradebook: lms.adapter,
        roster: lms.adapter,
        source: createConnectorResultsSource(coursera.connector),
        ...stores,
        scheduler,
        owner: 'test-process',
        delivery,
      });
      const binding: CourseBinding = {
        id: 'binding-crash',
        tenantId: 'district-1',
        lmsId: 'lms-crash',
        contextId: 'course-crash',
        platform: 'coursera',
        programId: coursera.programId,
        courseId: coursera.course.id,
      };
      await engine.bind(binding);
      const learners = Array.from({ length: learnerCount }, (_, index) => ({
        userId: `lms-${index}`,
        email: `learner${index}@school.example`,
        grade: 50 + (index % 50),
      }));
      lms.memberships.setContext(
        { id: binding.contextId },
        learners.map(({ userId, email }) => ({ userId, email, roles: [learnerRole] })),
      );
      // The course grades, on Coursera.
      for (const learner of learners)
        await coursera.admin.setResult({
          programId: coursera.programId,
          externalId: learner.email,
          contentId: coursera.course.id,
          grade: learner.grade,
          overallProgress: 100,
          isCompleted: true,
        });
      await coursera.admin.clearRequests();

      const config: CrashWorkerConfig = {
        databaseUrl: postgresUrl,
        schema: database.schema,
        bossSchema: bossSchema(),
        origin: lms.origin,
        registration: lms.registration,
        toolKeys: (await lms.toolKeys.list()).map((key) => JSON.parse(JSON.stringify(key))),
        courseraUrl: coursera.simulator.url,
        delivery,
      };
      const configFile = join(directory, 'config.json');
      writeFileSync(configFile, JSON.stringify(config));
      const script = fileURLToPath(new URL('./support/crash-worker.ts', import.meta.url));
      const startWorker = (): Worker => {
        const child = spawn(process.execPath, ['--conditions=@passport/source', script, configFile], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout?.on('data', (chunk) => (output += chunk));
        child.stderr?.on('data', (chunk) => (output += chunk));
        const worker = { process: child, output: () => output };
        workers.push(worker);
        return worker;
      };
      const posts = () => lms.requests.filter((request) => request.startsWith('POST scores'));
      const runs = () => stores.audit.listRuns({ bindingId: binding.id });

      // The first worker runs the sync (reading Coursera over HTTP) and the drain it asks for, until it is killed
      // while scores are stored on the platform and their answers are still on the way back to it.
      const first = startWorker();
      await scheduler.requestSync(binding.id, { trigger: 'on-demand' });
      await until(
        'the first worker to store a third of the scores',
        () => lms.gradebook.saved.length >= learnerCount / 3 && lms.answersPending.count > 0,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}; worker output: ${first.output()}`);
      });
      const exited = new Promise((resolve) => first.process.once('exit', (_code, signal) => resolve(signal)));
      first.process.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // Let what the dead worker had already sent settle: a request the platform was handling, a statement the
      // database had received.
      await pause(300);
      const [planned] = await runs();
      expect(planned).toMatchObject({
        trigger: 'on-demand',
        statistics: { considered: learnerCount, queued: learnerCount, unmatched: 0 },
      });
      // The worker read the results from Coursera's enrollment reports over HTTP.
      const resultReads = async () =>
        (await coursera.admin.requests()).filter(
          (request) => request.path.includes('/enrollmentReports') && request.status === 200,
        );
      expect((await resultReads()).length).toBeGreaterThan(0);
      const storedAtKill = lms.gradebook.saved.length;
      expect(storedAtKill).toBeLessThan(learnerCount);
      // Scores the platform stored whose answer never reached the worker: delivered, but not recorded as sent.
      expect((await stores.audit.list({ kind: 'score-sent' })).length).toBeLessThan(storedAtKill);
      expect((await stores.outbox.list()).length).toBeGreaterThan(0);

      // Another process takes over: its drain waits for the dead worker's leases to run out, then finishes.
      const second = startWorker();
      await scheduler.requestDrain(binding.lmsId);
      await until('the outbox to empty', async () => (await stores.outbox.list()).length === 0).catch(
        (error) => {
          throw new Error(`${(error as Error).message}; worker output: ${second.output()}`);
        },
      );

      // Every grade landed exactly once: the platform stored each learner's score once (though the scores stored
      // but unacknowledged at the kill were posted again, and ignored), and holds the right one, read back over AGS.
      expect(lms.gradebook.saved).toHaveLength(learnerCount);
      expect(new Set(lms.gradebook.saved.map((score) => score.userId)).size).toBe(learnerCount);
      expect(posts().length).toBeGreaterThan(learnerCount);
      const [lineItem] = await lms.lineItems(binding.contextId);
      const lineItemUrl = `${lms.origin}/lti/contexts/${binding.contextId}/lineitems/${lineItem!.id}`;
      const results = await lms.adapter.readResults(
        { lmsId: binding.lmsId, contextId: binding.contextId },
        lineItemUrl,
      );
      expect(results).toHaveLength(learnerCount);
      const held = new Map(results.map((result) => [result.userId, result.resultScore]));
      const stored = await lms.scores(lineItemUrl);
      for (const learner of learners) {
        // The platform scales resultScore to the line item's maximum in floating point (55 → 55.00000000000001).
        expect(held.get(learner.userId)).toBeCloseTo(learner.grade, 9);
        expect(stored.get(learner.userId)?.scoreGiven).toBe(learner.grade);
      }
      const sent = await stores.audit.list({ kind: 'score-sent' });
      expect(sent).toHaveLength(learnerCount);
      expect(new Set(sent.map((entry) => entry.userId)).size).toBe(learnerCount);
      expect(await stores.deadLetters.list()).toEqual([]);
      expect((await engine.runStatistics(planned!.id))?.totals).toMatchObject({
        queued: learnerCount,
        delivered: learnerCount,
        waiting: 0,
      });

      // A second sync, by the surviving worker, reads every result from Coursera again: nothing new is sent.
      const postsBefore = posts().length;
      await coursera.admin.clearRequests();
      await scheduler.requestSync(binding.id, { trigger: 'on-demand', reread: true });
      let again: RunRecord | undefined;
      await until('the second sync', async () => {
        again = (await runs()).find((run) => run.id !== planned!.id && run.finishedAt !== undefined);
        return again !== undefined;
      });
      expect(again!.statistics).toMatchObject({
        considered: learnerCount,
        unchanged: learnerCount,
        queued: 0,
      });
      expect((await resultReads()).length).toBeGreaterThan(0);
      await scheduler.requestDrain(binding.lmsId);
      await pause(1500);
      expect(posts()).toHaveLength(postsBefore);
      expect(lms.gradebook.saved).toHaveLength(learnerCount);
      expect(await stores.outbox.list()).toEqual([]);
    });
  },
);
