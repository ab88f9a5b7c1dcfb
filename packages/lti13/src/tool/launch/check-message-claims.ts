import { deepLinkingSettingsClaim } from '../../claims/schemas.ts';
import { claimUris, type LaunchMessageType } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

/**
 * Step 15. The claims each message type requires: a resource link launch needs `resource_link.id` (and a
 * `context` unless the tool allows context-less launches: the certification suite refuses them); a deep linking
 * request needs complete `deep_linking_settings`; a submission review needs `for_user`.
 */
export function checkMessageClaims(input: {
  messageType: LaunchMessageType;
  payload: Readonly<Record<string, unknown>>;
  requireContext: boolean;
}): void {
  const { messageType, payload } = input;
  if (messageType === 'LtiResourceLinkRequest' || messageType === 'LtiSubmissionReviewRequest') {
    const resourceLink = payload[claimUris.resourceLink] as { id?: unknown } | undefined;
    if (typeof resourceLink?.id !== 'string' || resourceLink.id === '')
      throw new LtiError('LTI_RESOURCE_LINK_MISSING');
  }
  if (
    messageType === 'LtiResourceLinkRequest' &&
    input.requireContext &&
    payload[claimUris.context] === undefined
  ) {
    throw new LtiError('LTI_CONTEXT_MISSING');
  }
  if (messageType === 'LtiDeepLinkingRequest') {
    const settings = payload[claimUris.deepLinkingSettings];
    if (settings === undefined) {
      throw new LtiError(
        'LTI_DEEP_LINKING_SETTINGS_INVALID',
        'The deep linking request has no deep_linking_settings claim.',
      );
    }
    const result = deepLinkingSettingsClaim.safeParse(settings);
    if (!result.success) {
      const fields = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
      throw new LtiError(
        'LTI_DEEP_LINKING_SETTINGS_INVALID',
        `The deep_linking_settings claim is missing or has invalid ${fields.join(', ')}.`,
      );
    }
  }
  if (messageType === 'LtiSubmissionReviewRequest') {
    const forUser = payload[claimUris.forUser] as { user_id?: unknown } | undefined;
    if (typeof forUser?.user_id !== 'string' || forUser.user_id === '')
      throw new LtiError('LTI_FOR_USER_MISSING');
  }
}
