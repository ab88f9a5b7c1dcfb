import { claimUris, type LaunchMessageType, launchMessageTypes } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

/** Step 13. `message_type` must be one the tool handles (resource link, deep linking, submission review). */
export function checkMessageType(
  payload: Readonly<Record<string, unknown>>,
  accepted: readonly LaunchMessageType[] = launchMessageTypes,
): LaunchMessageType {
  const messageType = payload[claimUris.messageType];
  if (messageType === undefined) throw new LtiError('LTI_MESSAGE_TYPE_MISSING');
  if (typeof messageType !== 'string' || !accepted.includes(messageType as LaunchMessageType)) {
    throw new LtiError(
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
      `The message type ${JSON.stringify(messageType)} is not handled by this tool.`,
    );
  }
  return messageType as LaunchMessageType;
}
