import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  claimUris,
  createClientAssertion,
  createDeepLinkingResponse,
  createLtiServices,
  createLtiTool,
  type LtiLaunch,
  type LtiTool,
  MemoryAccessTokenStore,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryPlatformRegistry,
  mediaTypes,
  scopes,
} from '@passport/lti13';
import { writeGeneratedDistrict } from '@passport/oneroster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts';
import { createDemoLms, type DemoLms } from '../src/demo-lms/index.ts';
import type { Handler } from '../src/http/handler.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { createRouter } from '../src/http/router.ts';
import { createLogger } from '../src/logger.ts';
import { registerLtiRoutes } from '../src/lti/lti-routes.ts';
import { createLtiToolStores } from '../src/lti/lti-storage.ts';
import { createRosterService, type RosterService } from '../src/roster/roster-service.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import {
  dropSchema,
  explainUnreachable,
  postgresUrl,
  skipPostgres,
  uniqueSchema,
} from './support/postgres.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * The demo LMS over loopback HTTP, on PGlite and on the real PostgreSQL: demo sign-in from the roster, tool
 * registration (by hand and by LTI Dynamic Registration against the server's own tool), deep linking, launches with
 * the AGS, NRPS and LIS claims, the platform's token, AGS and NRPS endpoints, and the gradebook page.
 */

// ── A minimal browser: cookies per host, redirects, and the auto-posting forms of LTI (`id="lti-auto-post"`) ───

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

interface Form {
  action: string;
  fields: Record<string, string>;
}

/** The POST forms of a page, with their hidden fields, in order. */
function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].map(
    (form) => {
      const fields: Record<string, string> = {};
      for (const input of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
        fields[decode(input[1] ?? '')] = decode(input[2] ?? '');
      return { action: decode(form[1] ?? ''), fields };
    },
  );
}

function autoPostForm(html: string): Form | undefined {
  if (!html.includes('id="lti-auto-post"')) return undefined;
  return formsOf(html)[0];
}

/** The form whose submit button reads `label`. */
function formWithButton(html: string, label: string): Form {
  const index = [...html.matchAll(/<form[^>]*method="post"[\s\S]*?<\/form>/g)].findIndex((match) =>
    match[0].includes(`>${label}</button>`),
  );
  const form = formsOf(html)[index];
  if (index === -1 || form === undefined) throw new Error(`No form with the button "${label}"`);
  return form;
}

class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  async request(url: string, form?: Record<string, string | string[]>, accept?: string): Promise<Response> {
    const target = new URL(url);
    const method = form === undefined ? 'GET' : 'POST';
    this.visited.push(`${method} ${target.href}`);
    const headers: Record<string, string> = {};
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())];
    if (cookies.length > 0) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
    if (accept !== undefined) headers.accept = accept;
    let body: URLSearchParams | undefined;
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams();
      for (const [name, value] of Object.entries(form))
        for (const each of Array.isArray(value) ? value : [value]) body.append(name, each);
    }
    const response = await fetch(target, { method, headers, redirect: 'manual', ...(body ? { body } : {}) });
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

  /** Requests `url`, then follows redirects and LTI auto-post forms until a page that has neither. */
  async go(url: string, form?: Record<string, string | string[]>) {
    let current = await this.request(url, form);
    let at = url;
    for (let hops = 0; hops < 12; hops++) {
      const location = current.headers.get('location');
      if (current.status >= 300 && current.status < 400 && location !== null) {
        at = new URL(location, at).href;
        current = await this.request(at);
        continue;
      }
      const body = await current.text();
      const next = autoPostForm(body);
      if (next === undefined) return { status: current.status, body, url: at };
      at = new URL(next.action, at).href;
      current = await this.request(at, next.fields);
    }
    throw new Error('too many hops');
  }
}

const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (match === null) throw new Error('no CSRF token on the page');
  return decode(match[1] ?? '');
};

// ── A test tool: @passport/lti13's tool side with in-memory stores, answering deep linking with two items ─────

interface TestTool {
  readonly url: string;
  readonly tool: LtiTool;
  readonly registry: MemoryPlatformRegistry;
  readonly launches: LtiLaunch[];
}

async function startTestTool(serve: (handler: Handler) => Promise<HttpServer>): Promise<TestTool> {
  let handler: Handler = async () => new Response('starting', { status: 503 });
  const server = await serve((request) => handler(request));
  const registry = new MemoryPlatformRegistry();
  const launches: LtiLaunch[] = [];
  const tool: LtiTool = createLtiTool({
    launchUrl: `${server.url}/launch`,
    registry,
    loginStates: new MemoryLoginStateStore(),
    keys: new MemoryKeyStore(),
    // HTTP only here, no script runs: the state stays in the cookie even when the LMS offers platform storage.
    platformStorage: false,
    onLaunch: async (launch) => {
      launches.push(launch);
      if (launch.messageType === 'LtiDeepLinkingRequest') {
        const answer = await createDeepLinkingResponse({
          launch,
          keyRing: tool.keyRing,
          clock: { now: () => new Date() },
          generateId: () => randomBytes(8).toString('hex'),
          messages: { msg: 'Two activities chosen' },
          items: [
            {
              type: 'ltiResourceLink',
              title: 'Quiz 1',
              url: `${server.url}/launch`,
              custom: { quiz: '1' },
              lineItem: { scoreMaximum: 10, label: 'Quiz 1', resourceId: 'quiz-1', tag: 'quiz' },
            },
            { type: 'ltiResourceLink', title: 'Reading', url: `${server.url}/launch` },
          ],
        });
        return answer.response;
      }
      return Response.json({ launched: launch.resourceLink?.id });
    },
  });
  const routes: Record<string, Handler> = {
    '/login': tool.login,
    '/launch': tool.launch,
    '/jwks': tool.jwks,
  };
  handler = async (request) =>
    (routes[new URL(request.url).pathname] ?? (async () => new Response('no', { status: 404 })))(request);
  return { url: server.url, tool, registry, launches };
}

// ── The setup: a roster tenant, the demo LMS and the server's own LTI tool on one loopback server ────────────

interface Setup {
  readonly server: HttpServer;
  readonly lms: DemoLms;
  readonly database: DatabaseHandle;
  readonly roster: RosterService;
  readonly testTool: TestTool;
}

const tenantId = 'demo';

async function prepareRoster(database: DatabaseHandle, folder: string): Promise<RosterService> {
  await database.migrate();
  await createTenantStore({ db: database.db }).create({ id: tenantId, name: 'Demo District' }, 'test');
  const roster = createRosterService({ database, sealingKey: randomBytes(32) });
  const packagePath = join(folder, 'district.zip');
  await writeGeneratedDistrict(
    { students: 40, seed: 'demo-lms-test', districtName: 'Demo District' },
    packagePath,
  );
  const result = await roster.importPackage(tenantId, packagePath);
  expect(result.status).toBe('applied');
  return roster;
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe.skipIf(backend === 'postgres' && skipPostgres)(`the demo LMS (${backend})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    let setup: Setup;

    const serve = async (handler: Handler) => {
      const server = await listen({ handler, host: '127.0.0.1', port: 0 });
      cleanups.push(async () => void (await server.close({ deadlineMs: 1000 })));
      return server;
    };

    beforeAll(async () => {
      const folder = await makeTempDir('passport-demo-lms-');
      cleanups.push(folder.remove);
      let database: DatabaseHandle;
      if (backend === 'pglite') {
        database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
      } else {
        const schema = uniqueSchema();
        database = await openDatabase({ kind: 'postgres', url: postgresUrl, schema, poolSize: 4 }).catch(
          explainUnreachable,
        );
        cleanups.push(() => dropSchema(schema));
      }
      cleanups.push(() => database.close());
      const roster = await prepareRoster(database, folder.path);
      const logger = createLogger({ level: 'silent' });
      const router = createRouter();
      let server: HttpServer | undefined;
      const lms = createDemoLms({ database, roster, tenantId, baseUrl: () => server?.url ?? '', logger });
      router.mount(lms.path, lms.handle);
      registerLtiRoutes(router, {
        database,
        logger,
        publicUrl: () => server?.url ?? '',
        registrationStatus: 'active',
      });
      server = await serve(router.handle);
      const testTool = await startTestTool(serve);
      setup = { server, lms, database, roster, testTool };
    }, 60_000);

    afterAll(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    const lmsUrl = () => `${setup.server.url}/demo-lms`;

    async function signInAdministrator(): Promise<{ browser: Browser; page: string }> {
      const browser = new Browser();
      const { status, body, url } = await browser.go(`${lmsUrl()}/sign-in`, { user: 'administrator' });
      expect(status).toBe(200);
      expect(url).toBe(`${lmsUrl()}/admin/tools`);
      return { browser, page: body };
    }

    /** A class of the roster with a teacher and at least two students. */
    async function rosterClass(nth = 0) {
      let found = 0;
      const classes = await setup.roster.store.list(tenantId, {
        file: 'classes',
        limit: 500,
        offset: 0,
        includeDeleted: false,
      });
      for (const entity of classes.entities) {
        const members = async (role: 'teacher' | 'student') =>
          (
            await setup.roster.store.list(tenantId, {
              file: 'users',
              membership: { type: 'usersInClass', classSourcedId: entity.sourcedId, role },
              limit: 500,
              offset: 0,
              includeDeleted: false,
            })
          ).entities;
        const [teachers, students] = [await members('teacher'), await members('student')];
        if (teachers.length > 0 && students.length > 1 && found++ === nth)
          return {
            id: entity.sourcedId,
            title: String(entity.title),
            teachers,
            students,
            total: classes.total,
          };
      }
      throw new Error('the generated roster has no class with a teacher and students');
    }

    async function signIn(userId: string, courseId: string): Promise<{ browser: Browser; page: string }> {
      const browser = new Browser();
      const picker = await browser.go(`${lmsUrl()}/sign-in?course=${encodeURIComponent(courseId)}`);
      expect(picker.body).toContain(`name="user" value="${userId}"`);
      const { status, body, url } = await browser.go(`${lmsUrl()}/sign-in`, {
        user: userId,
        course: courseId,
      });
      expect(status).toBe(200);
      expect(url).toBe(`${lmsUrl()}/courses/${encodeURIComponent(courseId)}`);
      return { browser, page: body };
    }

    /** Registers the test tool by hand through the admin page and tells the tool about the LMS; returns its ids. */
    async function registerTestTool(): Promise<{ clientId: string; deploymentId: string }> {
      const existing = (await setup.lms.platform().context.tools.listTools()).find(
        (tool) => tool.name === 'Test Tool',
      );
      if (existing !== undefined)
        return { clientId: existing.clientId, deploymentId: existing.deploymentIds[0] as string };
      const { browser, page } = await signInAdministrator();
      const response = await browser.request(`${lmsUrl()}/admin/tools/manual`, {
        _csrf: csrfOf(page),
        name: 'Test Tool',
        login_url: `${setup.testTool.url}/login`,
        target_link_uri: `${setup.testTool.url}/launch`,
        redirect_uris: '',
        deep_linking_url: '',
        jwks_url: `${setup.testTool.url}/jwks`,
        scope: [scopes.lineItem, scopes.resultReadOnly, scopes.score, scopes.membershipReadOnly],
      });
      expect(response.status).toBe(303);
      const clientId =
        new URL(response.headers.get('location') ?? '', lmsUrl()).searchParams.get('added') ?? '';
      const list = await browser.go(`${lmsUrl()}/admin/tools`);
      expect(list.body).toContain('Test Tool');
      expect(list.body).toContain(`<code>${clientId}</code>`);
      const tool = await setup.lms.platform().context.tools.getTool(clientId);
      const deploymentId = tool?.deploymentIds[0] as string;
      const urls = setup.lms.platform().urls;
      await setup.testTool.registry.saveRegistration({
        issuer: urls.issuer,
        clientId,
        authorizationEndpoint: urls.authorize,
        tokenEndpoint: urls.token,
        jwksUri: urls.jwks,
        status: 'active',
      });
      await setup.testTool.registry.saveDeployment({ issuer: urls.issuer, clientId, deploymentId });
      return { clientId, deploymentId };
    }

    /** The teacher deep-links the test tool's two items into the course; resolves the course page after it. */
    async function deepLinkIntoCourse(courseId: string, teacherId: string) {
      await registerTestTool();
      const teacher = await signIn(teacherId, courseId);
      const form = formWithButton(teacher.page, 'Open the picker of Test Tool in the whole window');
      const done = await teacher.browser.go(new URL(form.action, lmsUrl()).href, form.fields);
      return { teacher, done };
    }

    it('seeds one course per roster class, with the roster’s teachers and students as LMS users', async () => {
      const rosterCourse = await rosterClass();
      const browser = new Browser();
      const picker = await browser.go(`${lmsUrl()}/sign-in?course=${encodeURIComponent(rosterCourse.id)}`);
      expect(picker.status).toBe(200);
      expect((picker.body.match(/<option /g) ?? []).length).toBe(rosterCourse.total);
      for (const person of [...rosterCourse.teachers, ...rosterCourse.students])
        expect(picker.body).toContain(`name="user" value="${person.sourcedId}"`);
      const buttons = (picker.body.match(/>Sign in as /g) ?? []).length;
      // every teacher and student of the class, plus the administrator
      expect(buttons).toBe(rosterCourse.teachers.length + rosterCourse.students.length + 1);
    });

    it('signs a student in with a session cookie and shows only their courses; pages need a session', async () => {
      const rosterCourse = await rosterClass();
      const student = rosterCourse.students[0]!;
      const anonymous = await new Browser().request(
        `${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}`,
      );
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toBe('/demo-lms/sign-in');

      const { browser, page } = await signIn(student.sourcedId, rosterCourse.id);
      expect(page).toContain(`<h1>${rosterCourse.title}</h1>`);
      expect(page).toContain(`Signed in as <strong>${student.givenName} ${student.familyName}</strong>`);
      const cookie = [...(browser.jar.get(new URL(lmsUrl()).host) ?? new Map())].find(
        ([name]) => name === 'passport_demo_lms',
      );
      expect(cookie).toBeDefined();
      const courses = await browser.go(`${lmsUrl()}/courses`);
      const enrolledIn = (
        await setup.roster.store.list(tenantId, {
          file: 'classes',
          membership: { type: 'classesOfUser', userSourcedId: student.sourcedId },
          limit: 100,
          offset: 0,
          includeDeleted: false,
        })
      ).entities;
      expect((courses.body.match(/<li><a href="\/demo-lms\/courses\//g) ?? []).length).toBe(
        enrolledIn.length,
      );

      // A student is not the administrator, and not enrolled in every course.
      const admin = await browser.go(`${lmsUrl()}/admin/tools`);
      expect(admin.status).toBe(403);
      expect(admin.body).toContain('SERVER_UNAUTHORIZED');

      const signOut = await browser.go(`${lmsUrl()}/sign-out`, { _csrf: csrfOf(page) });
      expect(signOut.url).toBe(`${lmsUrl()}/sign-in`);
      const after = await browser.request(`${lmsUrl()}/courses`);
      expect(after.status).toBe(303);
    });

    it('refuses form posts without the session’s CSRF token', async () => {
      const { browser } = await signInAdministrator();
      const response = await browser.request(`${lmsUrl()}/admin/tools/manual`, {
        _csrf: 'forged',
        name: 'Evil',
        login_url: 'https://evil.example/login',
        target_link_uri: 'https://evil.example/launch',
        jwks_url: 'https://evil.example/jwks',
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('SERVER_UNAUTHORIZED');
      expect(
        (await setup.lms.platform().context.tools.listTools()).some((tool) => tool.name === 'Evil'),
      ).toBe(false);
    });

    it('registers a tool by hand and lists it with its client and deployment ids', async () => {
      const { clientId, deploymentId } = await registerTestTool();
      const tool = await setup.lms.platform().context.tools.getTool(clientId);
      expect(tool).toMatchObject({
        name: 'Test Tool',
        loginUrl: `${setup.testTool.url}/login`,
        redirectUris: [`${setup.testTool.url}/launch`],
        jwksUri: `${setup.testTool.url}/jwks`,
        status: 'active',
        scopes: [scopes.lineItem, scopes.resultReadOnly, scopes.score, scopes.membershipReadOnly],
      });
      const { browser } = await signInAdministrator();
      const list = await browser.go(`${lmsUrl()}/admin/tools`);
      expect(list.body).toContain(`<code>${deploymentId}</code>`);
      expect(list.body).toContain(`<code>${setup.lms.platform().urls.issuer}</code>`);
    });

    it('registers the server’s own LTI tool by LTI Dynamic Registration', async () => {
      const { browser, page } = await signInAdministrator();
      const started = await browser.go(`${lmsUrl()}/admin/tools/dynamic-registration`, {
        _csrf: csrfOf(page),
        registration_url: `${setup.server.url}/lti/register`,
      });
      expect(started.status).toBe(200);
      const frame = /<iframe class="tool" title="Tool registration" src="([^"]+)"/.exec(started.body);
      expect(frame).not.toBeNull();
      const startUrl = new URL(decode(frame?.[1] ?? ''));
      expect(`${startUrl.origin}${startUrl.pathname}`).toBe(`${setup.server.url}/lti/register`);
      expect(startUrl.searchParams.get('openid_configuration')).toBe(
        `${lmsUrl()}/.well-known/openid-configuration`,
      );
      expect(startUrl.searchParams.get('registration_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      const registered = await browser.go(startUrl.href);
      expect(registered.status).toBe(200);
      expect(registered.body).toContain('org.imsglobal.lti.close');

      const passportTool = (await setup.lms.platform().context.tools.listTools()).find(
        (tool) => tool.name === 'Passport',
      );
      expect(passportTool).toMatchObject({
        loginUrl: `${setup.server.url}/lti/login`,
        jwksUri: `${setup.server.url}/lti/jwks`,
        status: 'active',
      });
      const list = await browser.go(`${lmsUrl()}/admin/tools?registered=1`);
      expect(list.body).toContain('Registration finished');
      expect(list.body).toContain(`<code>${passportTool?.clientId}</code>`);
      // The tool side kept the LMS as a platform, with the deployment the LMS created.
      const platforms = await createLtiToolStores(setup.database.sql).registry.listRegistrations({
        issuer: lmsUrl(),
      });
      expect(platforms.map((platform) => platform.clientId)).toContain(passportTool?.clientId);

      // A registration token works once: the LMS refuses it again, and the tool reports the refusal.
      const again = await browser.request(startUrl.href);
      expect(again.status).toBeGreaterThanOrEqual(400);
      const refusal = await again.text();
      expect(refusal).toContain('LTI_REGISTRATION_REFUSED');
      expect(refusal).toContain('The registration token has already been used.');
    });

    it('adds activities by deep linking, with a gradebook column for the item that has a line item', async () => {
      const rosterCourse = await rosterClass();
      const teacherId = rosterCourse.teachers[0]!.sourcedId;
      const { teacher, done } = await deepLinkIntoCourse(rosterCourse.id, teacherId);
      expect(done.url).toBe(`${lmsUrl()}/lti/deep-linking-return`);
      expect(done.body).toContain('Activities added');
      expect(done.body).toContain('The tool said: Two activities chosen');
      // The deep linking request went through the OIDC login initiation of the tool.
      const login = teacher.browser.visited.find((visit) =>
        visit.startsWith(`GET ${setup.testTool.url}/login?`),
      );
      expect(new URL(login?.slice(4) ?? 'http://none').searchParams.get('login_hint')).toBe(teacherId);
      const request = setup.testTool.launches.at(-1);
      expect(request?.messageType).toBe('LtiDeepLinkingRequest');
      expect(request?.deepLinkingSettings).toMatchObject({
        deep_link_return_url: `${lmsUrl()}/lti/deep-linking-return`,
        accept_types: ['ltiResourceLink'],
        accept_lineitem: true,
      });
      expect(request?.context?.id).toBe(rosterCourse.id);

      const course = await teacher.browser.go(`${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}`);
      expect(course.body).toMatch(
        /<span class="title">Quiz 1<\/span>[\s\S]*<span class="title">Reading<\/span>/,
      );
      const lineItems = await setup.lms.platform().context.gradebook.listLineItems(rosterCourse.id);
      expect(lineItems.filter((lineItem) => lineItem.label === 'Quiz 1')).toHaveLength(1);
      expect(lineItems.find((lineItem) => lineItem.label === 'Quiz 1')).toMatchObject({
        scoreMaximum: 10,
        resourceId: 'quiz-1',
        tag: 'quiz',
      });
      const gradebook = await teacher.browser.go(
        `${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}/gradebook`,
      );
      expect(gradebook.status).toBe(200);
      expect(gradebook.body).toContain('<th scope="col">Quiz 1<br><span class="muted">out of 10</span></th>');
      for (const student of rosterCourse.students)
        expect(gradebook.body).toContain(`<span class="muted">${student.sourcedId}</span>`);
    });

    it('frames the deep linking picker in the course page, then returns the whole window to the course', async () => {
      const rosterCourse = await rosterClass(1);
      const { clientId } = await registerTestTool();
      const teacher = await signIn(rosterCourse.teachers[0]!.sourcedId, rosterCourse.id);
      const link = /<a class="button" href="([^"]+)">Add activity from Test Tool<\/a>/.exec(teacher.page);
      expect(link).not.toBeNull();
      const withPicker = await teacher.browser.go(new URL(decode(link?.[1] ?? ''), lmsUrl()).href);
      expect(withPicker.body).toContain('<h2 id="picker-heading">Add activities from Test Tool</h2>');
      expect(withPicker.body).toContain('lti.capabilities'); // the platform storage script serves the frame
      const frame = /<iframe id="deep-linking-frame"[^>]*src="([^"]+)"/.exec(withPicker.body);
      expect(decode(frame?.[1] ?? '')).toBe(
        `/demo-lms/courses/${encodeURIComponent(rosterCourse.id)}/deep-link?tool=${clientId}&target=iframe`,
      );
      const done = await teacher.browser.go(new URL(decode(frame?.[1] ?? ''), lmsUrl()).href);
      expect(done.url).toBe(`${lmsUrl()}/lti/deep-linking-return`);
      expect(done.body).toContain('window.top.location.href');
      const login = teacher.browser.visited.findLast((visit) =>
        visit.startsWith(`GET ${setup.testTool.url}/login?`),
      );
      expect(new URL(login?.slice(4) ?? 'http://none').searchParams.get('lti_storage_target')).toBe(
        '_parent',
      );
      expect(setup.testTool.launches.at(-1)?.launchPresentation?.document_target).toBe('iframe');
      const activities = await setup.lms.platform().context.gradebook.listLineItems(rosterCourse.id);
      expect(activities.map((lineItem) => lineItem.label)).toEqual(['Quiz 1']);
    });

    it('refuses a deep linking response that the tool did not sign', async () => {
      const response = await fetch(`${lmsUrl()}/lti/deep-linking-return`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ JWT: 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJub2JvZHkifQ.' }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('LTI_DEEP_LINKING_RESPONSE_INVALID');
    });

    it('launches an activity in an iframe with the AGS, NRPS and LIS claims; scores land in the gradebook', async () => {
      const rosterCourse = await rosterClass();
      const { clientId } = await registerTestTool();
      const existing = await setup.lms.platform().context.gradebook.listLineItems(rosterCourse.id);
      if (!existing.some((lineItem) => lineItem.label === 'Quiz 1'))
        await deepLinkIntoCourse(rosterCourse.id, rosterCourse.teachers[0]!.sourcedId);
      const student = rosterCourse.students[1]!;
      const { browser, page } = await signIn(student.sourcedId, rosterCourse.id);
      const openHere = /<a class="button" href="([^"]+)">Open here<\/a>/.exec(page);
      expect(openHere).not.toBeNull();
      const framed = await browser.go(new URL(decode(openHere?.[1] ?? ''), lmsUrl()).href);
      const frame = /<iframe id="activity-frame"[^>]*src="([^"]+)"/.exec(framed.body);
      expect(frame?.[1]).toMatch(/\/launch\?target=iframe$/);
      expect(framed.body).toContain('lti.capabilities'); // the platform storage script serves the frame

      const launched = await browser.go(new URL(decode(frame?.[1] ?? ''), lmsUrl()).href);
      expect(launched.status).toBe(200);
      const login = new URL(
        browser.visited.find((visit) => visit.startsWith(`GET ${setup.testTool.url}/login?`))?.slice(4) ?? '',
      );
      expect(login.searchParams.get('lti_storage_target')).toBe('_parent');
      const launch = setup.testTool.launches.at(-1) as LtiLaunch;
      expect(launch.messageType).toBe('LtiResourceLinkRequest');
      expect(launch.user.id).toBe(student.sourcedId);
      expect(launch.claims[claimUris.lis]).toEqual({
        person_sourcedid: student.sourcedId,
        course_section_sourcedid: rosterCourse.id,
      });
      expect(launch.claims[claimUris.roles]).toEqual([
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
      ]);
      expect(launch.launchPresentation?.document_target).toBe('iframe');
      expect(launch.resourceLink?.title).toBe('Quiz 1');
      expect(launch.custom).toEqual({ quiz: '1' });
      expect(launch.ags?.scope).toEqual(
        expect.arrayContaining([scopes.lineItem, scopes.score, scopes.resultReadOnly]),
      );
      expect(launch.ags?.lineitems).toBe(
        `${lmsUrl()}/lti/contexts/${encodeURIComponent(rosterCourse.id)}/lineitems`,
      );
      expect(launch.ags?.lineitem).toMatch(new RegExp(`^${lmsUrl()}/lti/contexts/.+/lineitems/[^/]+$`));
      expect(launch.nrps).toEqual({
        context_memberships_url: `${lmsUrl()}/lti/contexts/${encodeURIComponent(rosterCourse.id)}/memberships`,
        service_versions: ['2.0'],
      });

      // The tool posts a score through the token endpoint and AGS; the gradebook shows it with the time received.
      const services = createLtiServices({
        keyRing: setup.testTool.tool.keyRing,
        accessTokens: new MemoryAccessTokenStore(),
      });
      const before = new Date();
      await services.ags(launch).submitScore({
        userId: student.sourcedId,
        scoreGiven: 8,
        scoreMaximum: 10,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date().toISOString(),
      });
      const results = await services.ags(launch).listResults();
      expect(results).toEqual([
        expect.objectContaining({ userId: student.sourcedId, resultScore: 8, resultMaximum: 10 }),
      ]);
      const members = await services.nrps(launch).members();
      expect(members.members.map((member) => member.user_id).sort()).toEqual(
        [...rosterCourse.teachers, ...rosterCourse.students].map((person) => person.sourcedId).sort(),
      );
      expect(members.members.find((member) => member.user_id === student.sourcedId)).toMatchObject({
        lis_person_sourcedid: student.sourcedId,
        given_name: student.givenName,
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      });
      expect(clientId).toBe(launch.clientId);

      const teacher = await signIn(rosterCourse.teachers[0]!.sourcedId, rosterCourse.id);
      const gradebook = await teacher.browser.go(
        `${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}/gradebook`,
      );
      const cell = new RegExp(
        `<td data-line-item="[^"]+" data-user="${student.sourcedId}"><strong>8 / 10</strong>[\\s\\S]*?<time datetime="([^"]+)">`,
      ).exec(gradebook.body);
      expect(cell).not.toBeNull();
      expect(Date.parse(cell?.[1] ?? '')).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(gradebook.body).toContain('Completed, FullyGraded');

      // The student sees their own grade on the course page, another student none; the teacher has no such section.
      const mine = await browser.go(`${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}`);
      expect(mine.body).toContain('<h2 id="grades-heading">My grades</h2>');
      expect(mine.body).toMatch(/<th scope="row">Quiz 1<\/th><td>8 \/ 10<\/td><td><time datetime="/);
      const other = await signIn(rosterCourse.students[0]!.sourcedId, rosterCourse.id);
      expect(other.page).toContain('<th scope="row">Quiz 1</th><td>No score yet</td>');
      expect(teacher.page).not.toContain('My grades');

      // A student reads no gradebook.
      const denied = await browser.go(`${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}/gradebook`);
      expect(denied.status).toBe(403);
    });

    it('serves the token endpoint and AGS and NRPS with the media types of the specs', async () => {
      const rosterCourse = await rosterClass();
      const { clientId } = await registerTestTool();
      const urls = setup.lms.platform().urls;
      const assertion = async () =>
        createClientAssertion({
          registration: {
            issuer: urls.issuer,
            clientId,
            authorizationEndpoint: urls.authorize,
            tokenEndpoint: urls.token,
            jwksUri: urls.jwks,
            status: 'active',
          },
          signingKey: await setup.testTool.tool.keyRing.signingKey(),
          now: new Date(),
          jti: randomBytes(8).toString('hex'),
        });
      const tokenRequest = async (scope: string) =>
        fetch(urls.token, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: await assertion(),
            scope,
          }),
        });
      const granted = await tokenRequest(
        `${scopes.lineItem} ${scopes.membershipReadOnly} ${scopes.resultReadOnly}`,
      );
      expect(granted.status).toBe(200);
      const token = (await granted.json()) as { access_token: string; token_type: string };
      expect(token.token_type).toBe('Bearer');

      // lineitem.readonly was not granted at registration.
      const refused = await tokenRequest(scopes.lineItemReadOnly);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('LTI_SCOPE_INVALID');

      const contextUrl = `${lmsUrl()}/lti/contexts/${encodeURIComponent(rosterCourse.id)}`;
      const authorization = { authorization: `Bearer ${token.access_token}` };
      const lineItems = await fetch(`${contextUrl}/lineitems`, {
        headers: { ...authorization, accept: mediaTypes.lineItemContainer },
      });
      expect(lineItems.status).toBe(200);
      expect(lineItems.headers.get('content-type')).toContain(
        'application/vnd.ims.lis.v2.lineitemcontainer+json',
      );
      const created = await fetch(`${contextUrl}/lineitems`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': mediaTypes.lineItem, accept: mediaTypes.lineItem },
        body: JSON.stringify({ label: 'Final grade', scoreMaximum: 100, tag: 'final' }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toContain('application/vnd.ims.lis.v2.lineitem+json');
      const lineItem = (await created.json()) as { id: string };
      const results = await fetch(`${lineItem.id}/results`, {
        headers: { ...authorization, accept: mediaTypes.resultContainer },
      });
      expect(results.headers.get('content-type')).toContain(
        'application/vnd.ims.lis.v2.resultcontainer+json',
      );
      const memberships = await fetch(`${contextUrl}/memberships`, {
        headers: { ...authorization, accept: mediaTypes.membershipContainer },
      });
      expect(memberships.status).toBe(200);
      expect(memberships.headers.get('content-type')).toContain(
        'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
      );
      const body = (await memberships.json()) as { context: { id: string }; members: unknown[] };
      expect(body.context.id).toBe(rosterCourse.id);
      expect(body.members).toHaveLength(rosterCourse.teachers.length + rosterCourse.students.length);

      // The column a tool created through AGS shows in the gradebook.
      const teacher = await signIn(rosterCourse.teachers[0]!.sourcedId, rosterCourse.id);
      const gradebook = await teacher.browser.go(
        `${contextUrl.replace('/lti/contexts/', '/courses/')}/gradebook`,
      );
      expect(gradebook.body).toContain('Final grade');

      const anonymous = await fetch(`${contextUrl}/lineitems`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).toContain('LTI_ACCESS_TOKEN_INVALID');
      const openid = await fetch(`${lmsUrl()}/.well-known/openid-configuration`);
      expect(await openid.json()).toMatchObject({ issuer: lmsUrl(), token_endpoint: urls.token });
    });

    it('activates a tool that registered itself while pending, and removes a tool', async () => {
      await setup.lms.platform().registerTool({
        clientId: 'pending-tool',
        name: 'Pending Tool',
        loginUrl: 'https://pending.example.org/login',
        redirectUris: ['https://pending.example.org/launch'],
        targetLinkUri: 'https://pending.example.org/launch',
        jwksUri: 'https://pending.example.org/jwks',
        scopes: [],
        deploymentIds: ['pending-deployment'],
        status: 'pending',
      });
      const { browser, page } = await signInAdministrator();
      const list = await browser.go(`${lmsUrl()}/admin/tools`);
      const activate = formWithButton(list.body, 'Activate Pending Tool');
      const activated = await browser.go(new URL(activate.action, lmsUrl()).href, activate.fields);
      expect(activated.url).toBe(`${lmsUrl()}/admin/tools`);
      expect((await setup.lms.platform().context.tools.getTool('pending-tool'))?.status).toBe('active');
      expect(activated.body).not.toContain('>Activate Pending Tool<');

      const remove = formWithButton(activated.body, 'Remove Pending Tool');
      const removed = await browser.go(new URL(remove.action, lmsUrl()).href, remove.fields);
      expect(removed.body).toContain('Tool pending-tool removed');
      expect(await setup.lms.platform().context.tools.getTool('pending-tool')).toBeUndefined();
      const again = await browser.request(`${lmsUrl()}/admin/tools/pending-tool/remove`, {
        _csrf: csrfOf(page),
      });
      expect(again.status).toBe(404);
      expect(await again.text()).toContain('SERVER_ROUTE_NOT_FOUND');
    });

    it('purges expired sessions, which then no longer sign anyone in', async () => {
      const { browser } = await signInAdministrator();
      expect((await browser.request(`${lmsUrl()}/courses`)).status).toBe(200);
      expect(await setup.lms.purgeExpiredSessions()).toBe(0);
      const later = createDemoLms({
        database: setup.database,
        roster: setup.roster,
        tenantId,
        baseUrl: setup.server.url,
        logger: createLogger({ level: 'silent' }),
        clock: { now: () => new Date(Date.now() + 9 * 3600_000) },
      });
      expect(await later.purgeExpiredSessions()).toBeGreaterThanOrEqual(1);
      const after = await browser.request(`${lmsUrl()}/courses`);
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toBe('/demo-lms/sign-in');
    });

    it('adds nothing from a deep linking response when the request was not a teacher’s', async () => {
      const rosterCourse = await rosterClass();
      const { clientId, deploymentId } = await registerTestTool();
      const student = rosterCourse.students[0]!;
      const before = await setup.lms.platform().context.gradebook.listLineItems(rosterCourse.id);
      // A deep linking request the LMS would never start for a student, made straight on the platform.
      const started = await setup.lms.platform().launchResponse({
        clientId,
        deploymentId,
        userId: student.sourcedId,
        messageType: 'LtiDeepLinkingRequest',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        context: { id: rosterCourse.id },
      });
      const browser = new Browser();
      const refused = await browser.go(new URL(started.headers.get('location') ?? '').href);
      expect(refused.url).toBe(`${lmsUrl()}/lti/deep-linking-return`);
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('SERVER_UNAUTHORIZED');
      expect(await setup.lms.platform().context.gradebook.listLineItems(rosterCourse.id)).toEqual(before);
    });

    it('keeps teachers’ tools to teachers: a student cannot start a deep linking request', async () => {
      const rosterCourse = await rosterClass();
      const { clientId } = await registerTestTool();
      const { browser, page } = await signIn(rosterCourse.students[0]!.sourcedId, rosterCourse.id);
      expect(page).not.toContain('Add activity from');
      const response = await browser.request(
        `${lmsUrl()}/courses/${encodeURIComponent(rosterCourse.id)}/deep-link`,
        {
          _csrf: csrfOf(page),
          tool: clientId,
        },
      );
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('SERVER_UNAUTHORIZED');
    });
  });
}

describe('createDemoLms options', () => {
  const valid = {
    database: { sql: { query: async () => ({ rows: [] }), transaction: async () => undefined } },
    roster: { store: { list: async () => ({ entities: [], total: 0 }) } },
    tenantId: 'demo',
    baseUrl: 'http://127.0.0.1:3000',
    logger: createLogger({ level: 'silent' }),
  } as unknown as Parameters<typeof createDemoLms>[0];

  it('names the bad option', () => {
    expect(() => createDemoLms({ ...valid, path: 'demo-lms' })).toThrow(
      /^Demo LMS option path must be a path/,
    );
    expect(() => createDemoLms({ ...valid, baseUrl: 'ftp://example.org' })).toThrow(
      /^Demo LMS option baseUrl/,
    );
    expect(() => createDemoLms({ ...valid, tenantId: '' })).toThrow(
      /^Demo LMS option tenantId must not be empty/,
    );
  });

  it('serves under the path it is given, at the URL made of the server URL and that path', () => {
    const lms = createDemoLms({ ...valid, path: '/lms', baseUrl: 'http://127.0.0.1:3000/' });
    expect(lms.path).toBe('/lms');
    expect(lms.url()).toBe('http://127.0.0.1:3000/lms');
  });

  it('answers platform requests as addressed to its public URL, behind a proxy that rewrote host and scheme', async () => {
    const lms = createDemoLms({ ...valid, baseUrl: 'https://lms.example.org' });
    const configuration = await lms.handle(
      new Request('http://127.0.0.1:3000/demo-lms/.well-known/openid-configuration'),
    );
    expect(await configuration.json()).toMatchObject({
      issuer: 'https://lms.example.org/demo-lms',
      token_endpoint: 'https://lms.example.org/demo-lms/lti/token',
    });
    // The form body reaches the platform: it reads the grant type and refuses it.
    const token = await lms.handle(
      new Request('http://127.0.0.1:3000/demo-lms/lti/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password',
      }),
    );
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({
      code: 'LTI_GRANT_TYPE_UNSUPPORTED',
      error: 'unsupported_grant_type',
    });
  });
});
