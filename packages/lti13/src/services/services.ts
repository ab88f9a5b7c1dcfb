import { type Clock, type GenerateId, randomId, systemClock } from '@passport/core';
import type { AgsEndpointClaim, NrpsClaim } from '../claims/schemas.ts';
import { scopes } from '../claims/uris.ts';
import { LtiError } from '../errors.ts';
import { defaultFetch, type FetchLike, send } from '../http/fetch.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { AccessTokenStore, PlatformRegistration } from '../ports.ts';
import type { LtiLaunch } from '../tool/launch/launch.ts';
import {
  buildCreateLineItemRequest,
  buildDeleteLineItemRequest,
  buildGetLineItemRequest,
  buildListLineItemsRequest,
  buildUpdateLineItemRequest,
  type LineItemFilters,
  processDeleteLineItemResponse,
  processLineItemResponse,
  processListLineItemsResponse,
} from './ags/line-items.ts';
import { buildResultsRequest, processResultsResponse } from './ags/results.ts';
import type { LineItem, Result, Score } from './ags/schemas.ts';
import { buildScoreRequest, processScoreResponse } from './ags/scores.ts';
import {
  buildMembershipsRequest,
  type MembershipFilters,
  type MemberWithRoles,
  processMembershipsResponse,
} from './nrps/memberships.ts';
import { AccessTokenProvider } from './token/access-token-provider.ts';

const agsScopeSet: readonly string[] = [
  scopes.lineItem,
  scopes.lineItemReadOnly,
  scopes.resultReadOnly,
  scopes.score,
];

interface Call {
  readonly registration: PlatformRegistration;
  readonly scopes: readonly string[];
}

async function withToken<T>(
  tokens: AccessTokenProvider,
  fetch: FetchLike,
  call: Call,
  build: (token: string) => Request,
  process: (response: Response) => Promise<T>,
): Promise<T> {
  let token = await tokens.token(call.registration, call.scopes);
  let response = await send(fetch, build(token));
  if (response.status === 401) {
    // The platform forgot or revoked the token: get a new one, once.
    await response.body?.cancel();
    await tokens.invalidate(call.registration, call.scopes);
    token = await tokens.token(call.registration, call.scopes);
    response = await send(fetch, build(token));
  }
  return process(response);
}

/** Assignment and Grade Services for one platform registration and AGS endpoint claim. */
export class AgsClient {
  readonly #tokens: AccessTokenProvider;
  readonly #fetch: FetchLike;
  readonly #registration: PlatformRegistration;
  readonly #endpoint: AgsEndpointClaim;
  readonly #scopes: readonly string[];

  constructor(options: {
    tokens: AccessTokenProvider;
    fetch: FetchLike;
    registration: PlatformRegistration;
    endpoint: AgsEndpointClaim;
  }) {
    this.#tokens = options.tokens;
    this.#fetch = options.fetch;
    this.#registration = options.registration;
    this.#endpoint = options.endpoint;
    this.#scopes = options.endpoint.scope.filter((scope) => agsScopeSet.includes(scope));
  }

  #require(anyOf: readonly string[], what: string) {
    if (!anyOf.some((scope) => this.#scopes.includes(scope))) {
      throw new LtiError(
        'LTI_SERVICE_UNAVAILABLE',
        `The platform did not grant ${what} (needs ${anyOf.join(' or ')}).`,
      );
    }
  }

  #call(): Call {
    return { registration: this.#registration, scopes: this.#scopes };
  }

  #lineItemsUrl(): string {
    const url = this.#endpoint.lineitems;
    if (typeof url !== 'string')
      throw new LtiError('LTI_SERVICE_UNAVAILABLE', 'The launch offers no line items URL.');
    return url;
  }

  #lineItemUrl(url: string | undefined): string {
    const resolved = url ?? this.#endpoint.lineitem ?? undefined;
    if (typeof resolved !== 'string')
      throw new LtiError('LTI_SERVICE_UNAVAILABLE', 'No line item URL was given and the launch offers none.');
    return resolved;
  }

  /** Every line item (following `Link: rel="next"`), filtered by resource link, resource id or tag. */
  async listLineItems(filters: LineItemFilters = {}): Promise<Array<LineItem & { id: string }>> {
    this.#require([scopes.lineItem, scopes.lineItemReadOnly], 'reading line items');
    const all: Array<LineItem & { id: string }> = [];
    let url: string | undefined = this.#lineItemsUrl();
    let first = true;
    while (url !== undefined) {
      const pageUrl: string = url;
      const page = await withToken(
        this.#tokens,
        this.#fetch,
        this.#call(),
        (accessToken) =>
          buildListLineItemsRequest({ url: pageUrl, accessToken, ...(first ? { filters } : {}) }),
        processListLineItemsResponse,
      );
      all.push(...page.lineItems);
      url = page.next;
      first = false;
    }
    return all;
  }

  async getLineItem(url?: string): Promise<LineItem & { id: string }> {
    this.#require([scopes.lineItem, scopes.lineItemReadOnly], 'reading line items');
    const lineItemUrl = this.#lineItemUrl(url);
    return withToken(
      this.#tokens,
      this.#fetch,
      this.#call(),
      (accessToken) => buildGetLineItemRequest({ url: lineItemUrl, accessToken }),
      processLineItemResponse,
    );
  }

  async createLineItem(lineItem: LineItem): Promise<LineItem & { id: string }> {
    this.#require([scopes.lineItem], 'managing line items');
    const url = this.#lineItemsUrl();
    return withToken(
      this.#tokens,
      this.#fetch,
      this.#call(),
      (accessToken) => buildCreateLineItemRequest({ url, accessToken, lineItem }),
      processLineItemResponse,
    );
  }

  async updateLineItem(url: string, lineItem: LineItem): Promise<LineItem & { id: string }> {
    this.#require([scopes.lineItem], 'managing line items');
    return withToken(
      this.#tokens,
      this.#fetch,
      this.#call(),
      (accessToken) => buildUpdateLineItemRequest({ url, accessToken, lineItem }),
      processLineItemResponse,
    );
  }

  async deleteLineItem(url: string): Promise<void> {
    this.#require([scopes.lineItem], 'managing line items');
    return withToken(
      this.#tokens,
      this.#fetch,
      this.#call(),
      (accessToken) => buildDeleteLineItemRequest({ url, accessToken }),
      processDeleteLineItemResponse,
    );
  }

  /** Posts a score to a line item (default: the launch's `lineitem`). */
  async submitScore(score: Score, lineItemUrl?: string): Promise<void> {
    this.#require([scopes.score], 'posting scores');
    const url = this.#lineItemUrl(lineItemUrl);
    return withToken(
      this.#tokens,
      this.#fetch,
      this.#call(),
      (accessToken) => buildScoreRequest({ lineItemUrl: url, accessToken, score }),
      processScoreResponse,
    );
  }

  /** Every result of a line item (following `Link: rel="next"`). */
  async listResults(options: { lineItemUrl?: string; userId?: string } = {}): Promise<Result[]> {
    this.#require([scopes.resultReadOnly], 'reading results');
    const all: Result[] = [];
    let url: string | undefined;
    let next: string | undefined = this.#lineItemUrl(options.lineItemUrl);
    while (next !== undefined) {
      const current: string = next;
      const build =
        url === undefined
          ? (accessToken: string) =>
              buildResultsRequest({
                lineItemUrl: current,
                accessToken,
                ...(options.userId === undefined ? {} : { userId: options.userId }),
              })
          : (accessToken: string) =>
              new Request(current, {
                headers: {
                  accept: 'application/vnd.ims.lis.v2.resultcontainer+json',
                  authorization: `Bearer ${accessToken}`,
                },
              });
      const page = await withToken(this.#tokens, this.#fetch, this.#call(), build, processResultsResponse);
      all.push(...page.results);
      url = current;
      next = page.next;
    }
    return all;
  }
}

/** Names and Role Provisioning Services for one platform registration and NRPS claim. */
export class NrpsClient {
  readonly #tokens: AccessTokenProvider;
  readonly #fetch: FetchLike;
  readonly #registration: PlatformRegistration;
  readonly #claim: NrpsClaim;

  constructor(options: {
    tokens: AccessTokenProvider;
    fetch: FetchLike;
    registration: PlatformRegistration;
    claim: NrpsClaim;
  }) {
    this.#tokens = options.tokens;
    this.#fetch = options.fetch;
    this.#registration = options.registration;
    this.#claim = options.claim;
  }

  /**
   * Every member (following `Link: rel="next"`), optionally filtered by role or resource link. Returns the
   * `differences` URL of the answer too: pass it to `changesSince` later to get only what changed.
   */
  async members(
    filters: MembershipFilters = {},
  ): Promise<{ members: MemberWithRoles[]; differences: string | undefined }> {
    return this.#collect(this.#claim.context_memberships_url, filters);
  }

  /** The members changed since a previous answer (its `differences` URL). */
  async changesSince(
    differencesUrl: string,
  ): Promise<{ members: MemberWithRoles[]; differences: string | undefined }> {
    return this.#collect(differencesUrl, {});
  }

  async #collect(start: string, filters: MembershipFilters) {
    const call = { registration: this.#registration, scopes: [scopes.membershipReadOnly] };
    const members: MemberWithRoles[] = [];
    let differences: string | undefined;
    let url: string | undefined = start;
    let first = true;
    while (url !== undefined) {
      const current: string = url;
      const page = await withToken(
        this.#tokens,
        this.#fetch,
        call,
        (accessToken) =>
          buildMembershipsRequest({ url: current, accessToken, ...(first ? { filters } : {}) }),
        processMembershipsResponse,
      );
      members.push(...page.members);
      differences = page.differences ?? differences;
      url = page.next;
      first = false;
    }
    return { members, differences };
  }
}

export interface LtiServices {
  readonly tokens: AccessTokenProvider;
  /** AGS for a launch, or for a registration and AGS claim kept from an earlier launch. */
  ags(source: LtiLaunch | { registration: PlatformRegistration; endpoint: AgsEndpointClaim }): AgsClient;
  /** NRPS for a launch, or for a registration and NRPS claim kept from an earlier launch. */
  nrps(source: LtiLaunch | { registration: PlatformRegistration; claim: NrpsClaim }): NrpsClient;
}

/** The tool's LTI Advantage service clients: one token provider (cache per platform and scope set) shared by all. */
export function createLtiServices(options: {
  keyRing: KeyRing;
  accessTokens: AccessTokenStore;
  clock?: Clock;
  generateId?: GenerateId;
  fetch?: FetchLike;
}): LtiServices {
  const fetch = options.fetch ?? defaultFetch;
  const tokens = new AccessTokenProvider({
    keyRing: options.keyRing,
    store: options.accessTokens,
    clock: options.clock ?? systemClock,
    generateId: options.generateId ?? randomId,
    fetch,
  });
  return {
    tokens,
    ags(source) {
      const registration = source.registration;
      const endpoint = 'messageType' in source ? source.ags : source.endpoint;
      if (endpoint === undefined)
        throw new LtiError(
          'LTI_SERVICE_UNAVAILABLE',
          'The launch carries no Assignment and Grade Services claim.',
        );
      return new AgsClient({ tokens, fetch, registration, endpoint });
    },
    nrps(source) {
      const registration = source.registration;
      const claim = 'messageType' in source ? source.nrps : source.claim;
      if (claim === undefined)
        throw new LtiError(
          'LTI_SERVICE_UNAVAILABLE',
          'The launch carries no Names and Role Provisioning Services claim.',
        );
      return new NrpsClient({ tokens, fetch, registration, claim });
    },
  };
}
