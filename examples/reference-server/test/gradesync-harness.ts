import { join } from 'node:path';
import type { GradeSyncOptions } from '@passport/ags-gradesync';
import { systemClock } from '@passport/core';
import {
  allScopes,
  createLtiPlatform,
  type LaunchInput,
  type LineItemRecord,
  type LtiPlatform,
  type LtiResourceLinkItem,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryReplayGuard,
  MemoryToolRegistry,
  type ScoreRecord,
} from '@passport/lti13';
import { expect } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/open-database.ts';
import { createGradeSyncService, type GradeSyncService } from '../src/gradesync/gradesync-service.ts';
import type { Handler } from '../src/http/handler.ts';
import { type HttpServer, listen } from '../src/http/http-server.ts';
import { createRouter } from '../src/http/router.ts';
import { type DemoCoursera, startDemoCoursera } from '../src/learning/demo-coursera.ts';
import { createLearningService, type LearningService } from '../src/learning/learning-service.ts';
import { createLogger } from '../src/logger.ts';
import { registerLtiRoutes } from '../src/lti/lti-routes.ts';
import { createLtiToolStores } from '../src/lti/lti-storage.ts';
import { addPlatform } from '../src/lti/platforms.ts';
import { createTenantStore } from '../src/tenants/tenant-store.ts';
import { dropSchema, explainUnreachable, postgresUrl, uniqueSchema } from './support/postgres.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * The teacher and grade path over loopback HTTP: an LMS (@passport/lti13's platform side, with a gradebook, course
 * members, and the deep linking return creating line items as an LMS does), the reference server's LTI routes with
 * grade sync and the content picker on PGlite or PostgreSQL, and the Coursera simulator connected as the district's
 * Coursera (demo mode's own code path).
 */

export const learnerRole = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
export const instructorRole = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
export const clientId = 'passport-tool';
export const deploymentId = 'deployment-1';
/** Each deployment is an LMS instance of its own for grade sync (its own mode, limits and breaker). */
export const deploymentIds = [deploymentId, 'deployment-2', 'deployment-3'] as const;
export const tenantId = 'lincoln';
export const course = { id: 'course-bio', label: 'BIO-101', title: 'Biology' } as const;
export const learners = [
  { userId: 'lms-ada', email: 'ada@lincoln.example.edu', name: 'Ada Lovelace' },
  { userId: 'lms-bob', email: 'bob@lincoln.example.edu', name: 'Bob Moses' },
] as const;

/** A gradebook that remembers every score the LMS stored, in order. */
class CountingGradebook extends MemoryGradebook {
  readonly saved: ScoreRecord[] = [];
  override async saveScore(score: ScoreRecord) {
    this.saved.push(score);
    await super.saveScore(score);
  }
}

/** The next `times` requests of a kind answer `respond()` instead of the LMS. */
export interface Fault {
  readonly on: 'scores' | 'lineitems' | 'token' | 'memberships';
  times: number;
  readonly respond: () => Response;
}

export interface ReceivedLink {
  readonly resourceLinkId: string;
  readonly item: LtiResourceLinkItem;
  readonly lineItemId: string | undefined;
}

export interface GradePath {
  readonly database: DatabaseHandle;
  readonly platform: LtiPlatform;
  readonly platformUrl: string;
  readonly toolUrl: string;
  readonly gradebook: CountingGradebook;
  readonly memberships: MemoryMembershipSource;
  readonly learning: LearningService;
  readonly gradeSync: GradeSyncService;
  readonly coursera: DemoCoursera;
  /** What the LMS received through deep linking returns, in order. */
  readonly links: ReceivedLink[];
  /** Service requests the LMS answered: `METHOD kind status`. */
  readonly requests: string[];
  readonly faults: Fault[];
  /** Delay before the LMS answers a score post. */
  readonly scoreDelay: { ms: number };
  /** Score posts the LMS received and has not answered yet. */
  readonly scoresInFlight: { count: number };
  readonly logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

const kindOf = (path: string) =>
  path.endsWith('/scores')
    ? 'scores'
    : path.includes('/lineitems')
      ? 'lineitems'
      : path.endsWith('/token')
        ? 'token'
        : path.endsWith('/memberships')
          ? 'memberships'
          : 'other';

async function serve(handler: Handler, closers: (() => Promise<void>)[]): Promise<HttpServer> {
  const server = await listen({ handler, host: '127.0.0.1', port: 0 });
  closers.push(async () => void (await server.close({ deadlineMs: 1000 })));
  return server;
}

export async function openBackend(
  kind: 'pglite' | 'postgres',
  closers: (() => Promise<void>)[],
): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const dir = await makeTempDir();
    closers.push(dir.remove);
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dir.path, 'data') });
    closers.push(() => database.close());
    return database;
  }
  const schema = uniqueSchema();
  const database = await openDatabase({ kind: 'postgres', url: postgresUrl, schema }).catch(
    explainUnreachable,
  );
  closers.push(async () => {
    await database.close();
    await dropSchema(schema);
    await dropSchema(`${schema}_pgboss`);
  });
  return database;
}

export async function startGradePath(
  kind: 'pglite' | 'postgres',
  options: { engine?: Partial<Pick<GradeSyncOptions, 'delivery'>> } = {},
): Promise<GradePath> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const gradebook = new CountingGradebook();
    const memberships = new MemoryMembershipSource();
    const links: ReceivedLink[] = [];
    const requests: string[] = [];
    const faults: Fault[] = [];
    const scoreDelay = { ms: 0 };
    const scoresInFlight = { count: 0 };
    let counter = 0;
    let platformHandler: Handler = async () => new Response('starting', { status: 503 });
    const platformServer = await serve(async (request) => {
      const path = new URL(request.url).pathname;
      const kindOfRequest = kindOf(path);
      const fault = faults.find((candidate) => candidate.times > 0 && candidate.on === kindOfRequest);
      if (fault !== undefined) {
        fault.times--;
        const response = fault.respond();
        requests.push(`${request.method} ${kindOfRequest} ${response.status}`);
        return response;
      }
      if (kindOfRequest === 'scores') scoresInFlight.count++;
      let response: Response;
      try {
        if (kindOfRequest === 'scores' && scoreDelay.ms > 0)
          await new Promise((resolve) => setTimeout(resolve, scoreDelay.ms));
        response = await platformHandler(request);
      } finally {
        if (kindOfRequest === 'scores') scoresInFlight.count--;
      }
      if (kindOfRequest !== 'other') requests.push(`${request.method} ${kindOfRequest} ${response.status}`);
      return response;
    }, closers);
    const platform = createLtiPlatform({
      issuer: platformServer.url,
      tools: new MemoryToolRegistry(),
      keys: new MemoryKeyStore(),
      pendingLaunches: new MemoryPendingLaunchStore(),
      replayGuard: new MemoryReplayGuard(),
      gradebook,
      memberships,
      generateId: () => `id${++counter}`,
      // As an LMS does: each resource link becomes an activity, and its line item a grade column.
      onDeepLinkingResponse: async (received) => {
        for (const item of received.items) {
          if (item.type !== 'ltiResourceLink') continue;
          const resourceLinkId = `link${++counter}`;
          let lineItemId: string | undefined;
          if (item.lineItem !== undefined && received.contextId !== undefined) {
            lineItemId = `li${++counter}`;
            const record: LineItemRecord = {
              id: lineItemId,
              contextId: received.contextId,
              clientId: received.clientId,
              label: item.lineItem.label ?? item.title ?? 'Activity',
              scoreMaximum: item.lineItem.scoreMaximum,
              resourceLinkId,
              ...(item.lineItem.resourceId === undefined ? {} : { resourceId: item.lineItem.resourceId }),
              ...(item.lineItem.tag === undefined ? {} : { tag: item.lineItem.tag }),
            };
            await gradebook.saveLineItem(record);
          }
          links.push({ resourceLinkId, item, lineItemId });
        }
        return new Response(`<p>${received.items.length} items added</p>`, {
          headers: { 'content-type': 'text/html' },
        });
      },
    });
    platformHandler = platform.handle;
    memberships.setContext(
      course,
      learners.map((learner) => ({ ...learner, roles: [learnerRole], status: 'Active' as const })),
    );

    const database = await openBackend(kind, closers);
    await database.migrate();
    await createTenantStore({ db: database.db }).create({ id: tenantId, name: 'Lincoln USD' }, 'test');
    const logLines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'debug',
      write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const learning = createLearningService({ database, sealingKey: new Uint8Array(32).fill(7) });
    const stores = createLtiToolStores(database.sql);
    const gradeSync = createGradeSyncService({
      database,
      learning,
      lti: { registry: stores.registry, keys: stores.keys, accessTokens: stores.accessTokens },
      logger,
      clock: systemClock,
      engine: {
        delivery: {
          concurrency: 2,
          ratePerSecond: 200,
          backoff: { baseMs: 20, maxMs: 200 },
          ...options.engine?.delivery,
        },
      },
      jobs: { pollingIntervalSeconds: 0.5 },
    });
    closers.push(() => gradeSync.stop({ timeoutMs: 5000 }));
    const router = createRouter();
    let toolUrl = '';
    registerLtiRoutes(router, { database, logger, publicUrl: () => toolUrl, gradeSync, learning });
    toolUrl = (await serve(router.handle, closers)).url;
    await platform.registerTool({
      clientId,
      name: 'Passport',
      loginUrl: `${toolUrl}/lti/login`,
      redirectUris: [`${toolUrl}/lti/launch`],
      targetLinkUri: `${toolUrl}/lti/launch`,
      jwksUri: `${toolUrl}/lti/jwks`,
      scopes: [...allScopes],
      deploymentIds: [...deploymentIds],
      status: 'active',
    });
    const added = await addPlatform(database.sql, {
      issuer: platform.urls.issuer,
      clientId,
      name: 'Demo LMS',
      authorizationEndpoint: platform.urls.authorize,
      tokenEndpoint: platform.urls.token,
      jwksUri: platform.urls.jwks,
      deploymentIds: [...deploymentIds],
    });
    expect(added.outcome).toBe('added');
    const coursera = await startDemoCoursera({
      learning,
      tenantId,
      redirectUri: `${toolUrl}/coursera/callback`,
      logger,
    });
    closers.push(() => coursera.stop());
    return {
      database,
      platform,
      platformUrl: platformServer.url,
      toolUrl,
      gradebook,
      memberships,
      learning,
      gradeSync,
      coursera,
      links,
      requests,
      faults,
      scoreDelay,
      scoresInFlight,
      logLines,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ── A minimal browser: cookies per host, redirects and auto-posting forms followed ─────────────────────────────

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
export const decodeHtml = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

/** The auto-posting form of a page (hidden fields only), as LTI's login, launch and deep linking return use. */
export function autoPostForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (form === null) return undefined;
  const body = form[2] ?? '';
  if (/<input type="(radio|checkbox)"/.test(body)) return undefined; // a form for a person, not an auto-post
  const fields: Record<string, string> = {};
  for (const input of body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[decodeHtml(input[1] ?? '')] = decodeHtml(input[2] ?? '');
  return { action: decodeHtml(form[1] ?? ''), fields };
}

export class Browser {
  readonly jar = new Map<string, Map<string, string>>();

  async request(url: string, form?: URLSearchParams | Record<string, string>): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())];
    if (cookies.length > 0) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(target, {
      method: form === undefined ? 'GET' : 'POST',
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

  /** Follows redirects and auto-posting forms until a page that does neither. */
  async follow(response: Response, from: string): Promise<{ response: Response; body: string; url: string }> {
    let current = response;
    let url = from;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get('location');
      if (current.status >= 300 && current.status < 400 && location !== null) {
        url = new URL(location, url).href;
        current = await this.request(url);
        continue;
      }
      const body = await current.text();
      const form = autoPostForm(body);
      if (form === undefined) return { response: current, body, url };
      url = new URL(form.action, url).href;
      current = await this.request(url, form.fields);
    }
    throw new Error('too many hops');
  }
}

/** An LMS course with the two learners enrolled (NRPS). */
export function enrol(path: GradePath, context: { id: string; label?: string; title?: string }) {
  path.memberships.setContext(
    context,
    learners.map((learner) => ({ ...learner, roles: [learnerRole], status: 'Active' as const })),
  );
  return context;
}

/** Opens the content picker as a teacher would: a deep linking request from the LMS course. */
export async function openPicker(
  path: GradePath,
  overrides: Partial<LaunchInput> = {},
): Promise<{ browser: Browser; body: string; url: string; status: number }> {
  const browser = new Browser();
  const start = await path.platform.launchResponse({
    clientId,
    deploymentId,
    userId: 'teacher-1',
    messageType: 'LtiDeepLinkingRequest',
    roles: [instructorRole],
    user: { name: 'Tess Teacher', email: 'tess@lincoln.example.edu' },
    context: course,
    ...overrides,
  });
  const result = await browser.follow(start, path.platformUrl);
  return { browser, body: result.body, url: result.url, status: result.response.status };
}

/** The links of a page (`href` values, decoded). */
export function linksOf(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((match) => ({
    href: decodeHtml(match[1] ?? ''),
    text: decodeHtml(match[2] ?? ''),
  }));
}

/** The picker's session id, from any of its links or its form. */
export function sessionOf(html: string): string {
  const match = /session=([A-Za-z0-9_-]+)|name="session" value="([^"]*)"/.exec(html);
  const session = match?.[1] ?? match?.[2];
  if (session === undefined) throw new Error(`no picker session in ${html}`);
  return session;
}

/** Walks the picker to a course's items page; answers the page and the ids it needs. */
export async function walkToCourse(
  path: GradePath,
  options: {
    programIndex?: number;
    courseIndex?: number;
    context?: LaunchInput['context'];
    launch?: Partial<LaunchInput>;
  } = {},
) {
  const opened = await openPicker(path, {
    ...(options.context === undefined ? {} : { context: options.context }),
    ...options.launch,
  });
  expect(opened.status, opened.body).toBe(200);
  const session = sessionOf(opened.body);
  const programs = linksOf(opened.body);
  const program = programs[options.programIndex ?? 0]!;
  const coursesPage = await opened.browser.request(new URL(program.href, opened.url).href);
  const coursesBody = await coursesPage.text();
  const courseLink = linksOf(coursesBody).filter((link) => link.href.includes('course='))[
    options.courseIndex ?? 0
  ]!;
  const itemsUrl = new URL(courseLink.href, coursesPage.url || new URL(program.href, opened.url).href).href;
  const itemsPage = await opened.browser.request(itemsUrl);
  const itemsBody = await itemsPage.text();
  const parameters = new URL(itemsUrl).searchParams;
  const items = [
    ...itemsBody.matchAll(/<input type="checkbox" name="item" id="[^"]*" value="([^"]*)">/g),
  ].map((match) => decodeHtml(match[1] ?? ''));
  return {
    browser: opened.browser,
    session,
    programId: parameters.get('program')!,
    courseId: parameters.get('course')!,
    courseTitle: decodeHtml(courseLink.text),
    items,
    itemsBody,
    itemsStatus: itemsPage.status,
    pickUrl: new URL('deep-link', itemsUrl).href,
  };
}

/** Decodes a JWT's payload (no verification: the LMS verifies it). */
export function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export const contentItemsClaim = 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items';

/**
 * A teacher's whole deep link: the picker walked to a course, the choice posted, and the signed response posted to
 * the LMS (which makes the activities and grade columns). Answers the binding grade sync saved.
 */
export async function deepLink(
  path: GradePath,
  options: {
    context: { id: string; title?: string };
    deploymentId?: string;
    choice: 'granular-linked' | 'granular-created' | 'final-grade';
    itemCount?: number;
    courseIndex?: number;
  },
) {
  enrol(path, options.context);
  const walked = await walkToCourse(path, {
    context: options.context,
    ...(options.courseIndex === undefined ? {} : { courseIndex: options.courseIndex }),
    launch: { deploymentId: options.deploymentId ?? deploymentId },
  });
  const itemIds = options.choice === 'granular-linked' ? walked.items.slice(0, options.itemCount ?? 2) : [];
  const body = new URLSearchParams({
    session: walked.session,
    program: walked.programId,
    course: walked.courseId,
    choice: options.choice,
  });
  for (const itemId of itemIds) body.append('item', itemId);
  const picked = await walked.browser.request(walked.pickUrl, body);
  const html = await picked.text();
  expect(picked.status, html).toBe(200);
  const form = autoPostForm(html)!;
  const returned = await walked.browser.request(form.action, form.fields);
  expect(returned.status).toBe(200);
  const bindings = (await path.gradeSync.overview()).bindings.filter(
    (entry) => entry.binding.contextId === options.context.id && entry.binding.courseId === walked.courseId,
  );
  expect(bindings).toHaveLength(1);
  const { binding } = bindings[0]!;
  return { binding, itemIds, programId: walked.programId, courseId: walked.courseId };
}

/** Waits until `condition` holds, polling; fails naming what it waited for. */
export async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The scores the LMS holds on a line item, by LMS user id. */
export async function scoresOn(path: GradePath, lineItemId: string) {
  return new Map((await path.gradebook.listScores(lineItemId)).map((score) => [score.userId, score]));
}

/** Puts the two learners in the program on Coursera (their email is how the LMS's members are matched). */
export async function joinProgram(path: GradePath, programId: string) {
  for (const learner of learners)
    await path.coursera.admin.addLearner(programId, {
      externalId: learner.email,
      email: learner.email,
      fullName: learner.name,
    });
}
