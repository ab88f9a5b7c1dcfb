import { type Clock, systemClock } from '@passport/core';
import { z } from 'zod';
import { CourseraError } from '../errors/coursera-error.ts';
import {
  defaultRetryPolicy,
  type RetryEvent,
  type RetryPolicy,
  type Sleep,
} from '../http/send-with-retry.ts';
import type { TokenStore } from '../ports.ts';
import { type ApiContext, MAX_PAGE_SIZE } from './api/api-request.ts';
import type { CollectionPage } from './api/collection.ts';
import { buildListContentsRequest, processListContentsResponse } from './api/contents.ts';
import { crawl } from './api/crawl.ts';
import {
  buildListEnrollmentReportsRequest,
  type EnrollmentReportQuery,
  processListEnrollmentReportsResponse,
} from './api/enrollment-reports.ts';
import {
  buildCreateInvitationRequest,
  type InvitationInput,
  type InvitationResult,
  processCreateInvitationResponse,
} from './api/invitations.ts';
import {
  buildDeleteMembershipRequest,
  buildListMembershipsRequest,
  membershipId,
  processDeleteMembershipResponse,
  processListMembershipsResponse,
} from './api/memberships.ts';
import { buildListProgramsRequest, processListProgramsResponse } from './api/programs.ts';
import type {
  CourseraContent,
  CourseraEnrollmentReport,
  CourseraMembership,
  CourseraProgram,
} from './api/schemas.ts';
import {
  buildHandOffUrl,
  buildListContentItemsRequest,
  buildListItemGradesRequest,
  type CourseraContentItem,
  type CourseraItemGrade,
  type CourseraWebhookEvent,
  type HandOffParameters,
  type ItemGradeQuery,
  processListContentItemsResponse,
  processListItemGradesResponse,
  type VerifiedHandOffReturn,
  verifyHandOffReturn,
  verifyWebhook,
} from './not-public/index.ts';
import { buildAuthorizationUrl, readAuthorizationCallback } from './oauth/authorization.ts';
import { type ConsentStatus, createTokenManager } from './oauth/token-manager.ts';
import { createExchange } from './transport.ts';

export interface CourseraClientOptions {
  organizationId: string;
  clientId: string;
  clientSecret: string;
  /** Where Coursera sends the admin back after consent (Passport's callback). */
  redirectUri: string;
  /** Default `https://api.coursera.org`. */
  apiUrl?: string;
  /** Default `https://accounts.coursera.org`. */
  accountsUrl?: string;
  /** Where refresh tokens are kept. */
  tokens: TokenStore;
  /** Default `coursera:{organizationId}`. */
  tokenKey?: string;
  /** Default 1000 (the most Coursera allows). */
  pageSize?: number;
  /** Default 300 s before the access token expires. */
  refreshAheadSeconds?: number;
  retry?: Partial<RetryPolicy>;
  /** Modelled (not public): the signed SSO hand-off. */
  handOff?: { siteUrl: string; secret: string; maxAgeSeconds?: number };
  /** Modelled (not public): the secret pushed events (webhooks) are signed with. */
  webhook?: { secret: string; toleranceSeconds?: number };
  fetch?: typeof fetch;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (event: RetryEvent & { what: string }) => void;
}

/** Iterate elements with `for await`, or pages with `.pages()`. Paging, restarts and retries stay inside. */
export interface PagedCollection<Element> extends AsyncIterable<Element> {
  pages(): AsyncIterable<Element[]>;
  /** Every element, in memory. */
  all(): Promise<Element[]>;
}

export interface CourseraClient {
  readonly organizationId: string;
  /** The URL to send a Coursera admin to for the one-time consent. */
  authorizationUrl(state: string): URL;
  /** Reads the consent callback, exchanges the code and stores the tokens. */
  completeAuthorization(callbackUrl: URL | string, expectedState: string): Promise<ConsentStatus>;
  consentStatus(): Promise<ConsentStatus>;
  disconnect(): Promise<void>;

  listPrograms(): PagedCollection<CourseraProgram>;
  listContents(programIds: readonly string[]): PagedCollection<CourseraContent>;
  inviteLearner(programId: string, invitation: InvitationInput): Promise<InvitationResult>;
  listMemberships(programId: string): PagedCollection<CourseraMembership>;
  removeMembership(programId: string, externalId: string): Promise<{ removed: boolean }>;
  listEnrollmentReports(query: EnrollmentReportQuery): PagedCollection<CourseraEnrollmentReport>;

  /** NOT PUBLIC — modelled: the gradable items of a course. */
  listContentItems(contentId: string): PagedCollection<CourseraContentItem>;
  /** NOT PUBLIC — modelled: item grades changed after a time. */
  listItemGrades(query: ItemGradeQuery): PagedCollection<CourseraItemGrade>;
  /** NOT PUBLIC — modelled: the signed SSO hand-off URL. */
  handOffUrl(parameters: HandOffParameters): URL;
  /** NOT PUBLIC — modelled: verifies the signed return. */
  verifyHandOffReturn(url: URL | string, expected: { state: string }): VerifiedHandOffReturn;
  /** NOT PUBLIC — modelled: verifies and reads a pushed event (webhook). */
  verifyWebhook(request: Request): Promise<CourseraWebhookEvent>;
  /** True when the `webhook` option is set. */
  readonly acceptsWebhooks: boolean;
}

const httpUrl = z.url({ protocol: /^https?$/ });

const optionsSchema = z.object({
  organizationId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUri: httpUrl,
  apiUrl: httpUrl.optional(),
  accountsUrl: httpUrl.optional(),
  tokenKey: z.string().min(1).optional(),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE, `pageSize must be at most ${MAX_PAGE_SIZE}`)
    .optional(),
  refreshAheadSeconds: z.number().int().min(0).max(1799).optional(),
  retry: z
    .object({
      attempts: z.number().int().min(1).max(10).optional(),
      baseDelayMs: z.number().min(0).optional(),
      maxDelayMs: z.number().min(0).optional(),
      maxRetryAfterMs: z.number().min(0).optional(),
      timeoutMs: z.number().positive().optional(),
      retryStatuses: z.array(z.number().int()).optional(),
    })
    .optional(),
  handOff: z
    .object({ siteUrl: httpUrl, secret: z.string().min(16), maxAgeSeconds: z.number().positive().optional() })
    .optional(),
  webhook: z
    .object({ secret: z.string().min(16), toleranceSeconds: z.number().positive().optional() })
    .optional(),
});

export function createCourseraClient(options: CourseraClientOptions): CourseraClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new CourseraError('COURSERA_INVALID_OPTIONS', `Invalid Coursera client options: ${problems}`, {
      detail: parsed.error.issues,
    });
  }
  const organizationId = options.organizationId;
  const apiUrl = options.apiUrl ?? 'https://api.coursera.org';
  const accountsUrl = options.accountsUrl ?? 'https://accounts.coursera.org';
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const clock = options.clock ?? systemClock;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const exchange = createExchange({
    fetch: options.fetch ?? globalThis.fetch,
    policy,
    clock,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  });
  const tokens = createTokenManager({
    credentials: { accountsUrl, clientId: options.clientId, clientSecret: options.clientSecret },
    redirectUri: options.redirectUri,
    tokens: options.tokens,
    tokenKey: options.tokenKey ?? `coursera:${organizationId}`,
    clock,
    exchange,
    refreshAheadMs: (options.refreshAheadSeconds ?? 300) * 1000,
  });

  /** One API call: a fresh token, and one forced refresh if the API refuses it with 401. */
  const call = async <Result>(
    what: string,
    build: (context: ApiContext) => Request,
    process: (response: Response, now: Date) => Promise<Result>,
  ): Promise<Result> => {
    const send = async (accessToken: string) => {
      let unauthorized = false;
      const result = await exchange(
        what,
        () => build({ apiUrl, organizationId, accessToken }),
        (response, now) => {
          if (response.status === 401) {
            unauthorized = true;
            return Promise.resolve(undefined);
          }
          return process(response, now);
        },
      );
      return { unauthorized, result };
    };
    const first = await tokens.accessToken();
    const attempt = await send(first);
    if (!attempt.unauthorized) return attempt.result as Result;
    const second = await send(await tokens.accessToken({ rejected: first }));
    if (!second.unauthorized) return second.result as Result;
    throw new CourseraError('COURSERA_UNAUTHORIZED', `Coursera refused a fresh access token for ${what}`, {
      description:
        'Coursera refused Passport even after renewing the access token. Check the connection settings.',
    });
  };

  const collection = <Element>(
    what: string,
    keyOf: (element: Element) => string,
    fetchPage: (context: ApiContext, start: string | undefined) => Request,
    process: (response: Response, now: Date) => Promise<CollectionPage<Element>>,
  ): PagedCollection<Element> => {
    const pages = () =>
      crawl((start) => call(what, (context) => fetchPage(context, start), process), { keyOf, what });
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page;
      },
      async all() {
        const elements: Element[] = [];
        for await (const page of pages()) elements.push(...page);
        return elements;
      },
    };
  };

  const requireHandOff = () => {
    if (options.handOff === undefined) {
      throw new CourseraError(
        'COURSERA_INVALID_OPTIONS',
        'The SSO hand-off needs the handOff option (siteUrl, secret)',
      );
    }
    return { ...options.handOff, organizationId };
  };

  return {
    organizationId,
    authorizationUrl: (state) =>
      buildAuthorizationUrl(
        { accountsUrl, clientId: options.clientId, redirectUri: options.redirectUri },
        state,
      ),
    completeAuthorization: async (callbackUrl, expectedState) =>
      tokens.completeAuthorization(readAuthorizationCallback(callbackUrl, expectedState)),
    consentStatus: () => tokens.status(),
    disconnect: () => tokens.forget(),

    listPrograms: () =>
      collection(
        'the program list',
        (program) => program.id,
        (context, start) => buildListProgramsRequest(context, { start, limit: pageSize }),
        processListProgramsResponse,
      ),
    listContents: (programIds) =>
      collection(
        'the content list',
        (content) => content.contentId,
        (context, start) => buildListContentsRequest(context, programIds, { start, limit: pageSize }),
        processListContentsResponse,
      ),
    inviteLearner: (programId, invitation) =>
      call(
        'an invitation',
        (context) => buildCreateInvitationRequest(context, programId, invitation),
        processCreateInvitationResponse,
      ),
    listMemberships: (programId) =>
      collection(
        'the membership list',
        (membership) => membershipId(membership.programId, membership.externalId),
        (context, start) => buildListMembershipsRequest(context, programId, { start, limit: pageSize }),
        processListMembershipsResponse,
      ),
    removeMembership: (programId, externalId) =>
      call(
        'a membership removal',
        (context) => buildDeleteMembershipRequest(context, programId, externalId),
        processDeleteMembershipResponse,
      ),
    listEnrollmentReports: (query) =>
      collection(
        'the enrollment reports',
        (report) => `${report.externalId}\u0000${report.contentId}`,
        (context, start) => buildListEnrollmentReportsRequest(context, query, { start, limit: pageSize }),
        processListEnrollmentReportsResponse,
      ),
    listContentItems: (contentId) =>
      collection(
        'the content items',
        (item) => item.id,
        (context, start) => buildListContentItemsRequest(context, contentId, { start, limit: pageSize }),
        processListContentItemsResponse,
      ),
    listItemGrades: (query) =>
      collection(
        'the item grades',
        (grade) => `${grade.externalId}\u0000${grade.itemId}`,
        (context, start) => buildListItemGradesRequest(context, query, { start, limit: pageSize }),
        processListItemGradesResponse,
      ),
    handOffUrl: (parameters) => buildHandOffUrl(requireHandOff(), parameters, clock.now()),
    verifyHandOffReturn: (url, expected) => verifyHandOffReturn(requireHandOff(), url, expected, clock.now()),
    acceptsWebhooks: options.webhook !== undefined,
    async verifyWebhook(request) {
      if (options.webhook === undefined) {
        throw new CourseraError('COURSERA_INVALID_OPTIONS', 'Pushed events need the webhook option (secret)');
      }
      return verifyWebhook(request, { ...options.webhook, organizationId }, clock.now());
    },
  };
}
