import type { Clock, GenerateId } from '@passport/core';
import { SignJWT } from 'jose';
import { claimUris, ltiVersion } from '../../claims/uris.ts';
import {
  type ContentItem,
  contentItemSchema,
  type DeepLinkingMessages,
} from '../../deep-linking/content-items.ts';
import { LtiError } from '../../errors.ts';
import { autoPostForm, htmlHeaders } from '../../http/html.ts';
import type { KeyRing } from '../../keys/key-ring.ts';
import type { LtiLaunch } from '../launch/launch.ts';

function checkItems(
  launch: LtiLaunch,
  items: readonly ContentItem[],
  defaultResourceLinkUrl: string | undefined,
): ContentItem[] {
  const settings = launch.deepLinkingSettings;
  if (launch.messageType !== 'LtiDeepLinkingRequest' || settings === undefined) {
    throw new LtiError(
      'LTI_CONTENT_ITEM_INVALID',
      'A deep linking response answers a deep linking request only.',
    );
  }
  if (settings.accept_multiple === false && items.length > 1) {
    throw new LtiError(
      'LTI_CONTENT_ITEM_INVALID',
      `The platform accepts one item; ${items.length} were given.`,
    );
  }
  return items.map((item, index) => {
    const parsed = contentItemSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LtiError(
        'LTI_CONTENT_ITEM_INVALID',
        `Item ${index} (${String(item.type)}): ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      );
    }
    const checked: ContentItem = parsed.data;
    if (!settings.accept_types.includes(checked.type)) {
      throw new LtiError(
        'LTI_CONTENT_ITEM_INVALID',
        `Item ${index}: the platform does not accept ${checked.type} items (accepts ${settings.accept_types.join(', ')}).`,
      );
    }
    for (const target of ['iframe', 'window'] as const) {
      if (
        target in checked &&
        (checked as Record<string, unknown>)[target] !== undefined &&
        !settings.accept_presentation_document_targets.includes(target)
      ) {
        throw new LtiError(
          'LTI_CONTENT_ITEM_INVALID',
          `Item ${index}: the platform does not accept the ${target} presentation.`,
        );
      }
    }
    if (checked.type === 'ltiResourceLink') {
      if (checked.lineItem !== undefined && settings.accept_lineitem === false) {
        throw new LtiError(
          'LTI_CONTENT_ITEM_INVALID',
          `Item ${index}: the platform does not accept line items.`,
        );
      }
      // Blackboard refuses resource links without a url; the target link URI of the tool is the natural one.
      if (checked.url === undefined && defaultResourceLinkUrl !== undefined)
        return { ...checked, url: defaultResourceLinkUrl };
    }
    return checked;
  });
}

export interface DeepLinkingResponse {
  /** The signed `LtiDeepLinkingResponse`. */
  readonly jwt: string;
  /** The platform's `deep_link_return_url`. */
  readonly returnUrl: string;
  /** The page that posts `JWT` to the return URL. */
  readonly response: Response;
}

/**
 * Builds and signs the `LtiDeepLinkingResponse` for a deep linking launch: the items are checked against the
 * request's settings (types, presentation targets, multiple, line items), `data` is echoed, and the answer is a
 * page that auto-posts the JWT to the platform's return URL.
 */
export async function createDeepLinkingResponse(input: {
  launch: LtiLaunch;
  items: readonly ContentItem[];
  messages?: DeepLinkingMessages;
  keyRing: KeyRing;
  clock: Clock;
  generateId: GenerateId;
  /** Filled into `ltiResourceLink` items without a `url` (Blackboard requires one). */
  defaultResourceLinkUrl?: string;
}): Promise<DeepLinkingResponse> {
  const { launch } = input;
  const items = checkItems(launch, input.items, input.defaultResourceLinkUrl);
  const settings = launch.deepLinkingSettings as NonNullable<LtiLaunch['deepLinkingSettings']>;
  const signingKey = await input.keyRing.signingKey();
  const now = Math.floor(input.clock.now().getTime() / 1000);
  const claims: Record<string, unknown> = {
    nonce: input.generateId(),
    [claimUris.messageType]: 'LtiDeepLinkingResponse',
    [claimUris.version]: ltiVersion,
    [claimUris.deploymentId]: launch.deploymentId,
    [claimUris.contentItems]: items,
  };
  if (typeof settings.data === 'string') claims[claimUris.deepLinkingData] = settings.data;
  const messages = input.messages ?? {};
  if (messages.msg !== undefined) claims[claimUris.deepLinkingMessage] = messages.msg;
  if (messages.log !== undefined) claims[claimUris.deepLinkingLog] = messages.log;
  if (messages.errormsg !== undefined) claims[claimUris.deepLinkingErrorMessage] = messages.errormsg;
  if (messages.errorlog !== undefined) claims[claimUris.deepLinkingErrorLog] = messages.errorlog;
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT' })
    .setIssuer(launch.clientId)
    .setAudience(launch.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(signingKey.cryptoKey);
  const returnUrl = settings.deep_link_return_url;
  return {
    jwt,
    returnUrl,
    response: new Response(autoPostForm(returnUrl, { JWT: jwt }, 'Return to the course'), {
      headers: htmlHeaders,
    }),
  };
}
