import { platformStorageScript } from '@passport/lti13';
import type { Router } from '../http/router.ts';
import type { LmsContext } from './context.ts';
import {
  badRequest,
  courseFor,
  forbidden,
  notFound,
  requireTeacher,
  signedIn,
  signedInForm,
  type Viewer,
} from './guards.ts';
import { deepLinkingLaunch, resourceLinkLaunch } from './launch-inputs.ts';
import { coursePage, gradebookPage } from './pages.ts';

/**
 * A course: its page (activities, and for teachers "Add activity from <tool>"), the deep linking request, the
 * launch of an activity (new window or framed in the course page), and the gradebook.
 */
export function registerCourseRoutes(router: Router, context: LmsContext): void {
  const { base, store, tools, gradebook, memberships } = context;
  /** A student's grades: the course's released columns, each with the student's latest score. */
  const gradesOf = async (courseId: string, userId: string) => {
    const [lineItems, scores] = await Promise.all([
      gradebook.listLineItems(courseId),
      gradebook.listCourseScores(courseId),
    ]);
    return lineItems
      .filter((lineItem) => lineItem.gradesReleased !== false)
      .map((lineItem) => ({
        lineItem,
        score: scores.find((score) => score.lineItemId === lineItem.id && score.userId === userId),
      }));
  };
  const courseContext = async (courseId: string) => {
    const record = await memberships.getContext(courseId);
    if (record === undefined) throw notFound(`There is no course ${courseId}.`);
    return record;
  };

  router.get(
    `${base}/courses/:courseId`,
    signedIn(context, async (_request, viewer, params, url) => {
      const { course, role } = await courseFor(context, viewer, params.courseId as string);
      const activities = await store.listActivities(course.id);
      const embeddedId = url.searchParams.get('activity');
      const embedded =
        embeddedId === null ? undefined : activities.find((activity) => activity.id === embeddedId);
      if (embeddedId !== null && embedded === undefined)
        throw notFound(`There is no activity ${embeddedId} here.`);
      const added = Number(url.searchParams.get('added') ?? Number.NaN);
      const canManage = viewer.isAdministrator || role === 'teacher';
      const registered = await tools.listTools();
      const addFrom = url.searchParams.get('add');
      const picking =
        addFrom === null || !canManage
          ? undefined
          : registered.find((tool) => tool.clientId === addFrom && tool.status === 'active');
      if (addFrom !== null && canManage && picking === undefined)
        throw notFound(`No active tool has client ID ${addFrom}.`);
      return coursePage({
        base,
        viewer,
        course,
        canManage,
        canLaunch: role !== undefined,
        activities,
        tools: canManage ? registered.filter((tool) => tool.status === 'active') : registered,
        embedded,
        picking,
        ...(role === 'student' ? { grades: await gradesOf(course.id, viewer.session.user.id) } : {}),
        notice: Number.isInteger(added)
          ? `${added} ${added === 1 ? 'activity' : 'activities'} added.`
          : undefined,
        platformStorageScript,
      });
    }),
  );

  /** Starts a teacher's deep linking request: in the whole window (a form post) or framed in the course page. */
  const startDeepLinking = async (
    viewer: Viewer,
    courseId: string,
    clientId: string,
    target: 'iframe' | 'window',
  ): Promise<Response> => {
    const { course, role } = await courseFor(context, viewer, courseId);
    requireTeacher(viewer, role);
    const tool = await tools.getTool(clientId);
    if (tool === undefined || tool.status !== 'active') throw badRequest('Choose an active registered tool.');
    const input = deepLinkingLaunch({
      tool,
      user: viewer.session.user,
      context: await courseContext(course.id),
      target,
      returnUrl: `${context.lmsUrl()}/courses/${encodeURIComponent(course.id)}`,
    });
    // OIDC third-party login initiation: the browser goes to the tool's login URL, which comes back to authorize.
    return await context
      .platform()
      .launchResponse(input, { method: 'GET', ...(target === 'iframe' ? { storageTarget: '_parent' } : {}) });
  };

  router.post(
    `${base}/courses/:courseId/deep-link`,
    signedInForm(context, async (_request, viewer, params, form) =>
      startDeepLinking(viewer, params.courseId as string, String(form.get('tool') ?? ''), 'window'),
    ),
  );

  // The source of the picker's frame on the course page (an iframe loads with GET; the page it sits in is the
  // teacher's own, and SameSite=Lax keeps other sites from starting it in a frame).
  router.get(
    `${base}/courses/:courseId/deep-link`,
    signedIn(context, async (_request, viewer, params, url) =>
      startDeepLinking(viewer, params.courseId as string, url.searchParams.get('tool') ?? '', 'iframe'),
    ),
  );

  router.get(
    `${base}/courses/:courseId/activities/:activityId/launch`,
    signedIn(context, async (_request, viewer, params, url) => {
      const { course, role } = await courseFor(context, viewer, params.courseId as string);
      if (role === undefined) throw forbidden('Only members of the course launch its activities.');
      const activity = await store.getActivity(course.id, params.activityId as string);
      if (activity === undefined) throw notFound(`There is no activity ${params.activityId} here.`);
      const target = url.searchParams.get('target') === 'iframe' ? 'iframe' : 'window';
      const input = resourceLinkLaunch({
        activity,
        user: viewer.session.user,
        role,
        context: await courseContext(course.id),
        target,
        returnUrl: `${context.lmsUrl()}/courses/${encodeURIComponent(course.id)}`,
      });
      // In a frame the tool may keep its login state in the course page (LTI client-side storage) when it
      // cannot set cookies: the login offers `lti_storage_target=_parent`.
      return await context.platform().launchResponse(input, {
        method: 'GET',
        ...(target === 'iframe' ? { storageTarget: '_parent' } : {}),
      });
    }),
  );

  router.get(
    `${base}/courses/:courseId/gradebook`,
    signedIn(context, async (_request, viewer, params) => {
      const { course, role } = await courseFor(context, viewer, params.courseId as string);
      requireTeacher(viewer, role);
      const [lineItems, enrollments, scores] = await Promise.all([
        gradebook.listLineItems(course.id),
        store.listEnrollments(course.id),
        gradebook.listCourseScores(course.id),
      ]);
      const students = enrollments
        .filter((enrollment) => enrollment.role === 'student')
        .map((enrollment) => enrollment.user);
      return gradebookPage({ base, viewer, course, lineItems, students, scores });
    }),
  );
}
