import { type ContextRecord, claimUris, type LaunchInput, type ToolRegistration } from '@passport/lti13';
import { badRequest } from './guards.ts';
import { roleUris } from './lms-gradebook.ts';
import type { CourseRole, LmsActivity, LmsUser } from './lms-store.ts';
import { displayName } from './pages.ts';

/*
 * What the LMS puts in its launches, as @passport/lti13's `LaunchInput`: the user (LTI `sub` is the roster
 * sourcedId), the course as the context, the course role, the LIS claim with the roster's sourcedIds, and for
 * resource links the activity, its line item (AGS `lineitem`) and where it is shown. The platform adds the AGS and
 * NRPS claims for the scopes the tool was granted.
 */

function userClaims(user: LmsUser): NonNullable<LaunchInput['user']> {
  return {
    name: displayName(user),
    givenName: user.givenName,
    familyName: user.familyName,
    ...(user.email === undefined ? {} : { email: user.email }),
  };
}

/** The LIS claim (LTI 1.3 core §5.4.3): the roster's sourcedIds of the person and the course section. */
function lisClaim(user: LmsUser, context: ContextRecord): Record<string, unknown> {
  return { [claimUris.lis]: { person_sourcedid: user.id, course_section_sourcedid: context.id } };
}

function deploymentOf(tool: ToolRegistration): string {
  const deploymentId = tool.deploymentIds[0];
  if (deploymentId === undefined) throw badRequest(`Tool ${tool.clientId} has no deployment.`);
  return deploymentId;
}

/** A teacher's deep linking request: the tool may answer resource links, several at once, with line items. */
export function deepLinkingLaunch(input: {
  tool: ToolRegistration;
  user: LmsUser;
  context: ContextRecord;
  /** Where the tool's picker is shown: framed in the course page, or the whole window. */
  target: 'iframe' | 'window';
  returnUrl: string;
}): LaunchInput {
  const { tool, user, context } = input;
  return {
    clientId: tool.clientId,
    deploymentId: deploymentOf(tool),
    userId: user.id,
    messageType: 'LtiDeepLinkingRequest',
    roles: [roleUris.teacher],
    user: userClaims(user),
    context,
    deepLinking: {
      acceptTypes: ['ltiResourceLink'],
      acceptPresentationDocumentTargets: ['iframe', 'window'],
      acceptMultiple: true,
      acceptLineItem: true,
      autoCreate: true,
      title: `Add activities to ${context.title ?? context.id}`,
    },
    extraClaims: {
      ...lisClaim(user, context),
      [claimUris.launchPresentation]: {
        document_target: input.target,
        return_url: input.returnUrl,
        locale: 'en',
      },
    },
  };
}

/** A resource link launch of an activity, shown in a new window or framed in the course page. */
export function resourceLinkLaunch(input: {
  activity: LmsActivity;
  user: LmsUser;
  role: CourseRole;
  context: ContextRecord;
  target: 'iframe' | 'window';
  returnUrl: string;
}): LaunchInput {
  const { activity, user, context } = input;
  return {
    clientId: activity.clientId,
    deploymentId: activity.deploymentId,
    userId: user.id,
    messageType: 'LtiResourceLinkRequest',
    roles: [roleUris[input.role]],
    user: userClaims(user),
    context,
    resourceLink: {
      id: activity.id,
      title: activity.title,
      ...(activity.text === undefined ? {} : { description: activity.text }),
    },
    ...(activity.lineItemId === undefined ? {} : { lineItemId: activity.lineItemId }),
    ...(activity.url === undefined ? {} : { targetLinkUri: activity.url }),
    ...(activity.custom === undefined ? {} : { custom: activity.custom }),
    extraClaims: {
      ...lisClaim(user, context),
      [claimUris.launchPresentation]: {
        document_target: input.target,
        return_url: input.returnUrl,
        locale: 'en',
      },
    },
  };
}
