import { systemClock } from '@passport/core';
import { type NodeServer, serveNode } from '@passport/coursera-connector/simulator';
import {
  allScopes,
  createLtiPlatform,
  createLtiServices,
  type FetchLike,
  KeyRing,
  type LtiPlatform,
  type LtiPlatformOptions,
  MemoryAccessTokenStore,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryReplayGuard,
  MemoryToolRegistry,
  type PlatformRegistration,
  type ScoreRecord,
  scopes,
} from '@passport/lti13';
import { fetch as undiciFetch } from 'undici';
import { createLtiGradebook, type LtiCourseServices } from '../../src/adapters/lti13/lti-gradebook.ts';
import type { Gradebook, Roster } from '../../src/ports.ts';

export const learnerRole = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
export const instructorRole = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/** An answer the platform gives instead of its own to the next `times` matching requests. */
export interface Fault {
  /** `scores`, `lineitems`, `token`, `memberships`, or any request. */
  readonly on: 'scores' | 'lineitems' | 'token' | 'memberships' | 'any';
  times: number;
  readonly respond: () => Response;
}

/** A gradebook that remembers every score the platform stored: a visible change. */
class CountingGradebook extends MemoryGradebook {
  readonly saved: ScoreRecord[] = [];
  override async saveScore(score: ScoreRecord) {
    this.saved.push(score);
    await super.saveScore(score);
  }
}

export interface LtiPlatformHarness {
  readonly platform: LtiPlatform;
  readonly origin: string;
  readonly gradebook: CountingGradebook;
  readonly memberships: MemoryMembershipSource;
  readonly registration: PlatformRegistration;
  /** The engine's Gradebook and Roster over the tool's AGS and NRPS clients. */
  readonly adapter: Gradebook & Roster;
  /** Service requests the platform answered, as `METHOD kind status` (`POST scores 204`). */
  readonly requests: string[];
  readonly faults: Fault[];
  /** Scores handled (stored or ignored) whose answer is being delayed (`scoreAnswerDelayMs`). */
  readonly answersPending: { count: number };
  /** Network errors of the tool's fetch (the request never reaches the platform). */
  readonly networkFaults: Array<{ on: Fault['on']; times: number }>;
  readonly toolKeys: MemoryKeyStore;
  readonly clientId: string;
  courseServices(contextId: string): LtiCourseServices;
  /** The platform's line items of a course, as the LMS stores them. */
  lineItems(contextId: string): Promise<Awaited<ReturnType<MemoryGradebook['listLineItems']>>>;
  /** The score each user holds on a line item (by its URL). */
  scores(lineItemUrl: string): Promise<Map<string, ScoreRecord>>;
  /** Deletes a line item as an instructor would. */
  deleteLineItem(contextId: string, lineItemUrl: string): Promise<void>;
  close(): Promise<void>;
}

const kindOf = (path: string): Fault['on'] | 'other' =>
  path.endsWith('/scores')
    ? 'scores'
    : path.includes('/lineitems')
      ? 'lineitems'
      : path.endsWith('/token')
        ? 'token'
        : path.endsWith('/memberships')
          ? 'memberships'
          : 'other';

/** The AGS and NRPS claims a launch from `contextId` of the platform at `origin` carries. */
export function courseServicesAt(
  origin: string,
  registration: PlatformRegistration,
  contextId: string,
): LtiCourseServices {
  return {
    registration,
    ags: {
      scope: [scopes.lineItem, scopes.lineItemReadOnly, scopes.resultReadOnly, scopes.score],
      lineitems: `${origin}/lti/contexts/${encodeURIComponent(contextId)}/lineitems`,
    },
    nrps: {
      context_memberships_url: `${origin}/lti/contexts/${encodeURIComponent(contextId)}/memberships`,
      service_versions: ['2.0'],
    },
  };
}

const idOf = (lineItemUrl: string) => decodeURIComponent(new URL(lineItemUrl).pathname.split('/').at(-1)!);

/**
 * The @passport/lti13 platform on 127.0.0.1:0 with the tool registered (its keys given at registration), and the
 * engine's LTI adapter over the tool's real AGS and NRPS clients. `faults` make the platform refuse, throttle, fail
 * or drop requests; `latencyMs` delays every service answer.
 */
export async function startLtiPlatform(
  options: {
    quirks?: LtiPlatformOptions['quirks'];
    /** Delay before the platform handles a service request. */
    latencyMs?: number;
    /** Delay after the platform handled a score (stored it) and before it answers: a crash here loses the answer. */
    scoreAnswerDelayMs?: number;
    /** The platform's own rate limit on score posts: beyond it, 429 with `Retry-After: 1`. */
    scoreRateLimit?: { perSecond: number; burst: number };
    clientId?: string;
  } = {},
): Promise<LtiPlatformHarness> {
  const gradebook = new CountingGradebook();
  const memberships = new MemoryMembershipSource();
  const requests: string[] = [];
  const faults: Fault[] = [];
  const networkFaults: Array<{ on: Fault['on']; times: number }> = [];
  const answersPending = { count: 0 };
  const limiter = { theoreticalArrival: 0 };
  let counter = 0;
  let handler: (request: Request) => Promise<Response> = async () =>
    new Response('starting', { status: 503 });
  const takeFault = (path: string) => {
    const kind = kindOf(path);
    const fault = faults.find(
      (candidate) => candidate.times > 0 && (candidate.on === 'any' || candidate.on === kind),
    );
    if (fault === undefined) return undefined;
    fault.times--;
    return fault.respond();
  };
  const server: NodeServer = await serveNode(async (request) => {
    const path = new URL(request.url).pathname;
    if (options.latencyMs !== undefined && path.startsWith('/lti/contexts'))
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (options.scoreRateLimit !== undefined && kindOf(path) === 'scores') {
      // The generic cell rate algorithm, as an LMS's throttle: `burst` early requests tolerated, then N per second.
      const interval = 1000 / options.scoreRateLimit.perSecond;
      const now = performance.now();
      const arrival = Math.max(limiter.theoreticalArrival, now);
      if (arrival - now > interval * (options.scoreRateLimit.burst - 1)) {
        requests.push(`${request.method} scores 429`);
        return new Response(JSON.stringify({ error: 'rate_limited' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
        });
      }
      limiter.theoreticalArrival = arrival + interval;
    }
    const fault = takeFault(path);
    if (fault !== undefined) {
      requests.push(`${request.method} ${kindOf(path)} ${fault.status}`);
      return fault;
    }
    const response = await handler(request);
    requests.push(`${request.method} ${kindOf(path)} ${response.status}`);
    if (options.scoreAnswerDelayMs !== undefined && kindOf(path) === 'scores') {
      answersPending.count++;
      await new Promise((resolve) => setTimeout(resolve, options.scoreAnswerDelayMs));
      answersPending.count--;
    }
    return response;
  });
  const platform = createLtiPlatform({
    issuer: server.url,
    tools: new MemoryToolRegistry(),
    keys: new MemoryKeyStore(),
    pendingLaunches: new MemoryPendingLaunchStore(),
    replayGuard: new MemoryReplayGuard(),
    gradebook,
    memberships,
    generateId: () => `li${++counter}`,
    ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
  });
  handler = platform.handle;

  const clientId = options.clientId ?? 'gradesync-tool';
  const toolKeys = new MemoryKeyStore();
  const keyRing = new KeyRing({ store: toolKeys, clock: systemClock });
  await platform.registerTool({
    clientId,
    name: 'Passport grade sync',
    loginUrl: 'http://127.0.0.1:9/lti/login',
    redirectUris: ['http://127.0.0.1:9/lti/launch'],
    targetLinkUri: 'http://127.0.0.1:9/app',
    jwks: await keyRing.jwks(),
    scopes: [...allScopes],
    deploymentIds: ['1'],
    status: 'active',
  });
  const registration: PlatformRegistration = {
    issuer: platform.urls.issuer,
    clientId,
    authorizationEndpoint: platform.urls.authorize,
    tokenEndpoint: platform.urls.token,
    jwksUri: platform.urls.jwks,
    status: 'active',
  };
  // Client-side faults: a network error is the tool's fetch failing, before any byte reaches the platform.
  const fetch: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const kind = kindOf(new URL(url).pathname);
    const fault = networkFaults.find(
      (candidate) => candidate.times > 0 && (candidate.on === 'any' || candidate.on === kind),
    );
    if (fault !== undefined) {
      fault.times--;
      requests.push(`${init?.method ?? 'GET'} ${kindOf(new URL(url).pathname)} network-error`);
      throw new TypeError('fetch failed');
    }
    return (await undiciFetch(input as never, init as never)) as unknown as Response;
  };
  const services = createLtiServices({ keyRing, accessTokens: new MemoryAccessTokenStore(), fetch });
  const courseServices = (contextId: string) => courseServicesAt(server.url, registration, contextId);
  const adapter = createLtiGradebook({
    services,
    resolve: async (target) => courseServices(target.contextId),
  });
  return {
    platform,
    origin: server.url,
    gradebook,
    memberships,
    registration,
    adapter,
    requests,
    faults,
    networkFaults,
    answersPending,
    toolKeys,
    clientId,
    courseServices,
    lineItems: (contextId) => gradebook.listLineItems(contextId),
    async scores(lineItemUrl) {
      return new Map((await gradebook.listScores(idOf(lineItemUrl))).map((score) => [score.userId, score]));
    },
    async deleteLineItem(contextId, lineItemUrl) {
      await gradebook.removeLineItem(contextId, idOf(lineItemUrl));
    },
    close: () => server.close(),
  };
}
