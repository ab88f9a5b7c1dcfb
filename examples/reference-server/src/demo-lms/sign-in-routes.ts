import type { Router } from '../http/router.ts';
import type { LmsContext } from './context.ts';
import { badRequest, readForm, renderError, signedIn, signedInForm, viewerOf } from './guards.ts';
import { seeOther } from './html.ts';
import { lmsAdministrator } from './lms-store.ts';
import { coursesPage, signInPage } from './pages.ts';

/**
 * The demo sign-in: pick a course, then one of its teachers or students (or the LMS administrator); no password.
 * Also the home page and the list of the viewer's courses.
 */
export function registerSignInRoutes(router: Router, context: LmsContext): void {
  const { base, store } = context;

  // `/demo-lms` and `/demo-lms/` are one route (the router ignores a trailing slash): the sign-in or the courses.
  router.get(base, async (request) => {
    try {
      await context.ensureSeeded();
      const viewer = await viewerOf(context, request);
      return seeOther(viewer === undefined ? `${base}/sign-in` : `${base}/courses`);
    } catch (error) {
      return renderError(context, error);
    }
  });

  router.get(`${base}/sign-in`, async (_request, { url }) => {
    try {
      await context.ensureSeeded();
      const courses = await store.listCourses();
      const courseId = url.searchParams.get('course');
      const selected = courseId === null ? undefined : courses.find((course) => course.id === courseId);
      const members = selected === undefined ? [] : await store.listEnrollments(selected.id);
      return signInPage({ base, courses, selected, members });
    } catch (error) {
      return renderError(context, error);
    }
  });

  router.post(`${base}/sign-in`, async (request) => {
    try {
      await context.ensureSeeded();
      const form = await readForm(request);
      const userId = String(form.get('user') ?? '');
      if (userId === 'administrator') {
        const cookie = await context.sessions().start(lmsAdministrator.id);
        return seeOther(`${base}/admin/tools`, { 'set-cookie': cookie });
      }
      const user = await store.getUser(userId);
      if (user === undefined || user.role === 'administrator')
        throw badRequest('Choose a person of the course.');
      const courseId = String(form.get('course') ?? '');
      const enrolled = courseId !== '' && (await store.getEnrollment(courseId, user.id)) !== undefined;
      const cookie = await context.sessions().start(user.id);
      context.logger.info('demo LMS sign-in', { user: user.id, role: user.role });
      return seeOther(enrolled ? `${base}/courses/${encodeURIComponent(courseId)}` : `${base}/courses`, {
        'set-cookie': cookie,
      });
    } catch (error) {
      return renderError(context, error);
    }
  });

  router.post(
    `${base}/sign-out`,
    signedInForm(context, async (request) =>
      seeOther(`${base}/sign-in`, { 'set-cookie': await context.sessions().end(request) }),
    ),
  );

  router.get(
    `${base}/courses`,
    signedIn(context, async (_request, viewer) => {
      const courses = viewer.isAdministrator
        ? await store.listCourses()
        : await store.coursesOf(viewer.session.user.id);
      return coursesPage({ base, viewer, courses });
    }),
  );
}
