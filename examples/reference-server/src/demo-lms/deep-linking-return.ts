import type { ReceivedDeepLinkingResponse } from '@passport/lti13';
import type { LmsContext } from './context.ts';
import { forbidden, notFound, renderError } from './guards.ts';
import { type LmsActivity, lmsAdministrator } from './lms-store.ts';
import { deepLinkingDonePage } from './pages.ts';

/**
 * What the LMS does with a deep linking response the platform verified (signature with the tool's key, `aud`,
 * message type, deployment, the `data` of its own request): each `ltiResourceLink` item becomes an activity of the
 * course, and an item with a `lineItem` also a gradebook column (an AGS line item bound to the activity). Only a
 * teacher of the course (the user of the request) may add them.
 */
export function createDeepLinkingReceiver(
  context: LmsContext,
): (received: ReceivedDeepLinkingResponse) => Promise<Response> {
  const { store, generateId, clock, logger, base } = context;
  return async (received) => {
    try {
      const course = received.contextId === undefined ? undefined : await store.getCourse(received.contextId);
      if (course === undefined) throw notFound('The deep linking request named no course of this LMS.');
      const role = await store.getEnrollment(course.id, received.userId);
      if (role !== 'teacher' && received.userId !== lmsAdministrator.id)
        throw forbidden('Only the course’s teachers can add activities.');
      const start = clock.now().getTime();
      // Activities and their gradebook columns are created together or not at all.
      const added = await context.inTransaction(async (transaction) => {
        const created: LmsActivity[] = [];
        for (const item of received.items) {
          if (item.type !== 'ltiResourceLink') continue; // the request accepts resource links only
          const activityId = generateId();
          const title = item.title ?? item.lineItem?.label ?? 'Untitled activity';
          let lineItemId: string | undefined;
          if (item.lineItem !== undefined) {
            lineItemId = generateId();
            await transaction.gradebook.saveLineItem({
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
            // One millisecond apart, so the course lists them in the order the tool sent them.
            createdAt: new Date(start + created.length),
          };
          await transaction.store.saveActivity(activity);
          created.push(activity);
        }
        return created;
      });
      logger.info('demo LMS deep linking response', {
        course: course.id,
        clientId: received.clientId,
        items: received.items.length,
        activities: added.length,
      });
      return deepLinkingDonePage({ base, course, added, message: received.msg, error: received.errormsg });
    } catch (error) {
      return renderError(context, error);
    }
  };
}
