import { parseRoles } from '../../claims/roles.ts';
import { scopes } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';
import { jsonResponse } from '../../http/respond.ts';
import type { LineItemRecord } from '../../ports.ts';
import { lineItemSchema, scoreSchema } from '../../services/ags/schemas.ts';
import { mediaTypeOf, mediaTypes } from '../../services/media-types.ts';
import { lineItemUrl, type PlatformContext } from '../platform-context.ts';
import { authorizeServiceRequest } from '../token/access-tokens.ts';
import { paginate } from './paging.ts';

const readScopes = [scopes.lineItem, scopes.lineItemReadOnly];

function lineItemJson(context: PlatformContext, lineItem: LineItemRecord) {
  return {
    id: lineItemUrl(context, lineItem.contextId, lineItem.id),
    scoreMaximum: lineItem.scoreMaximum,
    label: lineItem.label,
    ...(lineItem.resourceId === undefined ? {} : { resourceId: lineItem.resourceId }),
    ...(lineItem.resourceLinkId === undefined ? {} : { resourceLinkId: lineItem.resourceLinkId }),
    ...(lineItem.tag === undefined ? {} : { tag: lineItem.tag }),
    ...(lineItem.startDateTime === undefined ? {} : { startDateTime: lineItem.startDateTime }),
    ...(lineItem.endDateTime === undefined ? {} : { endDateTime: lineItem.endDateTime }),
    ...(lineItem.gradesReleased === undefined ? {} : { gradesReleased: lineItem.gradesReleased }),
  };
}

async function readJsonBody(request: Request, mediaType: string): Promise<unknown> {
  const type = mediaTypeOf(request.headers.get('content-type'));
  if (type !== mediaType) {
    throw new LtiError(
      'LTI_MEDIA_TYPE_UNSUPPORTED',
      `The body must be ${mediaType}, not ${type || '(none)'}.`,
    );
  }
  try {
    return await request.json();
  } catch {
    throw new LtiError('LTI_REQUEST_BODY_INVALID', 'The body is not JSON.');
  }
}

function invalidBody(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): LtiError {
  return new LtiError(
    'LTI_REQUEST_BODY_INVALID',
    issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`).join('; '),
  );
}

async function ownLineItem(
  context: PlatformContext,
  contextId: string,
  lineItemId: string,
  clientId: string,
): Promise<LineItemRecord> {
  const lineItem = await context.gradebook.getLineItem(contextId, lineItemId);
  if (lineItem === undefined || lineItem.clientId !== clientId)
    throw new LtiError('LTI_RESOURCE_NOT_FOUND', `No line item ${lineItemId} in context ${contextId}.`);
  return lineItem;
}

/** `<services>/<contextId>/lineitems`: GET (filters `resource_link_id`, `resource_id`, `tag`, paging) and POST. */
export async function handleLineItems(
  context: PlatformContext,
  request: Request,
  contextId: string,
): Promise<Response> {
  if (request.method === 'GET') {
    const { clientId } = await authorizeServiceRequest(context, request, readScopes);
    const url = new URL(request.url);
    const filters = {
      resourceLinkId: url.searchParams.get('resource_link_id'),
      resourceId: url.searchParams.get('resource_id'),
      tag: url.searchParams.get('tag'),
    };
    const items = (await context.gradebook.listLineItems(contextId)).filter(
      (lineItem) =>
        lineItem.clientId === clientId &&
        (filters.resourceLinkId === null || lineItem.resourceLinkId === filters.resourceLinkId) &&
        (filters.resourceId === null || lineItem.resourceId === filters.resourceId) &&
        (filters.tag === null || lineItem.tag === filters.tag),
    );
    const { page, link } = paginate(items, url, context.pageSize);
    return jsonResponse(
      page.map((lineItem) => lineItemJson(context, lineItem)),
      { contentType: mediaTypes.lineItemContainer, headers: link === undefined ? {} : { link } },
    );
  }
  if (request.method === 'POST') {
    const { clientId } = await authorizeServiceRequest(context, request, [scopes.lineItem]);
    const parsed = lineItemSchema.safeParse(await readJsonBody(request, mediaTypes.lineItem));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const body = parsed.data;
    const record: LineItemRecord = {
      id: context.generateId(),
      contextId,
      clientId,
      label: body.label,
      scoreMaximum: body.scoreMaximum,
      resourceId: body.resourceId,
      resourceLinkId: body.resourceLinkId,
      tag: body.tag,
      startDateTime: body.startDateTime,
      endDateTime: body.endDateTime,
      gradesReleased: body.gradesReleased,
    };
    await context.gradebook.saveLineItem(record);
    return jsonResponse(lineItemJson(context, record), { status: 201, contentType: mediaTypes.lineItem });
  }
  throw new LtiError('LTI_METHOD_NOT_ALLOWED', `${request.method} is not allowed on a line item container.`);
}

/** `<services>/<contextId>/lineitems/<id>`: GET, PUT, DELETE. */
export async function handleLineItem(
  context: PlatformContext,
  request: Request,
  contextId: string,
  lineItemId: string,
): Promise<Response> {
  if (request.method === 'GET') {
    const { clientId } = await authorizeServiceRequest(context, request, readScopes);
    const lineItem = await ownLineItem(context, contextId, lineItemId, clientId);
    return jsonResponse(lineItemJson(context, lineItem), { contentType: mediaTypes.lineItem });
  }
  if (request.method === 'PUT') {
    const { clientId } = await authorizeServiceRequest(context, request, [scopes.lineItem]);
    const existing = await ownLineItem(context, contextId, lineItemId, clientId);
    const parsed = lineItemSchema.safeParse(await readJsonBody(request, mediaTypes.lineItem));
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const body = parsed.data;
    if (body.id !== undefined && body.id !== lineItemUrl(context, contextId, lineItemId)) {
      throw new LtiError('LTI_REQUEST_BODY_INVALID', 'The line item id in the body differs from the URL.');
    }
    const updated: LineItemRecord = {
      ...existing,
      label: body.label,
      scoreMaximum: body.scoreMaximum,
      resourceId: body.resourceId,
      tag: body.tag,
      startDateTime: body.startDateTime,
      endDateTime: body.endDateTime,
      gradesReleased: body.gradesReleased ?? existing.gradesReleased,
      // The resource link a line item is bound to is the platform's to keep (AGS §3.2.8).
      resourceLinkId: existing.resourceLinkId,
    };
    await context.gradebook.saveLineItem(updated);
    return jsonResponse(lineItemJson(context, updated), { contentType: mediaTypes.lineItem });
  }
  if (request.method === 'DELETE') {
    const { clientId } = await authorizeServiceRequest(context, request, [scopes.lineItem]);
    await ownLineItem(context, contextId, lineItemId, clientId);
    await context.gradebook.removeLineItem(contextId, lineItemId);
    return new Response(null, { status: 204 });
  }
  throw new LtiError('LTI_METHOD_NOT_ALLOWED', `${request.method} is not allowed on a line item.`);
}

/** `<line item>/scores`: POST a score. Reproduces the Canvas refusals when the quirks ask for them. */
export async function handleScores(
  context: PlatformContext,
  request: Request,
  contextId: string,
  lineItemId: string,
): Promise<Response> {
  if (request.method !== 'POST') throw new LtiError('LTI_METHOD_NOT_ALLOWED', 'Scores are POSTed only.');
  const { clientId } = await authorizeServiceRequest(context, request, [scopes.score]);
  await ownLineItem(context, contextId, lineItemId, clientId);
  const parsed = scoreSchema.safeParse(await readJsonBody(request, mediaTypes.score));
  if (!parsed.success) throw invalidBody(parsed.error.issues);
  const score = parsed.data;
  if (context.quirks.rejectNonLearnerScores === true) {
    const member = (await context.memberships.listMembers(contextId)).find(
      (candidate) => candidate.userId === score.userId,
    );
    const learner =
      member !== undefined &&
      parseRoles(member.roles).some((role) => role.kind === 'context' && role.name === 'Learner');
    if (!learner) {
      return jsonResponse(
        { errors: { type: 'unprocessable_entity', message: 'User not found in course or is not a student' } },
        { status: 422 },
      );
    }
  }
  const previous = await context.gradebook.getScore(lineItemId, score.userId);
  if (previous !== undefined && Date.parse(score.timestamp) <= Date.parse(previous.timestamp)) {
    if (context.quirks.rejectStaleScores === true) {
      return jsonResponse(
        {
          errors: {
            type: 'bad_request',
            message: `Provided timestamp of ${score.timestamp} not after last updated timestamp of ${previous.timestamp}`,
          },
        },
        { status: 400 },
      );
    }
    // AGS §3.4.3: a score older than the stored one is ignored.
    return new Response(null, { status: 204 });
  }
  const { userId, scoreGiven, scoreMaximum, comment, timestamp, activityProgress, gradingProgress, ...rest } =
    score;
  const extensions = Object.fromEntries(Object.entries(rest).filter(([name]) => name.includes('://')));
  await context.gradebook.saveScore({
    lineItemId,
    userId,
    scoreGiven,
    scoreMaximum,
    comment,
    timestamp,
    activityProgress,
    gradingProgress,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  });
  return new Response(null, { status: 204 });
}

/** `<line item>/results`: GET the results (filter `user_id`, paging). */
export async function handleResults(
  context: PlatformContext,
  request: Request,
  contextId: string,
  lineItemId: string,
): Promise<Response> {
  if (request.method !== 'GET')
    throw new LtiError('LTI_METHOD_NOT_ALLOWED', 'Results are read with GET only.');
  const { clientId } = await authorizeServiceRequest(context, request, [scopes.resultReadOnly]);
  const lineItem = await ownLineItem(context, contextId, lineItemId, clientId);
  const url = new URL(request.url);
  const userId = url.searchParams.get('user_id');
  const scoreOf = lineItemUrl(context, contextId, lineItemId);
  const results = (await context.gradebook.listScores(lineItemId))
    .filter((score) => userId === null || score.userId === userId)
    .map((score) => {
      const resultUrl = new URL(scoreOf);
      resultUrl.pathname += `/results/${encodeURIComponent(score.userId)}`;
      return {
        id: resultUrl.href,
        scoreOf,
        userId: score.userId,
        ...(score.scoreGiven === undefined
          ? {}
          : {
              resultScore: resultScoreOf(score.scoreGiven, score.scoreMaximum, lineItem.scoreMaximum),
              resultMaximum: lineItem.scoreMaximum,
            }),
        ...(score.comment === undefined ? {} : { comment: score.comment }),
        timestamp: score.timestamp,
      };
    });
  const { page, link } = paginate(results, url, context.pageSize);
  return jsonResponse(page, {
    contentType: mediaTypes.resultContainer,
    headers: link === undefined ? {} : { link },
  });
}

/**
 * A score on the line item's scale. Multiplied before dividing, and not scaled at all on the same scale, so that
 * 55 of 100 reads back as 55, not 55.00000000000001.
 */
export function resultScoreOf(
  scoreGiven: number,
  scoreMaximum: number | undefined,
  lineItemMaximum: number,
): number {
  if (scoreMaximum === undefined || scoreMaximum === lineItemMaximum) return scoreGiven;
  return (scoreGiven * lineItemMaximum) / scoreMaximum;
}
