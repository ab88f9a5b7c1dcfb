import { type Clock, type GenerateId, PassportError, randomId, systemClock } from '@passport/core';
import {
  claimUris,
  createLtiPlatform,
  type FetchLike,
  type LtiPlatform,
  platformStorageScript,
  type ReceivedDeepLinkingResponse,
  scopes,
  type ToolRegistration,
} from '@passport/lti13';
import {
  PostgresKeyStore,
  PostgresPendingLaunchStore,
  PostgresReplayGuard,
  PostgresToolRegistry,
} from '@passport/lti13/postgres';
import type { RosterStore } from '@passport/oneroster';
import { z } from 'zod';
import type { TransactionalSqlClient } from '../db/sql-client.ts';
import { ServerError } from '../errors.ts';
import type { Handler } from '../http/handler.ts';
import { createRouter, type RouteHandler } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import { type PageViewer, seeOther } from './html.ts';
import { createLmsGradebook, createLmsMembershipSource, roleUris } from './lms-gradebook.ts';
import {
  type CourseRole,
  createLmsStore,
  type LmsActivity,
  type LmsSession,
  lmsAdministrator,
} from './lms-store.ts';
import {
  coursePage,
  coursesPage,
  deepLinkingDonePage,
  displayName,
  dynamicRegistrationPage,
  errorPage,
  gradebookPage,
  signInPage,
  toolsPage,
} from './pages.ts';
import { type SeedResult, seedFromRoster } from './seed-from-roster.ts';
import { createSessions } from './session.ts';

/** The key ring of the demo LMS's platform keys in `lti_keys` (the server's tool signs with `lti-tool`). */
export const demoLmsKeyRing = 'demo-lms';

const optionsSchema = z.object({
  database: z.custom<{ readonly sql: TransactionalSqlClient }>(
    (value) => typeof (value as { sql?: { query?: unknown } } | undefined)?.sql?.query === 'function',
    'must be a database handle with `sql`',
  ),
  roster: z.custom<{ readonly store: RosterStore }>(
    (value) => typeof (value as { store?: { list?: unknown } } | undefined)?.store?.list === 'function',
    'must be the roster service (with `store`)',
  ),
  tenantId: z.string().min(1),
  baseUrl: z.union([z.url(), z.custom<() => string>((value) => typeof value === 'function')]),
  path: z
    .string()
    .regex(/^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'must be a path such as /demo-lms')
    .default('/demo-lms'),
  logger: z.custom<Logger>((value) => typeof (value as Logger | undefined)?.info === 'function'),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function').optional(),
  generateId: z.custom<GenerateId>((value) => typeof value === 'function').optional(),
  fetch: z.custom<FetchLike>((value) => typeof value === 'function').optional(),
  sessionTtlSeconds: z
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  secureCookies: z.boolean().optional(),
  dynamicRegistrationStatus: z.enum(['active', 'pending']).default('active'),
});

export type DemoLmsOptions = z.input<typeof optionsSchema>;

export interface DemoLms {
  /** Every page and LTI endpoint of the LMS; mount it under `path`. */
  readonly handle: Handler;
  /** The path prefix the LMS answers under (`/demo-lms`). */
  readonly path: string;
  /** The LMS's public URL (server URL + path), read from `baseUrl` when called. */
  url(): string;
  /** Copies the tenant's classes, teachers and students from the roster (also done on the first request). */
  seed(): Promise<SeedResult>;
  /** The LTI 1.3 platform behind the LMS (built on first use, once the URL is known). */
  platform(): LtiPlatform;
}

interface Viewer extends PageViewer {
  readonly session: LmsSession;
}

const forbidden = (message: string) =>
  new ServerError('SERVER_UNAUTHORIZED', message, { status: 403, description: message });
const notFound = (message: string) =>
  new ServerError('SERVER_ROUTE_NOT_FOUND', message, { status: 404, description: message });
const badRequest = (message: string) =>
  new ServerError('SERVER_BAD_REQUEST', message, { status: 400, description: message });

/** Granted to tools registered by hand when the form names none. */
const agsScopes = [scopes.lineItem, scopes.lineItemReadOnly, scopes.resultReadOnly, scopes.score] as string[];

/**
 * The demo LMS: a small learning management system on @passport/lti13's platform side. Courses, teachers and
 * students come from a tenant's roster; an administrator registers LTI tools (dynamic registration or by hand);
 * teachers add activities by deep linking and read the gradebook the tools fill over AGS; everyone launches
 * activities (in a new window or framed in the course page). The platform's OIDC, token, key set, AGS and NRPS
 * endpoints are served under the same path. State lives in the server database (migration `0003_demo_lms` and
 * @passport/lti13's tables).
 */
export function createDemoLms(options: DemoLmsOptions): DemoLms {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `Demo LMS option ${issue?.path.join('.') || '(options)'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const config = parsed.data;
  const base = config.path;
  const sql = config.database.sql;
  const clock = config.clock ?? systemClock;
  const generateId = config.generateId ?? randomId;
  const { logger } = config;
  const store = createLmsStore(sql);
  const gradebook = createLmsGradebook(sql, clock);
  const memberships = createLmsMembershipSource(store);
  const tools = new PostgresToolRegistry(sql);

  const lmsUrl = (): string => {
    const server = typeof config.baseUrl === 'function' ? config.baseUrl() : config.baseUrl;
    return `${server.replace(/\/+$/, '')}${base}`;
  };
  const secure = () => config.secureCookies ?? new URL(lmsUrl()).protocol === 'https:';
  let sessionsBuilt: ReturnType<typeof createSessions> | undefined;
  const sessions = () => {
    sessionsBuilt ??= createSessions(store, clock, {
      path: base,
      secure: secure(),
      ttlSeconds: config.sessionTtlSeconds,
    });
    return sessionsBuilt;
  };

  let platformBuilt: LtiPlatform | undefined;
  const platform = (): LtiPlatform => {
    if (platformBuilt !== undefined) return platformBuilt;
    const url = lmsUrl();
    const publicPath = new URL(url).pathname.replace(/\/$/, '');
    platformBuilt = createLtiPlatform({
      issuer: url,
      baseUrl: url,
      tools,
      keys: new PostgresKeyStore(sql, demoLmsKeyRing),
      pendingLaunches: new PostgresPendingLaunchStore(sql),
      replayGuard: new PostgresReplayGuard(sql, clock),
      gradebook,
      memberships,
      clock,
      generateId,
      ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
      paths: {
        authorize: `${publicPath}/lti/authorize`,
        token: `${publicPath}/lti/token`,
        jwks: `${publicPath}/lti/jwks`,
        deepLinkingReturn: `${publicPath}/lti/deep-linking-return`,
        services: `${publicPath}/lti/contexts`,
        register: `${publicPath}/lti/register`,
        openidConfiguration: `${publicPath}/.well-known/openid-configuration`,
      },
      productFamilyCode: 'passport-demo-lms',
      dynamicRegistrationStatus: config.dynamicRegistrationStatus,
      onDeepLinkingResponse: receiveDeepLinking,
    });
    return platformBuilt;
  };

  let seeding: Promise<SeedResult> | undefined;
  const seed = async (): Promise<SeedResult> => {
    const result = await seedFromRoster({ roster: config.roster.store, tenantId: config.tenantId, store });
    await store.saveUser(lmsAdministrator);
    logger.info('demo LMS seeded from the roster', { tenant: config.tenantId, ...result });
    return result;
  };
  /** Seeds once per process when the LMS has no course yet (a failed seed is retried on the next request). */
  const ensureSeeded = async () => {
    seeding ??= (async () => {
      if ((await store.countCourses()) > 0) {
        await store.saveUser(lmsAdministrator);
        return { courses: 0, users: 0, enrollments: 0 };
      }
      return await seed();
    })().catch((error: unknown) => {
      seeding = undefined;
      throw error;
    });
    await seeding;
  };

  // ── Sessions and permissions ─────────────────────────────────────────────────────────────────────────────

  const viewerOf = async (request: Request): Promise<Viewer | undefined> => {
    const session = await sessions().read(request);
    if (session === undefined) return undefined;
    return {
      session,
      name: displayName(session.user),
      isAdministrator: session.user.role === 'administrator',
      csrfToken: session.csrfToken,
    };
  };

  type PageHandler = (
    request: Request,
    viewer: Viewer,
    params: Record<string, string>,
    url: URL,
  ) => Promise<Response>;

  /** A page for signed-in users: others go to the sign-in page; errors render as HTML pages. */
  const signedIn =
    (handler: PageHandler): RouteHandler =>
    async (request, { params, url }) => {
      let viewer: Viewer | undefined;
      try {
        await ensureSeeded();
        viewer = await viewerOf(request);
        if (viewer === undefined) return seeOther(`${base}/sign-in`);
        return await handler(request, viewer, params, url);
      } catch (error) {
        return renderError(error, viewer);
      }
    };

  /** A form post of a signed-in user, CSRF-checked. */
  const signedInForm = (
    handler: (
      request: Request,
      viewer: Viewer,
      params: Record<string, string>,
      form: FormData,
    ) => Promise<Response>,
  ) =>
    signedIn(async (request, viewer, params) => {
      const form = await readForm(request);
      sessions().checkCsrf(viewer.session, form);
      return await handler(request, viewer, params, form);
    });

  const renderError = (error: unknown, viewer: Viewer | undefined): Response => {
    if (!PassportError.is(error)) logger.error('demo LMS request failed', { error });
    const known = PassportError.is(error);
    return errorPage({
      base,
      viewer,
      status: known ? error.status : 500,
      code: known ? error.code : 'SERVER_INTERNAL_ERROR',
      message: known ? error.description : 'The demo LMS could not answer this request.',
    });
  };

  const courseFor = async (viewer: Viewer, courseId: string) => {
    const course = await store.getCourse(courseId);
    if (course === undefined) throw notFound(`There is no course ${courseId}.`);
    const role = viewer.isAdministrator
      ? undefined
      : await store.getEnrollment(courseId, viewer.session.user.id);
    if (!viewer.isAdministrator && role === undefined)
      throw forbidden('You are not enrolled in this course.');
    return { course, role };
  };
  const requireTeacher = (viewer: Viewer, role: CourseRole | undefined) => {
    if (!viewer.isAdministrator && role !== 'teacher')
      throw forbidden('Only the course’s teachers can do this.');
  };
  const requireAdministrator = (viewer: Viewer) => {
    if (!viewer.isAdministrator) throw forbidden('Only the LMS administrator can manage LTI tools.');
  };
  const activeTools = async () => (await tools.listTools()).filter((tool) => tool.status === 'active');

  // ── Deep linking return ─────────────────────────────────────────────────────────────────────────────────

  async function receiveDeepLinking(received: ReceivedDeepLinkingResponse): Promise<Response> {
    const courseId = received.contextId;
    const course = courseId === undefined ? undefined : await store.getCourse(courseId);
    if (course === undefined) throw notFound('The deep linking request named no course of this LMS.');
    if (
      (await store.getEnrollment(course.id, received.userId)) !== 'teacher' &&
      received.userId !== lmsAdministrator.id
    )
      throw forbidden('Only the course’s teachers can add activities.');
    const added: LmsActivity[] = [];
    const start = clock.now().getTime();
    for (const item of received.items) {
      if (item.type !== 'ltiResourceLink') continue; // the request accepts resource links only
      const activityId = generateId();
      const title = item.title ?? item.lineItem?.label ?? 'Untitled activity';
      let lineItemId: string | undefined;
      if (item.lineItem !== undefined) {
        lineItemId = generateId();
        await gradebook.saveLineItem({
          id: lineItemId,
          contextId: course.id,
          clientId: received.clientId,
          label: item.lineItem.label ?? title,
          scoreMaximum: item.lineItem.scoreMaximum,
          resourceLinkId: activityId,
          resourceId: item.lineItem.resourceId,
          tag: item.lineItem.tag,
          gradesReleased: item.lineItem.gradesReleased,
          startDateTime: item.submission?.startDateTime,
          endDateTime: item.submission?.endDateTime,
        });
      }
      const activity: LmsActivity = {
        id: activityId,
        courseId: course.id,
        clientId: received.clientId,
        deploymentId: received.deploymentId,
        title,
        text: item.text,
        url: item.url,
        custom: item.custom,
        lineItemId,
        createdAt: new Date(start + added.length),
      };
      await store.saveActivity(activity);
      added.push(activity);
    }
    logger.info('demo LMS deep linking response', {
      course: course.id,
      clientId: received.clientId,
      items: received.items.length,
      activities: added.length,
    });
    return deepLinkingDonePage({ base, course, added, message: received.msg, error: received.errormsg });
  }

  // ── Routes ─────────────────────────────────────────────────────────────────────────────────────────────

  const router = createRouter({
    onUnexpectedError: (error, request) =>
      logger.error('demo LMS request failed', {
        error,
        method: request.method,
        path: new URL(request.url).pathname,
      }),
  });

  router.get(base, async () => seeOther(`${base}/`));
  router.get(`${base}/`, async (request) => {
    await ensureSeeded();
    return seeOther((await viewerOf(request)) === undefined ? `${base}/sign-in` : `${base}/courses`);
  });

  router.get(`${base}/sign-in`, async (_request, { url }) => {
    try {
      await ensureSeeded();
      const courses = await store.listCourses();
      const courseId = url.searchParams.get('course');
      const selected = courseId === null ? undefined : courses.find((course) => course.id === courseId);
      const members = selected === undefined ? [] : await store.listEnrollments(selected.id);
      return signInPage({ base, courses, selected, members });
    } catch (error) {
      return renderError(error, undefined);
    }
  });

  router.post(`${base}/sign-in`, async (request) => {
    try {
      await ensureSeeded();
      const form = await readForm(request);
      const userId = String(form.get('user') ?? '');
      if (userId === 'administrator') {
        const cookie = await sessions().start(lmsAdministrator.id);
        return seeOther(`${base}/admin/tools`, { 'set-cookie': cookie });
      }
      const user = await store.getUser(userId);
      if (user === undefined || user.role === 'administrator')
        throw badRequest('Choose a person of the course.');
      const courseId = String(form.get('course') ?? '');
      const enrolled = courseId !== '' && (await store.getEnrollment(courseId, user.id)) !== undefined;
      const cookie = await sessions().start(user.id);
      logger.info('demo LMS sign-in', { user: user.id, role: user.role });
      return seeOther(enrolled ? `${base}/courses/${encodeURIComponent(courseId)}` : `${base}/courses`, {
        'set-cookie': cookie,
      });
    } catch (error) {
      return renderError(error, undefined);
    }
  });

  router.post(
    `${base}/sign-out`,
    signedInForm(async (request) =>
      seeOther(`${base}/sign-in`, { 'set-cookie': await sessions().end(request) }),
    ),
  );

  router.get(
    `${base}/courses`,
    signedIn(async (_request, viewer) => {
      const courses = viewer.isAdministrator
        ? await store.listCourses()
        : await store.coursesOf(viewer.session.user.id);
      return coursesPage({ base, viewer, courses });
    }),
  );

  router.get(
    `${base}/courses/:courseId`,
    signedIn(async (_request, viewer, params, url) => {
      const { course, role } = await courseFor(viewer, params.courseId as string);
      const activities = await store.listActivities(course.id);
      const embeddedId = url.searchParams.get('activity');
      const embedded =
        embeddedId === null ? undefined : activities.find((activity) => activity.id === embeddedId);
      if (embeddedId !== null && embedded === undefined)
        throw notFound(`There is no activity ${embeddedId} here.`);
      const added = Number(url.searchParams.get('added') ?? Number.NaN);
      return coursePage({
        base,
        viewer,
        course,
        canManage: viewer.isAdministrator || role === 'teacher',
        canLaunch: role !== undefined,
        activities,
        tools: role === 'teacher' || viewer.isAdministrator ? await activeTools() : await tools.listTools(),
        embedded,
        notice: Number.isInteger(added)
          ? `${added} ${added === 1 ? 'activity' : 'activities'} added.`
          : undefined,
        platformStorageScript,
      });
    }),
  );

  router.post(
    `${base}/courses/:courseId/deep-link`,
    signedInForm(async (_request, viewer, params, form) => {
      const { course, role } = await courseFor(viewer, params.courseId as string);
      requireTeacher(viewer, role);
      const tool = await tools.getTool(String(form.get('tool') ?? ''));
      if (tool === undefined || tool.status !== 'active')
        throw badRequest('Choose an active registered tool.');
      const user = viewer.session.user;
      return await platform().launchResponse(
        {
          clientId: tool.clientId,
          deploymentId: deploymentOf(tool),
          userId: user.id,
          messageType: 'LtiDeepLinkingRequest',
          roles: [roleUris.teacher],
          user: userClaims(user),
          context: await memberships.getContext(course.id),
          deepLinking: {
            acceptTypes: ['ltiResourceLink'],
            acceptPresentationDocumentTargets: ['iframe', 'window'],
            acceptMultiple: true,
            acceptLineItem: true,
            autoCreate: true,
            title: `Add activities to ${course.title}`,
          },
          extraClaims: lisClaim(user.id, course.id),
        },
        { method: 'GET' },
      );
    }),
  );

  router.get(
    `${base}/courses/:courseId/activities/:activityId/launch`,
    signedIn(async (_request, viewer, params, url) => {
      const { course, role } = await courseFor(viewer, params.courseId as string);
      if (role === undefined) throw forbidden('Only members of the course launch its activities.');
      const activity = await store.getActivity(course.id, params.activityId as string);
      if (activity === undefined) throw notFound(`There is no activity ${params.activityId} here.`);
      const target = url.searchParams.get('target') === 'iframe' ? 'iframe' : 'window';
      const user = viewer.session.user;
      const courseUrl = `${lmsUrl()}/courses/${encodeURIComponent(course.id)}`;
      return await platform().launchResponse(
        {
          clientId: activity.clientId,
          deploymentId: activity.deploymentId,
          userId: user.id,
          messageType: 'LtiResourceLinkRequest',
          roles: [roleUris[role]],
          user: userClaims(user),
          context: await memberships.getContext(course.id),
          resourceLink: {
            id: activity.id,
            title: activity.title,
            ...(activity.text === undefined ? {} : { description: activity.text }),
          },
          ...(activity.lineItemId === undefined ? {} : { lineItemId: activity.lineItemId }),
          ...(activity.url === undefined ? {} : { targetLinkUri: activity.url }),
          ...(activity.custom === undefined ? {} : { custom: activity.custom }),
          extraClaims: {
            ...lisClaim(user.id, course.id),
            [claimUris.launchPresentation]: { document_target: target, return_url: courseUrl, locale: 'en' },
          },
        },
        // In a frame, the tool may keep its login state in this page (LTI client-side storage) when it cannot set cookies.
        { method: 'GET', ...(target === 'iframe' ? { storageTarget: '_parent' } : {}) },
      );
    }),
  );

  router.get(
    `${base}/courses/:courseId/gradebook`,
    signedIn(async (_request, viewer, params) => {
      const { course, role } = await courseFor(viewer, params.courseId as string);
      requireTeacher(viewer, role);
      const [lineItems, enrollments, scores] = await Promise.all([
        gradebook.listLineItems(course.id),
        store.listEnrollments(course.id),
        gradebook.listCourseScores(course.id),
      ]);
      const students = enrollments.filter((enrollment) => enrollment.role === 'student').map((e) => e.user);
      return gradebookPage({ base, viewer, course, lineItems, students, scores });
    }),
  );

  router.get(
    `${base}/admin/tools`,
    signedIn(async (_request, viewer, _params, url) => {
      requireAdministrator(viewer);
      const urls = platform().urls;
      const notice =
        url.searchParams.get('registered') !== null
          ? 'Registration finished: the tool is listed below.'
          : url.searchParams.get('added') !== null
            ? `Tool registered with client ID ${url.searchParams.get('added')}.`
            : undefined;
      return toolsPage({ base, viewer, tools: await tools.listTools(), platform: urls, notice });
    }),
  );

  router.post(
    `${base}/admin/tools/dynamic-registration`,
    signedInForm(async (_request, viewer, _params, form) => {
      requireAdministrator(viewer);
      const registrationUrl = httpUrl(form.get('registration_url'), 'The tool registration URL');
      const startUrl = await platform().registrationStartUrl(registrationUrl);
      return dynamicRegistrationPage({ base, viewer, startUrl });
    }),
  );

  router.post(
    `${base}/admin/tools/manual`,
    signedInForm(async (_request, viewer, _params, form) => {
      requireAdministrator(viewer);
      const name = String(form.get('name') ?? '').trim();
      if (name === '') throw badRequest('The tool needs a name.');
      const targetLinkUri = httpUrl(form.get('target_link_uri'), 'The target link URI');
      const redirectUris = String(form.get('redirect_uris') ?? '')
        .split(/\s+/)
        .filter((uri) => uri !== '')
        .map((uri) => httpUrl(uri, 'Each redirect URI'));
      const deepLinking = String(form.get('deep_linking_url') ?? '').trim();
      const granted = form.getAll('scope').map(String);
      const known = [...agsScopes, scopes.membershipReadOnly];
      const tool: ToolRegistration = {
        clientId: generateId(),
        name,
        loginUrl: httpUrl(form.get('login_url'), 'The login URL'),
        redirectUris: redirectUris.length === 0 ? [targetLinkUri] : [...new Set(redirectUris)],
        targetLinkUri,
        ...(deepLinking === '' ? {} : { deepLinkingUrl: httpUrl(deepLinking, 'The deep linking URL') }),
        jwksUri: httpUrl(form.get('jwks_url'), 'The JWKS URL'),
        scopes: granted.filter((scope) => known.includes(scope)),
        deploymentIds: [generateId()],
        status: 'active',
      };
      await platform().registerTool(tool);
      logger.info('demo LMS tool registered by hand', { clientId: tool.clientId });
      return seeOther(`${base}/admin/tools?added=${encodeURIComponent(tool.clientId)}`);
    }),
  );

  router.post(
    `${base}/admin/tools/:clientId/activate`,
    signedInForm(async (_request, viewer, params) => {
      requireAdministrator(viewer);
      const tool = await tools.getTool(params.clientId as string);
      if (tool === undefined) throw notFound(`No tool has client ID ${params.clientId}.`);
      await platform().activateTool(tool.clientId);
      return seeOther(`${base}/admin/tools`);
    }),
  );

  // The LTI platform endpoints: OIDC authorization, token, key set, deep linking return, AGS, NRPS, registration.
  const platformEndpoint: RouteHandler = async (request) => {
    const lms = platform();
    const url = new URL(request.url);
    // The platform knows its public URLs; hand it the request as addressed to them (a proxy may have rewritten it).
    const publicUrl = new URL(`${lmsUrl()}${url.pathname.slice(base.length)}${url.search}`);
    const forwarded =
      publicUrl.href === url.href
        ? request
        : new Request(publicUrl, {
            method: request.method,
            headers: request.headers,
            ...(request.method === 'GET' || request.method === 'HEAD'
              ? {}
              : { body: await request.arrayBuffer() }),
          });
    try {
      return await lms.handle(forwarded);
    } catch (error) {
      return renderError(error, undefined);
    }
  };
  for (const path of [
    '/lti/authorize',
    '/lti/token',
    '/lti/jwks',
    '/lti/deep-linking-return',
    '/lti/register',
    '/.well-known/openid-configuration',
  ]) {
    router.on('GET', `${base}${path}`, platformEndpoint);
    router.on('POST', `${base}${path}`, platformEndpoint);
  }
  const services: Handler = async (request) =>
    await platformEndpoint(request, { params: {}, url: new URL(request.url) });
  router.mount(`${base}/lti/contexts`, services);

  return {
    handle: router.handle,
    path: base,
    url: lmsUrl,
    seed,
    platform,
  };
}

function deploymentOf(tool: ToolRegistration): string {
  const deploymentId = tool.deploymentIds[0];
  if (deploymentId === undefined) throw badRequest(`Tool ${tool.clientId} has no deployment.`);
  return deploymentId;
}

function userClaims(user: { givenName: string; familyName: string; email: string | undefined }) {
  return {
    name: displayName(user),
    givenName: user.givenName,
    familyName: user.familyName,
    ...(user.email === undefined ? {} : { email: user.email }),
  };
}

/** The LIS claim: the roster's sourcedIds of the person and the course section (LTI 1.3 core §5.4.3). */
function lisClaim(userId: string, courseId: string): Record<string, unknown> {
  return { [claimUris.lis]: { person_sourcedid: userId, course_section_sourcedid: courseId } };
}

async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw badRequest('The form could not be read.');
  }
}

function httpUrl(value: FormDataEntryValue | string | null, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!URL.canParse(text)) throw badRequest(`${what} must be an absolute http or https URL.`);
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest(`${what} must be an absolute http or https URL.`);
  return url.href;
}
