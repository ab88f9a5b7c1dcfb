import {
  allScopes,
  createLtiPlatform,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '@passport/lti13';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../src/http/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { addPlatform } from '../src/lti/platforms.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { Browser, instructorRole, linksOf, until } from './gradesync-harness.ts';
import { testConfig } from './support/config.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { signInOverHttp } from './support/sso-session.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(skipPostgres)(
  'demo mode: the Coursera simulator and grade sync in the running server',
  () => {
    it('connects the simulator with its demo program, runs the jobs, and serves the picker to the LMS', {
      timeout: 120_000,
    }, async () => {
      const schema = uniqueSchema();
      const dir = await makeTempDir();
      cleanups.push(dir.remove);
      let server: RunningServer;
      try {
        server = await startServer({
          config: testConfig({ dataDir: dir.path, databaseUrl: postgresUrl, demo: true }),
          logger: createLogger({ level: 'silent' }),
          databaseSchema: schema,
        });
      } catch (error) {
        explainUnreachable(error);
      }
      let closed = false;
      cleanups.push(async () => {
        if (!closed) await server.close();
        await dropSchema(schema);
        await dropSchema(`${schema}_pgboss`);
      });
      expect(server.coursera?.program.name).toBe('Data Science Foundations');
      // The jobs start beside the listener.
      await until('the grade sync jobs', async () => server.gradeSync.jobs !== undefined);
      const world = await server.coursera!.admin.world();
      expect(world.organizations[0]?.programs.map((program) => program.id)).toContain(
        server.coursera!.program.id,
      );

      // An LMS registered with the server: a teacher's deep linking request lands on the demo district's picker.
      let handler: (request: Request) => Promise<Response> = async () =>
        new Response('starting', { status: 503 });
      const lms = await listen({ handler: (request) => handler(request), host: '127.0.0.1', port: 0 });
      cleanups.push(async () => void (await lms.close({ deadlineMs: 1000 })));
      const platform = createLtiPlatform({
        issuer: lms.url,
        tools: new MemoryToolRegistry(),
        keys: new MemoryKeyStore(),
        pendingLaunches: new MemoryPendingLaunchStore(),
        replayGuard: new MemoryReplayGuard(),
        gradebook: new MemoryGradebook(),
        memberships: new MemoryMembershipSource(),
      });
      handler = platform.handle;
      await platform.registerTool({
        clientId: 'passport',
        name: 'Passport',
        loginUrl: `${server.url}/lti/login`,
        redirectUris: [`${server.url}/lti/launch`],
        targetLinkUri: `${server.url}/lti/launch`,
        jwksUri: `${server.url}/lti/jwks`,
        scopes: [...allScopes],
        deploymentIds: ['1'],
        status: 'active',
      });
      await addPlatform(server.database.sql, {
        issuer: platform.urls.issuer,
        clientId: 'passport',
        authorizationEndpoint: platform.urls.authorize,
        tokenEndpoint: platform.urls.token,
        jwksUri: platform.urls.jwks,
        deploymentIds: ['1'],
      });
      const browser = new Browser();
      const page = await browser.follow(
        await platform.launchResponse({
          clientId: 'passport',
          deploymentId: '1',
          userId: 'teacher-1',
          messageType: 'LtiDeepLinkingRequest',
          roles: [instructorRole],
          context: { id: 'demo-course', title: 'Demo course' },
        }),
        lms.url,
      );
      expect(page.response.status, page.body).toBe(200);
      expect(linksOf(page.body).map((link) => link.text)).toContain('Data Science Foundations');
      const [instance] = (await server.gradeSync.overview()).lmsInstances;
      expect(instance).toMatchObject({ tenantId: server.demo?.tenantId, mode: 'final-grade' });

      // The district admin's grade sync page: the LMS with its mode, changed with the session's CSRF token.
      const admin = server.demo?.accounts?.find((account) => account.role === 'district admin');
      const partner = server.demo?.accounts?.find((account) => account.role === 'partner developer');
      expect(admin).toBeDefined();
      const { cookie } = await signInOverHttp(server.url, admin!);
      const pagePath = `/console/gradesync/${server.demo!.tenantId}`;
      const consolePage = await fetch(`${server.url}${pagePath}`, { headers: { cookie } });
      const consoleBody = await consolePage.text();
      expect(consolePage.status, consoleBody).toBe(200);
      expect(consoleBody).toContain('<h2 id="lms">LMS instances</h2>');
      expect(consoleBody).toContain(`<option value="final-grade" selected>`);
      expect(consoleBody).toContain('consent <strong>active</strong>');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(consoleBody)?.[1] ?? '';
      const changed = await fetch(`${server.url}${pagePath}/mode`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: csrf, lms: instance!.lmsId, mode: 'granular-created' }),
      });
      expect(changed.status).toBe(303);
      expect(await server.gradeSync.modeOf(instance!.lmsId)).toBe('granular-created');
      const forged = await fetch(`${server.url}${pagePath}/mode`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: 'forged', lms: instance!.lmsId, mode: 'final-grade' }),
      });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain('<code>SERVER_CSRF_INVALID</code>');
      expect(await server.gradeSync.modeOf(instance!.lmsId)).toBe('granular-created');
      if (partner !== undefined) {
        const other = await signInOverHttp(server.url, partner);
        const refused = await fetch(`${server.url}${pagePath}`, { headers: { cookie: other.cookie } });
        expect(refused.status).toBe(403);
        expect(await refused.text()).toContain('<code>SERVER_FORBIDDEN</code>');
      }

      // Shutdown stops the jobs and the simulator, then closes the database.
      await server.close();
      closed = true;
      await expect(fetch(`${server.coursera!.url}/__admin/world`)).rejects.toThrow();
    });
  },
);
