import { join } from 'node:path';
import {
  allScopes,
  createLtiPlatform,
  type LaunchInput,
  type LtiPlatform,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from '@passport/lti13';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, createCliContext } from '../src/cli/context.ts';
import { exitCodes } from '../src/cli/exit-codes.ts';
import { registerLtiCommands } from '../src/cli/lti.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts';
import type { Handler } from '../src/http/handler.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { createRouter } from '../src/http/router.ts';
import { createLogger } from '../src/logger.ts';
import { registerLtiRoutes } from '../src/lti/lti-routes.ts';
import { migrateLtiStorage, toolKeyRing } from '../src/lti/lti-storage.ts';
import { addPlatform } from '../src/lti/platforms.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// ── A minimal browser: a cookie jar per host, following redirects and auto-posting forms ───────────────────────

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

function readForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (form === null) return undefined;
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[decode(input[1] ?? '')] = decode(input[2] ?? '');
  return { action: decode(form[1] ?? ''), fields };
}

class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    const method = form === undefined ? 'GET' : 'POST';
    this.visited.push(`${method} ${target.origin}${target.pathname}`);
    const headers: Record<string, string> = {};
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())];
    if (cookies.length > 0) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(target, {
      method,
      headers,
      redirect: 'manual',
      ...(form === undefined ? {} : { body: new URLSearchParams(form) }),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const jar = this.jar.get(target.host) ?? new Map<string, string>();
      this.jar.set(target.host, jar);
      if (/max-age=0/i.test(cookie)) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1).trim());
    }
    return response;
  }

  /** Follows redirects and auto-post forms until a page that does neither; `lastForm` is the last form posted. */
  async follow(response: Response, from: string) {
    let current = response;
    let url = from;
    let lastForm: { action: string; fields: Record<string, string> } | undefined;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get('location');
      if (current.status >= 300 && current.status < 400 && location !== null) {
        url = new URL(location, url).href;
        current = await this.request(url);
        continue;
      }
      const body = await current.text();
      const form = readForm(body);
      if (form === undefined) return { response: current, body, url, lastForm };
      url = new URL(form.action, url).href;
      lastForm = { action: url, fields: form.fields };
      current = await this.request(url, form.fields);
    }
    throw new Error('too many hops');
  }
}

// ── `passport lti platform add`, run in process against a PGlite data folder ─────────────────────────────────

async function passport(argv: string[], dataDir: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  let code: number = exitCodes.ok;
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    environment: { PASSPORT_DATA_DIR: dataDir },
    cwd: dataDir,
    waitForShutdownSignal: () => new Promise<string>(() => {}),
  };
  const program = new Command('passport').exitOverride().configureOutput({ writeErr: io.stderr.write });
  registerLtiCommands(
    program,
    createCliContext(io, '0.0.0', (exitCode) => {
      code = exitCode;
    }),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    code = error instanceof CommanderError ? exitCodes.usage : exitCodes.failure;
    stderr += error instanceof Error ? error.message : String(error);
  }
  return { code, stderr };
}

// ── The setup: the demo LMS (lti13's platform side) and the reference server's LTI routes, each on 127.0.0.1:0 ──

interface Setup {
  readonly platform: LtiPlatform;
  readonly database: DatabaseHandle;
  readonly toolUrl: string;
  readonly platformUrl: string;
  readonly logLines: Record<string, unknown>[];
}

const clientId = 'passport-tool';
const deploymentId = 'deployment-1';
const unregisteredDeployment = 'deployment-not-in-passport';

async function serveOnLoopback(handler: Handler): Promise<HttpServer> {
  const server = await listen({ handler, host: '127.0.0.1', port: 0 });
  cleanups.push(async () => void (await server.close({ deadlineMs: 1000 })));
  return server;
}

async function startPlatform(): Promise<{ platform: LtiPlatform; url: string }> {
  let handler: Handler = async () => new Response('starting', { status: 503 });
  const server = await serveOnLoopback((request) => handler(request));
  const platform = createLtiPlatform({
    issuer: server.url,
    tools: new MemoryToolRegistry(),
    keys: new MemoryKeyStore(),
    pendingLaunches: new MemoryPendingLaunchStore(),
    replayGuard: new MemoryReplayGuard(),
    gradebook: new MemoryGradebook(),
    memberships: new MemoryMembershipSource(),
  });
  handler = platform.handle;
  return { platform, url: server.url };
}

/** The registration the operator copies from the LMS into `passport lti platform add`. */
function platformFlags(platform: LtiPlatform): string[] {
  return [
    '--issuer',
    platform.urls.issuer,
    '--client-id',
    clientId,
    '--auth-url',
    platform.urls.authorize,
    '--token-url',
    platform.urls.token,
    '--jwks-url',
    platform.urls.jwks,
    '--deployment-id',
    deploymentId,
    '--name',
    'Demo LMS',
  ];
}

/** Opens the database, creates the LTI tables, serves the LTI routes through the server's router and Node adapter. */
async function startTool(
  platform: LtiPlatform,
  platformUrl: string,
  database: DatabaseHandle,
): Promise<Setup> {
  await database.migrate();
  await migrateLtiStorage(database);
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const router = createRouter();
  let toolUrl = '';
  registerLtiRoutes(router, { database, logger, publicUrl: () => toolUrl });
  toolUrl = (await serveOnLoopback(router.handle)).url;
  await platform.registerTool({
    clientId,
    name: 'Passport',
    loginUrl: `${toolUrl}/lti/login`,
    redirectUris: [`${toolUrl}/lti/launch`],
    targetLinkUri: `${toolUrl}/lti/launch`,
    jwksUri: `${toolUrl}/lti/jwks`,
    scopes: [...allScopes],
    deploymentIds: [deploymentId, unregisteredDeployment],
    status: 'active',
  });
  return { platform, database, toolUrl, platformUrl, logLines };
}

async function startOnPglite(): Promise<Setup> {
  const { platform, url } = await startPlatform();
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const dataDir = join(dir.path, 'data');
  await seedMigratedDatabase(dataDir);
  // The operator registers the LMS with the CLI before the server starts (one process opens a PGlite folder).
  const added = await passport(['lti', 'platform', 'add', ...platformFlags(platform)], dataDir);
  expect(added, added.stderr).toEqual({ code: 0, stderr: '' });
  const database = await openDatabase({ kind: 'pglite', dataDir });
  cleanups.push(() => database.close());
  return await startTool(platform, url, database);
}

async function startOnPostgres(): Promise<Setup> {
  const { platform, url } = await startPlatform();
  const schema = uniqueSchema();
  const database = await openDatabase({ kind: 'postgres', url: postgresUrl, schema }).catch(
    explainUnreachable,
  );
  cleanups.push(async () => {
    await database.close();
    await dropSchema(schema);
  });
  const setup = await startTool(platform, url, database);
  // The function behind `passport lti platform add` (the CLI reads DATABASE_URL and cannot target a test schema).
  const added = await addPlatform(database.sql, {
    issuer: platform.urls.issuer,
    clientId,
    name: 'Demo LMS',
    authorizationEndpoint: platform.urls.authorize,
    tokenEndpoint: platform.urls.token,
    jwksUri: platform.urls.jwks,
    deploymentIds: [deploymentId],
  });
  expect(added.outcome).toBe('added');
  return setup;
}

function studentLaunch(overrides: Partial<LaunchInput> = {}): LaunchInput {
  return {
    clientId,
    deploymentId,
    userId: 'student-42',
    roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    user: { name: 'Sam <Student>', email: 'sam@lincoln.example.edu' },
    context: { id: 'course-bio', label: 'BIO-101', title: 'Biology' },
    resourceLink: { id: 'link-1', title: 'Cells: quiz 1' },
    ...overrides,
  };
}

async function launch(setup: Setup, input: LaunchInput, method: 'GET' | 'POST' = 'POST') {
  const browser = new Browser();
  const start = await setup.platform.launchResponse(input, { method });
  return { browser, ...(await browser.follow(start, setup.platformUrl)) };
}

const refusals = (setup: Setup) => setup.logLines.filter((line) => line.msg === 'LTI request refused');

function defineLaunchSuite(name: string, start: () => Promise<Setup>, options: { skip?: boolean } = {}) {
  // Each PGlite test opens its data folder twice (the CLI, then the server): slow on a busy machine.
  describe.skipIf(options.skip === true)(
    `LTI 1.3 launches into the reference server on ${name}`,
    { timeout: 60_000 },
    () => {
      it('login → launch over real HTTP answers a page naming the user, role and course', async () => {
        const setup = await start();
        const result = await launch(setup, studentLaunch());
        expect(result.response.status, result.body).toBe(200);
        expect(result.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(result.browser.visited).toEqual([
          `POST ${setup.toolUrl}/lti/login`,
          `GET ${setup.platformUrl}/lti/authorize`,
          `POST ${setup.toolUrl}/lti/launch`,
        ]);
        expect(result.body).toContain('<html lang="en">');
        expect(result.body).toContain('<main>');
        expect(result.body).toContain('<h1>Launched from your learning platform</h1>');
        expect(result.body).toContain('<dt>User</dt>\n    <dd>Sam &lt;Student&gt;</dd>'); // escaped
        expect(result.body).toContain('<dt>Role</dt>\n    <dd>Learner</dd>');
        expect(result.body).toContain('<dt>Course</dt>\n    <dd>Biology (BIO-101)</dd>');
        expect(result.body).toContain('<dt>Activity</dt>\n    <dd>Cells: quiz 1</dd>');
        expect(result.body).toContain('<dt>Platform</dt>\n    <dd>Demo LMS</dd>');
        expect(result.body).not.toContain('<script');
        // The state cookie is spent and cleared; the launch is logged without personal data.
        expect([...(result.browser.jar.get(new URL(setup.toolUrl).host) ?? new Map()).keys()]).toEqual([]);
        const logged = setup.logLines.find((line) => line.msg === 'LTI launch');
        expect(logged).toMatchObject({
          issuer: setup.platformUrl,
          clientId,
          deploymentId,
          messageType: 'LtiResourceLinkRequest',
          contextId: 'course-bio',
          stateBinding: 'cookie',
        });
        expect(JSON.stringify(setup.logLines)).not.toContain('Sam');
        expect(refusals(setup)).toEqual([]);

        // The same form posted again is a replay.
        const replay = await result.browser.request(result.lastForm!.action, result.lastForm!.fields);
        expect(replay.status).toBe(400);
        expect(await replay.text()).toContain('LTI_STATE_REPLAYED');
      });

      it('an instructor launching with a GET login sees the role and course in words', async () => {
        const setup = await start();
        const result = await launch(
          setup,
          studentLaunch({
            userId: 'teacher-7',
            user: { givenName: 'Ada', familyName: 'Lovelace' },
            roles: [
              'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty',
              'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
            ],
            context: { id: 'course-chem' },
          }),
          'GET',
        );
        expect(result.response.status, result.body).toBe(200);
        expect(result.browser.visited[0]).toBe(`GET ${setup.toolUrl}/lti/login`);
        expect(result.body).toContain('<dd>Ada Lovelace</dd>');
        expect(result.body).toContain('<dd>Instructor (TeachingAssistant), Faculty (institution)</dd>');
        expect(result.body).toContain('<dd>course-chem</dd>');
      });

      it('refuses a launch from a deployment the operator did not register, with LTI_DEPLOYMENT_UNKNOWN', async () => {
        const setup = await start();
        const result = await launch(setup, studentLaunch({ deploymentId: unregisteredDeployment }));
        expect(result.response.status).toBe(403);
        expect(result.body).toContain('<code>LTI_DEPLOYMENT_UNKNOWN</code>');
        expect(result.body).toContain(`Deployment ${unregisteredDeployment} is not registered`);
        expect(result.body).toContain('What to fix');
        expect(result.browser.visited).toEqual([`POST ${setup.toolUrl}/lti/login`]);
        expect(refusals(setup)).toEqual([
          expect.objectContaining({
            level: 'warn',
            route: 'login',
            status: 403,
            code: 'LTI_DEPLOYMENT_UNKNOWN',
          }),
        ]);
        // The same refusal as JSON, for a client that asks for it.
        const started = await setup.platform.startLaunch(
          studentLaunch({ deploymentId: unregisteredDeployment }),
        );
        const json = await fetch(`${setup.toolUrl}/lti/login`, {
          method: 'POST',
          headers: { accept: 'application/json' },
          body: new URLSearchParams(started.parameters),
        });
        expect(json.status).toBe(403);
        expect(await json.json()).toMatchObject({
          code: 'LTI_DEPLOYMENT_UNKNOWN',
          error: 'unauthorized_client',
        });
      });

      it('serves one persisted tool key set, and answers 405 for a GET launch', async () => {
        const setup = await start();
        const first = await fetch(`${setup.toolUrl}/lti/jwks`);
        expect(first.status).toBe(200);
        const { keys } = (await first.json()) as { keys: { kid: string; kty: string; d?: string }[] };
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatchObject({ kty: 'RSA' });
        expect(keys[0]).not.toHaveProperty('d'); // the public half only
        const second = (await (await fetch(`${setup.toolUrl}/lti/jwks`)).json()) as {
          keys: { kid: string }[];
        };
        expect(second.keys.map((key) => key.kid)).toEqual([keys[0]!.kid]);
        const { rows } = await setup.database.sql.query<{ kid: string }>(
          'SELECT kid FROM lti_keys WHERE ring = $1',
          [toolKeyRing],
        );
        expect(rows.map((row) => row.kid)).toEqual([keys[0]!.kid]);

        const getLaunch = await fetch(`${setup.toolUrl}/lti/launch`);
        expect(getLaunch.status).toBe(405);
        expect(getLaunch.headers.get('allow')).toBe('POST');
      });

      it('registers the LMS by dynamic registration at /lti/register, then launches with the new client id', async () => {
        const setup = await start();
        const browser = new Browser();
        const registration = await browser.request(
          await setup.platform.registrationStartUrl(`${setup.toolUrl}/lti/register`),
        );
        const page = await registration.text();
        expect(registration.status, page).toBe(200);
        expect(page).toContain("postMessage({ subject: 'org.imsglobal.lti.close' }, '*')");

        const { rows } = await setup.database.sql.query<{ client_id: string; status: string }>(
          'SELECT client_id, status FROM lti_platform_registrations WHERE client_id <> $1',
          [clientId],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]?.status).toBe('active');
        const newClientId = rows[0]!.client_id;
        const tool = await setup.platform.context.tools.getTool(newClientId);
        expect(tool).toMatchObject({
          loginUrl: `${setup.toolUrl}/lti/login`,
          redirectUris: [`${setup.toolUrl}/lti/launch`],
          jwksUri: `${setup.toolUrl}/lti/jwks`,
        });
        expect([...(tool?.scopes ?? [])].sort()).toEqual([...allScopes].sort());

        const result = await launch(
          setup,
          studentLaunch({ clientId: newClientId, deploymentId: tool!.deploymentIds[0]! }),
        );
        expect(result.response.status, result.body).toBe(200);
        expect(result.body).toContain('<dd>Biology (BIO-101)</dd>');
      });
    },
  );
}

defineLaunchSuite('PGlite', startOnPglite);
defineLaunchSuite('PostgreSQL', startOnPostgres, { skip: skipPostgres });
