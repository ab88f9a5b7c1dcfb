import { claimUris, ltiVersion } from '../../claims/uris.ts';
import {
  type ContentItem,
  contentItemSchema,
  type DeepLinkingMessages,
} from '../../deep-linking/content-items.ts';
import { LtiError } from '../../errors.ts';
import { parameter, readParameters } from '../../http/parameters.ts';
import { verifyPeerJwt } from '../../keys/verify-peer-jwt.ts';
import type { PlatformContext } from '../platform-context.ts';

export interface ReceivedDeepLinkingResponse extends DeepLinkingMessages {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly userId: string;
  readonly contextId: string | undefined;
  readonly items: readonly ContentItem[];
}

const invalid = (message: string) => new LtiError('LTI_DEEP_LINKING_RESPONSE_INVALID', message);

/**
 * Accepts a deep linking response posted to the platform's return URL: a JWT signed by the tool's registered key,
 * `iss` its client id, `aud` this platform, message type `LtiDeepLinkingResponse`, a deployment of the tool, the
 * `data` of a deep linking request this platform issued (single use), and valid content items.
 */
export async function receiveDeepLinkingResponse(
  context: PlatformContext,
  request: Request,
): Promise<ReceivedDeepLinkingResponse> {
  if (request.method !== 'POST') throw invalid('The deep linking response must be a form POST.');
  const token = parameter(await readParameters(request), 'JWT');
  if (token === undefined) throw invalid('The form has no JWT field.');
  let clientId: unknown;
  try {
    clientId = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
  } catch {
    throw invalid('The JWT is malformed.');
  }
  const tool = typeof clientId === 'string' ? await context.tools.getTool(clientId) : undefined;
  if (tool === undefined) throw invalid(`The JWT issuer ${String(clientId)} is not a registered tool.`);
  const keys =
    tool.jwksUri !== undefined
      ? { jwksUri: tool.jwksUri }
      : tool.jwks !== undefined
        ? { jwks: tool.jwks }
        : undefined;
  if (keys === undefined) throw invalid(`Tool ${tool.clientId} has no registered keys.`);
  const payload = await verifyPeerJwt({
    token,
    keys,
    keySets: context.keySets,
    code: 'LTI_DEEP_LINKING_RESPONSE_INVALID',
  });
  const audience =
    typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!audience.includes(context.issuer)) throw invalid(`The JWT aud must be ${context.issuer}.`);
  const now = context.clock.now().getTime() / 1000;
  if (typeof payload.exp !== 'number' || payload.exp <= now - 5) throw invalid('The JWT has expired.');
  if (payload[claimUris.messageType] !== 'LtiDeepLinkingResponse')
    throw invalid('The message type must be LtiDeepLinkingResponse.');
  if (payload[claimUris.version] !== ltiVersion) throw invalid('The LTI version must be 1.3.0.');
  const deploymentId = payload[claimUris.deploymentId];
  if (typeof deploymentId !== 'string' || !tool.deploymentIds.includes(deploymentId))
    throw invalid(`Deployment ${String(deploymentId)} is not a deployment of tool ${tool.clientId}.`);
  const data = payload[claimUris.deepLinkingData];
  const pending =
    typeof data === 'string' ? await context.pendingLaunches.take(`deep-linking:${data}`) : undefined;
  if (pending === undefined || pending.clientId !== tool.clientId)
    throw invalid('The data claim does not echo a deep linking request of this platform.');
  const rawItems = payload[claimUris.contentItems] ?? [];
  if (!Array.isArray(rawItems)) throw invalid('content_items must be an array.');
  const items = rawItems.map((item, index) => {
    const parsed = contentItemSchema.safeParse(item);
    if (!parsed.success)
      throw invalid(`Content item ${index} is invalid: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    return parsed.data;
  });
  const text = (uri: string) => (typeof payload[uri] === 'string' ? (payload[uri] as string) : undefined);
  return {
    clientId: tool.clientId,
    deploymentId,
    userId: pending.userId,
    contextId: typeof pending.claims.contextId === 'string' ? pending.claims.contextId : undefined,
    items,
    msg: text(claimUris.deepLinkingMessage),
    log: text(claimUris.deepLinkingLog),
    errormsg: text(claimUris.deepLinkingErrorMessage),
    errorlog: text(claimUris.deepLinkingErrorLog),
  };
}
