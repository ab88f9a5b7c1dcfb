import { PassportError } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { RouteHandler } from '../http/router.ts';
import type { LmsContext } from './context.ts';
import { type PageViewer, seeOther } from './html.ts';
import type { CourseRole, LmsCourse, LmsSession } from './lms-store.ts';
import { displayName, errorPage } from './pages.ts';

/* Who may see what: sessions, CSRF, course membership and roles, and errors rendered as pages. */

export interface Viewer extends PageViewer {
  readonly session: LmsSession;
}

export const forbidden = (message: string) =>
  new ServerError('SERVER_UNAUTHORIZED', message, { status: 403, description: message });
export const notFound = (message: string) =>
  new ServerError('SERVER_ROUTE_NOT_FOUND', message, { status: 404, description: message });
export const badRequest = (message: string) =>
  new ServerError('SERVER_BAD_REQUEST', message, { status: 400, description: message });

export async function viewerOf(context: LmsContext, request: Request): Promise<Viewer | undefined> {
  const session = await context.sessions().read(request);
  if (session === undefined) return undefined;
  return {
    session,
    name: displayName(session.user),
    isAdministrator: session.user.role === 'administrator',
    csrfToken: session.csrfToken,
  };
}

/** An error as a page: a PassportError with its status, code and safe description; anything else a logged 500. */
export function renderError(context: LmsContext, error: unknown, viewer?: Viewer): Response {
  if (!PassportError.is(error)) {
    context.logger.error('demo LMS request failed', { error });
    return errorPage({
      base: context.base,
      viewer,
      status: 500,
      code: 'SERVER_INTERNAL_ERROR',
      message: 'The demo LMS could not answer this request.',
    });
  }
  return errorPage({
    base: context.base,
    viewer,
    status: error.status,
    code: error.code,
    message: error.description,
  });
}

type PageHandler = (
  request: Request,
  viewer: Viewer,
  params: Record<string, string>,
  url: URL,
) => Promise<Response>;

/** A page for signed-in users: others are sent to the sign-in page; errors render as pages. */
export function signedIn(context: LmsContext, handler: PageHandler): RouteHandler {
  return async (request, { params, url }) => {
    let viewer: Viewer | undefined;
    try {
      await context.ensureSeeded();
      viewer = await viewerOf(context, request);
      if (viewer === undefined) return seeOther(`${context.base}/sign-in`);
      return await handler(request, viewer, params, url);
    } catch (error) {
      return renderError(context, error, viewer);
    }
  };
}

/** A form post of a signed-in user, refused (403) unless it carries the session's CSRF token. */
export function signedInForm(
  context: LmsContext,
  handler: (
    request: Request,
    viewer: Viewer,
    params: Record<string, string>,
    form: FormData,
  ) => Promise<Response>,
): RouteHandler {
  return signedIn(context, async (request, viewer, params) => {
    const form = await readForm(request);
    context.sessions().checkCsrf(viewer.session, form);
    return await handler(request, viewer, params, form);
  });
}

/** The course and the viewer's role in it; the administrator sees every course without a role. */
export async function courseFor(
  context: LmsContext,
  viewer: Viewer,
  courseId: string,
): Promise<{ course: LmsCourse; role: CourseRole | undefined }> {
  const course = await context.store.getCourse(courseId);
  if (course === undefined) throw notFound(`There is no course ${courseId}.`);
  if (viewer.isAdministrator) return { course, role: undefined };
  const role = await context.store.getEnrollment(courseId, viewer.session.user.id);
  if (role === undefined) throw forbidden('You are not enrolled in this course.');
  return { course, role };
}

export function requireTeacher(viewer: Viewer, role: CourseRole | undefined): void {
  if (!viewer.isAdministrator && role !== 'teacher')
    throw forbidden('Only the course’s teachers can do this.');
}

export function requireAdministrator(viewer: Viewer): void {
  if (!viewer.isAdministrator) throw forbidden('Only the LMS administrator can manage LTI tools.');
}

export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw badRequest('The form could not be read.');
  }
}

/** An absolute http(s) URL from a form field, or `SERVER_BAD_REQUEST` naming the field. */
export function httpUrl(value: FormDataEntryValue | string | null, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw badRequest(`${what} must be an absolute http or https URL.`);
  return url.href;
}
