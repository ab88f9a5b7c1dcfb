import type { Clock } from '@passport/core';
import { systemClock } from '@passport/core';
import type {
  AgsEndpointClaim,
  LineItem,
  LtiLaunch,
  LtiServices,
  NrpsClaim,
  PlatformRegistration,
} from '@passport/lti13';
import { GradeSyncError } from '../../errors.ts';
import type {
  Gradebook,
  GradebookLineItem,
  GradebookTarget,
  LaunchRecord,
  Roster,
  RosterMember,
} from '../../ports.ts';
import { translateLtiError } from './translate-lti-error.ts';

/** What the tool kept from the latest launch of an LMS course: the registration and the service claims. */
export interface LtiCourseServices {
  readonly registration: PlatformRegistration;
  readonly ags?: AgsEndpointClaim | undefined;
  readonly nrps?: NrpsClaim | undefined;
}

export interface LtiGradebookOptions {
  /** The tool's AGS and NRPS clients (`createLtiServices` of @passport/lti13). */
  readonly services: LtiServices;
  /** The registration and claims of an LMS course (kept from its latest launch). */
  resolve(target: GradebookTarget): Promise<LtiCourseServices>;
  readonly clock?: Clock;
}

/** The registration and service claims of a launch, to keep for later syncs of its course. */
export function courseServicesOf(launch: LtiLaunch): LtiCourseServices {
  return { registration: launch.registration, ags: launch.ags, nrps: launch.nrps };
}

/** The launch as the learner matcher needs it: the `sub`, the email and the `lis_person_sourcedid`. */
export function launchRecordOf(lmsId: string, launch: LtiLaunch, at: Date): LaunchRecord | undefined {
  if (launch.user.id === undefined) return undefined;
  const sourcedId = launch.lis?.person_sourcedid ?? undefined;
  return {
    lmsId,
    userId: launch.user.id,
    ...(launch.user.email === undefined ? {} : { email: launch.user.email }),
    ...(sourcedId === undefined || sourcedId === null ? {} : { sourcedId }),
    at,
  };
}

function toLineItem(lineItem: LineItem & { id: string }): GradebookLineItem {
  return {
    id: lineItem.id,
    label: lineItem.label,
    scoreMaximum: lineItem.scoreMaximum,
    ...(lineItem.resourceId === undefined ? {} : { resourceId: lineItem.resourceId }),
    ...(lineItem.resourceLinkId === undefined ? {} : { resourceLinkId: lineItem.resourceLinkId }),
    ...(lineItem.tag === undefined ? {} : { tag: lineItem.tag }),
  };
}

/**
 * The engine's `Gradebook` and `Roster` over @passport/lti13's AGS and NRPS clients: the LMS is whatever platform
 * issued the registration (Canvas, Moodle, Blackboard, D2L, or the @passport/lti13 platform in tests). Errors are
 * translated to the engine's codes (`translateLtiError`).
 */
export function createLtiGradebook(options: LtiGradebookOptions): Gradebook & Roster {
  const clock = options.clock ?? systemClock;
  const agsOf = async (target: GradebookTarget) => {
    const course = await options.resolve(target);
    if (course.ags === undefined)
      throw new GradeSyncError(
        'GRADESYNC_LMS_UNAUTHORIZED',
        `LMS course ${target.contextId} offers no Assignment and Grade Services: enable grades for the tool in the LMS.`,
      );
    return options.services.ags({ registration: course.registration, endpoint: course.ags });
  };
  const call = async <Result>(what: string, run: () => Promise<Result>): Promise<Result> => {
    try {
      return await run();
    } catch (error) {
      throw translateLtiError(error, clock.now(), what);
    }
  };
  return {
    async getLineItem(target, lineItemId) {
      try {
        return toLineItem(await (await agsOf(target)).getLineItem(lineItemId));
      } catch (error) {
        const translated = translateLtiError(error, clock.now(), 'a line item');
        if (translated.code === 'GRADESYNC_LINE_ITEM_DELETED') return undefined;
        throw translated;
      }
    },
    listLineItems: (target, filter = {}) =>
      call('the line items', async () => (await (await agsOf(target)).listLineItems(filter)).map(toLineItem)),
    createLineItem: (target, lineItem) =>
      call('a new line item', async () =>
        toLineItem(
          await (await agsOf(target)).createLineItem({
            label: lineItem.label,
            scoreMaximum: lineItem.scoreMaximum,
            resourceId: lineItem.resourceId,
            tag: lineItem.tag,
            ...(lineItem.resourceLinkId === undefined ? {} : { resourceLinkId: lineItem.resourceLinkId }),
          }),
        ),
      ),
    postScore: (target, lineItemId, score) =>
      call('a score', async () =>
        (await agsOf(target)).submitScore(
          {
            userId: score.userId,
            ...(score.scoreGiven === undefined ? {} : { scoreGiven: score.scoreGiven }),
            ...(score.scoreMaximum === undefined ? {} : { scoreMaximum: score.scoreMaximum }),
            activityProgress: score.activityProgress,
            gradingProgress: score.gradingProgress,
            timestamp: score.timestamp,
            ...(score.comment === undefined ? {} : { comment: score.comment }),
          },
          lineItemId,
        ),
      ),
    readResults: (target, lineItemId, readOptions = {}) =>
      call('the results', async () =>
        (
          await (
            await agsOf(target)
          ).listResults({
            lineItemUrl: lineItemId,
            ...(readOptions.userId === undefined ? {} : { userId: readOptions.userId }),
          })
        ).map((result) => ({
          userId: result.userId,
          ...(result.resultScore == null ? {} : { resultScore: result.resultScore }),
          ...(result.resultMaximum == null ? {} : { resultMaximum: result.resultMaximum }),
          ...(result.comment == null ? {} : { comment: result.comment }),
          ...(result.timestamp == null ? {} : { timestamp: result.timestamp }),
        })),
      ),
    async listMembers(target) {
      const course = await options.resolve(target);
      // No names and roles service on this course: matching falls back to launches and account links.
      if (course.nrps === undefined) return [];
      const nrps = options.services.nrps({ registration: course.registration, claim: course.nrps });
      return call('the course membership', async () =>
        (await nrps.members()).members.map(
          (member): RosterMember => ({
            userId: member.user_id,
            ...(member.email == null ? {} : { email: member.email }),
            ...(member.lis_person_sourcedid == null ? {} : { sourcedId: member.lis_person_sourcedid }),
            roles: member.parsedRoles.filter((role) => role.kind === 'context').map((role) => role.name),
            ...(member.status === undefined ? {} : { status: member.status }),
            ...(member.name == null ? {} : { name: member.name }),
          }),
        ),
      );
    },
  };
}
