import { PGlite } from '@electric-sql/pglite';
import { serveNode } from '@passport/coursera-connector/simulator';
import { fromPglite, PgBoss } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { createResultsPushHandler } from '../src/adapters/coursera/results-push-handler.ts';
import { recurrenceOf } from '../src/schedule/cadence.ts';
import { createInProcessScheduler, type InProcessScheduler } from '../src/schedule/in-process-scheduler.ts';
import { createPgBossScheduler, gradeSyncQueues } from '../src/schedule/pg-boss-scheduler.ts';
import { WEBHOOK_SECRET } from './support/coursera.ts';
import { type Integration, startIntegration } from './support/integration.ts';

let integration: Integration | undefined;
let scheduler: InProcessScheduler | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  scheduler?.stop();
  scheduler = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await integration?.stop();
  integration = undefined;
});

const until = async (what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

async function scoreOf(integration: Integration, userId: string, label?: string) {
  const lineItems = await integration.lms.lineItems(integration.binding.contextId);
  const lineItem =
    label === undefined ? lineItems[0] : lineItems.find((candidate) => candidate.label === label);
  if (lineItem === undefined) return undefined;
  const url = `${integration.lms.origin}/lti/contexts/${integration.binding.contextId}/lineitems/${lineItem.id}`;
  return (await integration.lms.scores(url)).get(userId);
}

describe('schedules', () => {
  it('event-driven: a completion pushed by Coursera reaches the LMS gradebook within seconds, with no sync call', async () => {
    integration = await startIntegration({ mode: 'granular-created' });
    const { engine, binding, coursera } = integration;
    scheduler = createInProcessScheduler(engine);
    engine.useScheduler(scheduler);
    await engine.sync(binding.id); // the first launch: line items for every item
    const receiver = await serveNode(createResultsPushHandler({ connector: coursera.connector, engine }));
    cleanups.push(() => receiver.close());
    await coursera.admin.setWebhook(`${receiver.url}/coursera/events`, WEBHOOK_SECRET);

    const completedAt = Date.now();
    await integration.itemScore('ada@school.example', 0, 9);
    await until(
      'the pushed score in the LMS',
      async () => (await scoreOf(integration!, 'lms-ada', 'Quiz 1')) !== undefined,
    );
    expect(Date.now() - completedAt).toBeLessThan(60_000);
    expect(await scoreOf(integration, 'lms-ada', 'Quiz 1')).toMatchObject({
      scoreGiven: 9,
      scoreMaximum: 10,
    });
    const deliveries = await coursera.admin.webhookDeliveries();
    expect(deliveries.every((delivery) => delivery.status === 202)).toBe(true);
    expect(
      (await integration.stores.audit.listRuns({ bindingId: binding.id })).map((run) => run.trigger),
    ).toContain('event');
  });

  it('a push that does not verify is refused with 400 and changes nothing', async () => {
    integration = await startIntegration();
    const handler = createResultsPushHandler({
      connector: integration.coursera.connector,
      engine: integration.engine,
    });
    const response = await handler(
      new Request('http://127.0.0.1/coursera/events', {
        method: 'POST',
        body: '{"type":"itemGrade.updated"}',
      }),
    );
    expect(response.status).toBe(400);
    expect(await integration.stores.outbox.list()).toEqual([]);
  });

  it('periodic per tenant: the tenant’s courses sync on their own, and the scores reach the LMS', async () => {
    integration = await startIntegration();
    const { engine, binding } = integration;
    scheduler = createInProcessScheduler(engine);
    engine.useScheduler(scheduler);
    scheduler.scheduleTenant(binding.tenantId, { periodMs: 150 });
    await integration.courseGrade('bob@school.example', 77);
    await until(
      'the scheduled sync to deliver',
      async () => (await scoreOf(integration!, 'lms-bob')) !== undefined,
    );
    expect(await scoreOf(integration, 'lms-bob')).toMatchObject({ scoreGiven: 77 });
    expect((await integration.stores.audit.listRuns({ tenantId: binding.tenantId }))[0]?.trigger).toBe(
      'schedule',
    );
  });

  it('cadences: daily by default, down to minutes, or cron', () => {
    expect(recurrenceOf()).toBe('0 2 * * *');
    expect(recurrenceOf({ everyMinutes: 15 })).toBe('FREQ=MINUTELY;INTERVAL=15');
    expect(recurrenceOf({ cron: '30 6 * * 1-5' })).toBe('30 6 * * 1-5');
    expect(() => recurrenceOf({ everyMinutes: 0 })).toThrow(
      expect.objectContaining({ code: 'GRADESYNC_OPTIONS_INVALID' }),
    );
    expect(() => recurrenceOf({ everyMinutes: 2.5 })).toThrow(
      expect.objectContaining({ code: 'GRADESYNC_OPTIONS_INVALID' }),
    );
  });

  it('pg-boss on PGlite: per-tenant schedules are kept by key, and an on-demand tenant sync is worked by the job workers', async () => {
    const pglite = new PGlite();
    integration = await startIntegration({ sql: pglite });
    cleanups.push(() => pglite.close());
    const { engine, binding } = integration;
    const boss = new PgBoss({ db: fromPglite(pglite), backend: 'pglite', schema: 'gradesync_jobs' });
    boss.on('error', () => {});
    await boss.start();
    cleanups.push(() => boss.stop({ graceful: false }));
    const jobs = createPgBossScheduler(boss);
    await jobs.install();
    engine.useScheduler(jobs);

    await jobs.scheduleTenant('district-1', { everyMinutes: 15 });
    await jobs.scheduleTenant('district-2');
    await jobs.scheduleTenant('district-1', { everyMinutes: 30 });
    const schedules = await boss.getSchedules(gradeSyncQueues.tenant);
    expect(schedules.map((schedule) => [schedule.key, schedule.cron]).sort()).toEqual([
      ['district-1', 'FREQ=MINUTELY;INTERVAL=30'],
      ['district-2', '0 2 * * *'],
    ]);
    const preview = boss.previewSchedule('FREQ=MINUTELY;INTERVAL=30', { count: 2 });
    expect(preview[1]!.getTime() - preview[0]!.getTime()).toBe(30 * 60_000);
    await jobs.unscheduleTenant('district-2');
    expect((await boss.getSchedules(gradeSyncQueues.tenant)).map((schedule) => schedule.key)).toEqual([
      'district-1',
    ]);

    await jobs.work(engine, { pollingIntervalSeconds: 0.5 });
    await integration.courseGrade('cy@school.example', 66);
    await jobs.requestTenantSync(binding.tenantId);
    await until(
      'the on-demand sync to deliver',
      async () => (await scoreOf(integration!, 'lms-cy')) !== undefined,
      30_000,
    );
    expect(await scoreOf(integration, 'lms-cy')).toMatchObject({ scoreGiven: 66 });
    expect((await integration.stores.audit.listRuns({ tenantId: binding.tenantId }))[0]?.trigger).toBe(
      'on-demand',
    );
    await jobs.stopWork();
  }, 60_000);
});
