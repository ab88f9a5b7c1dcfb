import { LtiError } from '../../errors.ts';
import { parseLinkHeader } from '../../http/link-header.ts';
import { mediaTypes } from '../media-types.ts';
import { readJson, refusalOf } from '../service-response.ts';
import { withQuery } from '../service-url.ts';
import { type LineItem, lineItemSchema } from './schemas.ts';

const bearer = (token: string) => `Bearer ${token}`;

export interface LineItemFilters {
  readonly resourceLinkId?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly tag?: string | undefined;
  readonly limit?: number | undefined;
}

export function buildListLineItemsRequest(input: {
  url: string;
  accessToken: string;
  filters?: LineItemFilters;
}): Request {
  const filters = input.filters ?? {};
  const url = withQuery(input.url, {
    resource_link_id: filters.resourceLinkId,
    resource_id: filters.resourceId,
    tag: filters.tag,
    limit: filters.limit,
  });
  return new Request(url, {
    headers: { accept: mediaTypes.lineItemContainer, authorization: bearer(input.accessToken) },
  });
}

function parseLineItem(value: unknown, what: string): LineItem & { id: string } {
  const parsed = lineItemSchema.safeParse(value);
  if (!parsed.success || parsed.data.id === undefined) {
    throw new LtiError(
      'LTI_SERVICE_RESPONSE_INVALID',
      `The platform answered ${what} with an invalid line item.`,
    );
  }
  return parsed.data as LineItem & { id: string };
}

export async function processListLineItemsResponse(
  response: Response,
): Promise<{ lineItems: Array<LineItem & { id: string }>; next: string | undefined }> {
  if (!response.ok) throw await refusalOf(response, 'the line item list');
  const body = await readJson(response, mediaTypes.lineItemContainer, 'the line item list');
  if (!Array.isArray(body))
    throw new LtiError('LTI_SERVICE_RESPONSE_INVALID', 'The line item container is not an array.');
  return {
    lineItems: body.map((item) => parseLineItem(item, 'the line item list')),
    next: parseLinkHeader(response.headers.get('link')).get('next'),
  };
}

export function buildGetLineItemRequest(input: { url: string; accessToken: string }): Request {
  return new Request(input.url, {
    headers: { accept: mediaTypes.lineItem, authorization: bearer(input.accessToken) },
  });
}

export function buildCreateLineItemRequest(input: {
  url: string;
  accessToken: string;
  lineItem: LineItem;
}): Request {
  const { id: _id, ...body } = input.lineItem;
  return new Request(input.url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': mediaTypes.lineItem,
      accept: mediaTypes.lineItem,
      authorization: bearer(input.accessToken),
    },
  });
}

export function buildUpdateLineItemRequest(input: {
  url: string;
  accessToken: string;
  lineItem: LineItem;
}): Request {
  return new Request(input.url, {
    method: 'PUT',
    body: JSON.stringify({ ...input.lineItem, id: input.url }),
    headers: {
      'content-type': mediaTypes.lineItem,
      accept: mediaTypes.lineItem,
      authorization: bearer(input.accessToken),
    },
  });
}

/** The answer of a GET, POST or PUT of one line item. */
export async function processLineItemResponse(response: Response): Promise<LineItem & { id: string }> {
  if (!response.ok) throw await refusalOf(response, 'the line item request');
  return parseLineItem(
    await readJson(response, mediaTypes.lineItem, 'the line item request'),
    'the line item request',
  );
}

export function buildDeleteLineItemRequest(input: { url: string; accessToken: string }): Request {
  return new Request(input.url, { method: 'DELETE', headers: { authorization: bearer(input.accessToken) } });
}

export async function processDeleteLineItemResponse(response: Response): Promise<void> {
  if (!response.ok) throw await refusalOf(response, 'the line item deletion');
  await response.body?.cancel();
}
