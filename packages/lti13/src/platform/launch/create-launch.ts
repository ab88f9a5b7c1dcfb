import { claimUris, type LaunchMessageType, ltiVersion, scopes } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';
import { autoPostForm, htmlHeaders } from '../../http/html.ts';
import type { ContextRecord, ToolRegistration } from '../../ports.ts';
import {
  lineItemsUrl,
  lineItemUrl,
  membershipsUrl,
  type PlatformContext,
  platformUrl,
} from '../platform-context.ts';

const agsScopes: readonly string[] = [
  scopes.lineItem,
  scopes.lineItemReadOnly,
  scopes.resultReadOnly,
  scopes.score,
];

export interface DeepLinkingRequestSettings {
  readonly acceptTypes: readonly string[];
  readonly acceptPresentationDocumentTargets: readonly string[];
  readonly acceptMediaTypes?: string | undefined;
  readonly acceptMultiple?: boolean | undefined;
  readonly acceptLineItem?: boolean | undefined;
  readonly autoCreate?: boolean | undefined;
  readonly title?: string | undefined;
  readonly text?: string | undefined;
}

/** What the platform knows about a launch it starts. */
export interface LaunchInput {
  readonly clientId: string;
  readonly deploymentId: string;
  /** The platform's user id (`sub` and `login_hint`). */
  readonly userId: string;
  readonly messageType?: LaunchMessageType | undefined;
  readonly roles: readonly string[];
  readonly user?: { name?: string; givenName?: string; familyName?: string; email?: string } | undefined;
  readonly context?: ContextRecord | undefined;
  readonly resourceLink?: { id: string; title?: string; description?: string } | undefined;
  /** The line item of the resource link, for the AGS `lineitem` claim. */
  readonly lineItemId?: string | undefined;
  readonly targetLinkUri?: string | undefined;
  readonly custom?: Readonly<Record<string, string>> | undefined;
  readonly deepLinking?: DeepLinkingRequestSettings | undefined;
  /** The reviewed user of a submission review. */
  readonly forUser?: { userId: string; name?: string } | undefined;
  readonly returnUrl?: string | undefined;
  /** Claims added as they are (or replacing the computed ones). */
  readonly extraClaims?: Readonly<Record<string, unknown>> | undefined;
}

export interface StartedLaunch {
  /** The tool's login initiation URL. */
  readonly loginUrl: string;
  /** The login initiation parameters (`iss`, `login_hint`, `target_link_uri`, `lti_message_hint`, ...). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly messageHint: string;
}

function launchClaims(
  input: LaunchInput,
  tool: ToolRegistration,
  context: PlatformContext,
  targetLinkUri: string,
  deepLinkingData: string | undefined,
) {
  const messageType = input.messageType ?? 'LtiResourceLinkRequest';
  const claims: Record<string, unknown> = {
    [claimUris.messageType]: messageType,
    [claimUris.version]: ltiVersion,
    [claimUris.deploymentId]: input.deploymentId,
    [claimUris.targetLinkUri]: targetLinkUri,
    [claimUris.roles]: [...input.roles],
    [claimUris.toolPlatform]: {
      guid: context.issuer,
      name: 'Passport',
      product_family_code: 'passport',
      version: '1',
    },
  };
  if (input.user?.name !== undefined) claims.name = input.user.name;
  if (input.user?.givenName !== undefined) claims.given_name = input.user.givenName;
  if (input.user?.familyName !== undefined) claims.family_name = input.user.familyName;
  if (input.user?.email !== undefined) claims.email = input.user.email;
  if (input.context !== undefined) {
    const { id, label, title, type } = input.context;
    claims[claimUris.context] = {
      id,
      ...(label === undefined ? {} : { label }),
      ...(title === undefined ? {} : { title }),
      ...(type === undefined ? {} : { type: [...type] }),
    };
  }
  if (input.resourceLink !== undefined) claims[claimUris.resourceLink] = { ...input.resourceLink };
  const custom = { ...tool.custom, ...input.custom };
  if (Object.keys(custom).length > 0) claims[claimUris.custom] = custom;
  if (input.returnUrl !== undefined)
    claims[claimUris.launchPresentation] = { document_target: 'iframe', return_url: input.returnUrl };
  const granted = tool.scopes.filter((scope) => agsScopes.includes(scope));
  if (granted.length > 0 && input.context !== undefined) {
    claims[claimUris.ags] = {
      scope: granted,
      lineitems: lineItemsUrl(context, input.context.id),
      ...(input.lineItemId === undefined
        ? {}
        : { lineitem: lineItemUrl(context, input.context.id, input.lineItemId) }),
    };
  }
  if (tool.scopes.includes(scopes.membershipReadOnly) && input.context !== undefined) {
    claims[claimUris.nrps] = {
      context_memberships_url: membershipsUrl(context, input.context.id),
      service_versions: ['2.0'],
    };
  }
  if (messageType === 'LtiDeepLinkingRequest') {
    const settings = input.deepLinking ?? {
      acceptTypes: ['ltiResourceLink'],
      acceptPresentationDocumentTargets: ['iframe', 'window'],
    };
    claims[claimUris.deepLinkingSettings] = {
      deep_link_return_url: platformUrl(context, context.paths.deepLinkingReturn),
      accept_types: [...settings.acceptTypes],
      accept_presentation_document_targets: [...settings.acceptPresentationDocumentTargets],
      ...(settings.acceptMediaTypes === undefined ? {} : { accept_media_types: settings.acceptMediaTypes }),
      accept_multiple: settings.acceptMultiple ?? true,
      accept_lineitem: settings.acceptLineItem ?? true,
      auto_create: settings.autoCreate ?? false,
      ...(settings.title === undefined ? {} : { title: settings.title }),
      ...(settings.text === undefined ? {} : { text: settings.text }),
      data: deepLinkingData,
    };
  }
  if (input.forUser !== undefined) {
    claims[claimUris.forUser] = {
      user_id: input.forUser.userId,
      ...(input.forUser.name === undefined ? {} : { name: input.forUser.name }),
    };
  }
  return { ...claims, ...input.extraClaims };
}

/**
 * Starts a launch: records it as pending under a random `lti_message_hint` and returns the login initiation the
 * browser must make to the tool. The id_token is only minted when the tool comes back to the authorization
 * endpoint with that hint.
 */
export async function createLaunch(context: PlatformContext, input: LaunchInput): Promise<StartedLaunch> {
  const tool = await context.tools.getTool(input.clientId);
  if (tool === undefined)
    throw new LtiError('LTI_TOOL_UNKNOWN', `No tool is registered with client id ${input.clientId}.`);
  if (!tool.deploymentIds.includes(input.deploymentId)) {
    throw new LtiError(
      'LTI_DEPLOYMENT_UNKNOWN',
      `Deployment ${input.deploymentId} is not a deployment of tool ${input.clientId}.`,
    );
  }
  if (tool.status !== 'active')
    throw new LtiError('LTI_REGISTRATION_PENDING', `Tool ${input.clientId} is pending activation.`);
  const messageType = input.messageType ?? 'LtiResourceLinkRequest';
  const targetLinkUri =
    input.targetLinkUri ??
    (messageType === 'LtiDeepLinkingRequest'
      ? (tool.deepLinkingUrl ?? tool.targetLinkUri)
      : tool.targetLinkUri);
  const now = context.clock.now();
  const expiresAt = new Date(now.getTime() + context.launchTtlSeconds * 1000);
  const id = context.generateId();
  let deepLinkingData: string | undefined;
  if (messageType === 'LtiDeepLinkingRequest') {
    deepLinkingData = context.generateId();
    await context.pendingLaunches.save({
      id: `deep-linking:${deepLinkingData}`,
      clientId: tool.clientId,
      deploymentId: input.deploymentId,
      userId: input.userId,
      targetLinkUri,
      claims: { contextId: input.context?.id },
      expiresAt: new Date(now.getTime() + 3600_000),
    });
  }
  await context.pendingLaunches.save({
    id,
    clientId: tool.clientId,
    deploymentId: input.deploymentId,
    userId: input.userId,
    targetLinkUri,
    claims: launchClaims(input, tool, context, targetLinkUri, deepLinkingData),
    expiresAt,
  });
  return {
    loginUrl: tool.loginUrl,
    messageHint: id,
    parameters: {
      iss: context.issuer,
      login_hint: input.userId,
      target_link_uri: targetLinkUri,
      lti_message_hint: id,
      lti_deployment_id: input.deploymentId,
      client_id: tool.clientId,
    },
  };
}

/**
 * The response that sends the browser to the tool's login: a redirect (GET, as Schoology does) or an
 * auto-posting form (POST, as Moodle does). `storageTarget` adds `lti_storage_target` for postMessage storage.
 */
export function loginInitiationResponse(
  launch: StartedLaunch,
  options: { method?: 'GET' | 'POST'; storageTarget?: string } = {},
): Response {
  const parameters = {
    ...launch.parameters,
    ...(options.storageTarget === undefined ? {} : { lti_storage_target: options.storageTarget }),
  };
  if (options.method === 'POST') {
    return new Response(autoPostForm(launch.loginUrl, parameters, 'Continue to the tool'), {
      headers: htmlHeaders,
    });
  }
  const url = new URL(launch.loginUrl);
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  return new Response(null, { status: 302, headers: { location: url.href, 'cache-control': 'no-store' } });
}
