import type { Clock, GenerateId } from '@passport/core';
import type { LtiErrorHook, LtiPlatformEndpoint } from '../http/report-error.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { RemoteKeySets } from '../keys/remote-key-sets.ts';
import type { Gradebook, MembershipSource, PendingLaunchStore, ReplayGuard, ToolRegistry } from '../ports.ts';

/** Quirks of real LMSs the platform can reproduce, so tools are tested against them. */
export interface PlatformQuirks {
  /** Appended to every line item URL (Moodle `?type_id=N`, Canvas-style queries): `/scores` must go before it. */
  readonly lineItemQuery?: Readonly<Record<string, string>> | undefined;
  /** Canvas: a score older than the stored one is refused with 400. */
  readonly rejectStaleScores?: boolean | undefined;
  /** Canvas: scores for users who are not learners of the context are refused with 422. */
  readonly rejectNonLearnerScores?: boolean | undefined;
  /** Moodle: the names and roles service answers short role names (`Learner`). */
  readonly shortRoleNames?: boolean | undefined;
}

export interface PlatformPaths {
  readonly authorize: string;
  readonly token: string;
  readonly jwks: string;
  readonly deepLinkingReturn: string;
  /** Prefix of the AGS and NRPS endpoints: `<services>/<contextId>/lineitems`, `<services>/<contextId>/memberships`. */
  readonly services: string;
  readonly register: string;
  readonly openidConfiguration: string;
}

/** What every platform endpoint needs. */
export interface PlatformContext {
  readonly issuer: string;
  readonly baseUrl: string;
  readonly paths: PlatformPaths;
  readonly tools: ToolRegistry;
  readonly pendingLaunches: PendingLaunchStore;
  readonly replayGuard: ReplayGuard;
  readonly gradebook: Gradebook;
  readonly memberships: MembershipSource;
  readonly keyRing: KeyRing;
  readonly keySets: RemoteKeySets;
  readonly clock: Clock;
  readonly generateId: GenerateId;
  readonly quirks: PlatformQuirks;
  readonly idTokenTtlSeconds: number;
  readonly launchTtlSeconds: number;
  readonly accessTokenTtlSeconds: number;
  readonly pageSize: number;
  /** The host's hook, told of every refusal before it is answered. */
  readonly onError?: LtiErrorHook<LtiPlatformEndpoint> | undefined;
  /** A throttle counter for tests of rate limiting: the next `count` service calls are refused. */
  throttle: { count: number; style: 'canvas' | 'standard' };
}

export function platformUrl(context: PlatformContext, path: string): string {
  return new URL(path, context.baseUrl).href;
}

export function lineItemsUrl(context: PlatformContext, contextId: string): string {
  return platformUrl(context, `${context.paths.services}/${encodeURIComponent(contextId)}/lineitems`);
}

export function withQuirkQuery(context: PlatformContext, url: string): string {
  const query = context.quirks.lineItemQuery;
  if (query === undefined) return url;
  const withQuery = new URL(url);
  for (const [name, value] of Object.entries(query)) withQuery.searchParams.set(name, value);
  return withQuery.href;
}

export function lineItemUrl(context: PlatformContext, contextId: string, lineItemId: string): string {
  return withQuirkQuery(context, `${lineItemsUrl(context, contextId)}/${encodeURIComponent(lineItemId)}`);
}

export function membershipsUrl(context: PlatformContext, contextId: string): string {
  return platformUrl(context, `${context.paths.services}/${encodeURIComponent(contextId)}/memberships`);
}
