import { createMemorySyncState } from '@passport/ags-gradesync';
import { startCourseraSimulator } from '@passport/coursera-connector/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/open-database.ts';
import { createTenantResultsSource } from '../src/gradesync/tenant-results-source.ts';
import { startDemoCoursera } from '../src/learning/demo-coursera.ts';
import { createLearningService, type LearningService } from '../src/learning/learning-service.ts';
import { createLogger } from '../src/logger.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { openBackend } from './gradesync-harness.ts';
import { skipPostgres } from './support/postgres.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const closer of closers.splice(0).reverse()) await closer();
});

const sealingKey = new Uint8Array(32).fill(3);
const silent = createLogger({ level: 'silent', write: () => {} });

async function open(
  kind: 'pglite' | 'postgres',
): Promise<{ database: DatabaseHandle; learning: LearningService }> {
  const database = await openBackend(kind, closers);
  await database.migrate();
  const tenants = createTenantStore({ db: database.db });
  await tenants.create({ id: 'lincoln', name: 'Lincoln USD' }, 'test');
  await tenants.create({ id: 'adams', name: 'Adams County' }, 'test');
  return { database, learning: createLearningService({ database, sealingKey }) };
}

function defineLearningSuite(kind: 'pglite' | 'postgres', options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip === true)(
    `Coursera connections per district on ${kind}`,
    { timeout: 60_000 },
    () => {
      it('keeps the client secret sealed, reads it back, and reports each connection with its consent', async () => {
        const { database, learning } = await open(kind);
        await learning.connect({
          tenantId: 'adams',
          organizationId: 'org-adams',
          clientId: 'client-adams',
          clientSecret: 'adams-secret-value',
          redirectUri: 'https://passport.example.org/coursera/callback',
        });
        const { rows } = await database.sql.query<{ client_secret: string }>(
          'select client_secret from coursera_connections where tenant_id = $1',
          ['adams'],
        );
        expect(rows[0]?.client_secret).toMatch(/^v1\./);
        expect(rows[0]?.client_secret).not.toContain('adams-secret-value');
        expect((await learning.connections.get('adams'))?.clientSecret).toBe('adams-secret-value');
        // Another sealing key cannot read it.
        const other = createLearningService({ database, sealingKey: new Uint8Array(32).fill(4) });
        await expect(other.connections.get('adams')).rejects.toThrow();

        expect(await learning.summaries()).toEqual([
          {
            tenantId: 'adams',
            organizationId: 'org-adams',
            clientId: 'client-adams',
            apiUrl: undefined,
            consent: 'missing',
            message: expect.any(String),
          },
        ]);
        expect(await learning.hasConnection('lincoln')).toBe(false);
        await expect(learning.programs('lincoln')).rejects.toMatchObject({
          code: 'CONNECTOR_CONSENT_REQUIRED',
        });
        await expect(
          learning.connect({
            tenantId: 'lincoln',
            organizationId: '',
            clientId: 'x',
            clientSecret: 'y',
            redirectUri: 'https://passport.example.org/coursera/callback',
          }),
        ).rejects.toThrow(/organizationId must not be empty/);
      });

      it('demo mode connects the simulator with consent given; each district reads through its own connection', async () => {
        const { learning } = await open(kind);
        const demo = await startDemoCoursera({
          learning,
          tenantId: 'lincoln',
          redirectUri: 'http://127.0.0.1:9/coursera/callback',
          logger: silent,
        });
        closers.push(() => demo.stop());
        expect(demo.program.name).toBe('Data Science Foundations');
        expect(demo.accounts.length).toBeGreaterThan(0);
        const [summary] = await learning.summaries();
        expect(summary).toMatchObject({ tenantId: 'lincoln', consent: 'active', apiUrl: demo.url });
        const programs = await learning.programs('lincoln');
        expect(programs.map((program) => program.id)).toContain(demo.program.id);
        const [firstCourse] = await learning.courses('lincoln', demo.program.id);
        expect((await learning.items('lincoln', firstCourse!.id)).length).toBeGreaterThan(0);

        // A second district on another Coursera organization (a second simulator): its reads never cross.
        const other = await startCourseraSimulator({ seed: 2 });
        closers.push(() => other.stop());
        const world = await other.admin.world();
        await learning.connect({
          tenantId: 'adams',
          organizationId: world.organizations[0]!.id,
          clientId: world.oauthClients[0]!.clientId,
          clientSecret: world.oauthClients[0]!.clientSecret,
          apiUrl: other.url,
          accountsUrl: other.url,
          redirectUri: 'http://127.0.0.1:9/coursera/callback',
        });
        const callback = await other.admin.approveConsent(
          await learning.authorizationUrl('adams', 'state-adams'),
        );
        await learning.completeAuthorization('adams', callback, 'state-adams');
        const adamsPrograms = (await learning.programs('adams')).map((program) => program.id);
        expect(adamsPrograms).not.toContain(demo.program.id);
        const requestsBefore = (await other.admin.requests()).length;
        await learning.programs('lincoln');
        expect((await other.admin.requests()).length).toBe(requestsBefore);

        // Grade sync's results source routes by the binding's program to the district that owns it.
        const state = createMemorySyncState();
        await state.saveBinding({
          id: 'b-lincoln',
          tenantId: 'lincoln',
          lmsId: 'lms-1',
          contextId: 'c-1',
          platform: 'coursera',
          programId: demo.program.id,
          courseId: firstCourse!.id,
        });
        const source = createTenantResultsSource({ learning, state });
        expect((await source.listItems(firstCourse!.id)).map((item) => item.courseId)).toEqual(
          (await learning.items('lincoln', firstCourse!.id)).map(() => firstCourse!.id),
        );
        await expect(source.listItems('course-nobody-bound')).rejects.toMatchObject({
          code: 'CONNECTOR_NOT_FOUND',
        });
      });
    },
  );
}

defineLearningSuite('pglite');
defineLearningSuite('postgres', { skip: skipPostgres });
