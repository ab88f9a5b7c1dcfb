import type { Clock, GenerateId } from '@passport/core';
import type {
  AccountLinkStore,
  AppRegistry,
  AttemptCounter,
  AuditEvent,
  AuditLog,
  BadgeStore,
  DistrictRegistry,
  OneTimeStore,
  PasswordStore,
  RosterDirectory,
} from './ports.ts';
import type { CsrfGuard } from './sessions/csrf.ts';
import type { SessionManager } from './sessions/session-manager.ts';

/** Where everything lives, derived once from the public base URL. */
export interface SsoUrls {
  readonly origin: string;
  /** '' or a path prefix such as `/sso`. */
  readonly basePath: string;
  readonly issuer: string;
  readonly signIn: string;
  readonly signOut: string;
  readonly portal: string;
  interaction(uid: string): string;
  readonly samlMetadata: string;
  readonly samlSso: string;
  readonly samlSlo: string;
  upstreamCallback(districtId: string, methodId: string): string;
  /** Passport's entity id as a SAML service provider of a district's upstream IdP. */
  upstreamSamlEntity(districtId: string, methodId: string): string;
}

export function ssoUrls(baseUrl: string): SsoUrls {
  const url = new URL(baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const at = (path: string) => `${url.origin}${basePath}${path}`;
  return {
    origin: url.origin,
    basePath,
    issuer: at('/oidc'),
    signIn: at('/signin'),
    signOut: at('/signout'),
    portal: at('/portal'),
    interaction: (uid) => at(`/interaction/${encodeURIComponent(uid)}`),
    samlMetadata: at('/saml/metadata'),
    samlSso: at('/saml/sso'),
    samlSlo: at('/saml/slo'),
    upstreamCallback: (districtId, methodId) =>
      at(`/signin/upstream/${encodeURIComponent(districtId)}/${encodeURIComponent(methodId)}/callback`),
    upstreamSamlEntity: (districtId, methodId) =>
      at(`/signin/upstream/${encodeURIComponent(districtId)}/${encodeURIComponent(methodId)}`),
  };
}

export type AuditInput = Omit<AuditEvent, 'eventId' | 'at'>;

/** Everything the flows share: ports, time, ids, sessions and the audit trail. */
export interface SsoContext {
  readonly urls: SsoUrls;
  readonly clock: Clock;
  readonly generateId: GenerateId;
  readonly apps: AppRegistry;
  readonly roster: RosterDirectory;
  readonly districts: DistrictRegistry;
  readonly passwords: PasswordStore;
  readonly oneTime: OneTimeStore;
  readonly attempts: AttemptCounter;
  readonly links: AccountLinkStore;
  readonly badges: BadgeStore;
  readonly auditLog: AuditLog;
  readonly sessions: SessionManager;
  readonly csrf: CsrfGuard;
  readonly secureCookies: boolean;
  readonly trustForwardedFor: boolean;
  readonly fetch: typeof fetch;
  audit(event: AuditInput): Promise<void>;
  /** Our own failures (never the other side's refusals), for the host's logs. */
  reportError(error: unknown, where: string): void;
}
