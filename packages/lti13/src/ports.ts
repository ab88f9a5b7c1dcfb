import type { JWK } from 'jose';

/*
 * The storage this package needs, as small async interfaces named by role. Each has an in-memory adapter
 * (`adapters/memory`) and a PostgreSQL adapter over `SqlClient` (`adapters/postgres`); `testing/` holds the contract
 * suites both pass, so partners can test their own adapters the same way.
 */

// ── Tool side ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A platform (LMS) registered with the tool. Keyed by issuer **and** client id: hosted Canvas and Blackboard share one issuer. */
export interface PlatformRegistration {
  readonly issuer: string;
  readonly clientId: string;
  /** The platform's OIDC authorization endpoint (auth login URL). */
  readonly authorizationEndpoint: string;
  /** The OAuth 2.0 token endpoint (for AGS and NRPS access tokens). */
  readonly tokenEndpoint: string;
  /** The platform's key set URL. Fetched once and cached, never per launch. */
  readonly jwksUri: string;
  /** The `aud` of client assertions when it is not the token endpoint (D2L Brightspace). */
  readonly tokenAudience?: string | undefined;
  /** id_token algorithms accepted from this platform; default `['RS256']`. Never taken from the token header. */
  readonly algorithms?: readonly string[] | undefined;
  /** `pending` until an administrator activates a dynamically registered platform; pending registrations cannot launch. */
  readonly status: 'active' | 'pending';
  readonly name?: string | undefined;
}

/** A deployment of the tool on a platform registration (a Moodle tool type id, a Canvas installation). */
export interface Deployment {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly name?: string | undefined;
}

export interface PlatformRegistry {
  getRegistration(issuer: string, clientId: string): Promise<PlatformRegistration | undefined>;
  /** Every registration, or those of one issuer. */
  listRegistrations(filter?: { issuer?: string }): Promise<PlatformRegistration[]>;
  /** Inserts or replaces the registration of (issuer, client id). */
  saveRegistration(registration: PlatformRegistration): Promise<void>;
  /** Removes the registration and its deployments. */
  removeRegistration(issuer: string, clientId: string): Promise<boolean>;
  getDeployment(issuer: string, clientId: string, deploymentId: string): Promise<Deployment | undefined>;
  listDeployments(issuer: string, clientId: string): Promise<Deployment[]>;
  saveDeployment(deployment: Deployment): Promise<void>;
  removeDeployment(issuer: string, clientId: string, deploymentId: string): Promise<boolean>;
}

/** One OIDC login in progress: what the tool issued and must see again in the launch. */
export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly issuer: string;
  /** Absent when the platform did not send `client_id` and the issuer has several registrations. */
  readonly clientId?: string | undefined;
  readonly deploymentId?: string | undefined;
  readonly targetLinkUri: string;
  /** The `lti_storage_target` of the login, when the platform offers client-side storage. */
  readonly storageTarget?: string | undefined;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt?: Date | undefined;
}

export interface LoginStateStore {
  save(login: LoginState): Promise<void>;
  get(state: string): Promise<LoginState | undefined>;
  getByNonce(nonce: string): Promise<LoginState | undefined>;
  /** Marks the login used. Resolves `true` for exactly one caller, however many race. */
  markUsed(state: string, at: Date): Promise<boolean>;
  /** Deletes logins that expired before `before`; resolves how many. */
  deleteExpired(before: Date): Promise<number>;
}

/** A signing key pair. The private half stays in the store and in non-extractable `CryptoKey`s. */
export interface StoredKey {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  readonly createdAt: Date;
  /** When the key stopped signing (a newer key took over). Still published until `expiresAt`. */
  readonly retiredAt?: Date | undefined;
  /** When the key leaves the published key set. */
  readonly expiresAt?: Date | undefined;
}

export interface KeyStore {
  list(): Promise<StoredKey[]>;
  /** Inserts or replaces by kid. */
  save(key: StoredKey): Promise<void>;
  remove(kid: string): Promise<boolean>;
}

export interface CachedAccessToken {
  readonly accessToken: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
}

/** Access tokens the tool obtained, cached per platform registration and scope set. */
export interface AccessTokenStore {
  get(key: string): Promise<CachedAccessToken | undefined>;
  set(key: string, token: CachedAccessToken): Promise<void>;
  delete(key: string): Promise<void>;
}

// ── Platform side ──────────────────────────────────────────────────────────────────────────────────────────────

/** A tool registered on the platform. */
export interface ToolRegistration {
  readonly clientId: string;
  readonly name?: string | undefined;
  /** The tool's OIDC login initiation URL. */
  readonly loginUrl: string;
  /** Launch URLs the platform may post id_tokens to (`redirect_uri` must be one of them). */
  readonly redirectUris: readonly string[];
  /** The default target link URI of resource link launches. */
  readonly targetLinkUri: string;
  /** Where deep linking requests go, when not the target link URI. */
  readonly deepLinkingUrl?: string | undefined;
  /** The tool's key set: a URL, or keys given at registration. */
  readonly jwksUri?: string | undefined;
  readonly jwks?: { readonly keys: readonly JWK[] } | undefined;
  /** LTI Advantage scopes granted to the tool. */
  readonly scopes: readonly string[];
  readonly deploymentIds: readonly string[];
  readonly status: 'active' | 'pending';
  /** Custom parameters sent in every launch. */
  readonly custom?: Readonly<Record<string, string>> | undefined;
}

export interface ToolRegistry {
  getTool(clientId: string): Promise<ToolRegistration | undefined>;
  listTools(): Promise<ToolRegistration[]>;
  saveTool(tool: ToolRegistration): Promise<void>;
  removeTool(clientId: string): Promise<boolean>;
}

/** A launch the platform started and is waiting to complete at its authorization endpoint (`lti_message_hint`). */
export interface PendingLaunch {
  readonly id: string;
  readonly clientId: string;
  readonly deploymentId: string;
  /** The `login_hint`: the platform's user id. */
  readonly userId: string;
  readonly targetLinkUri: string;
  /** The claims of the id_token besides the ones the platform sets itself (iss, aud, nonce, times). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly expiresAt: Date;
}

export interface PendingLaunchStore {
  save(launch: PendingLaunch): Promise<void>;
  /** Returns and deletes the pending launch (single use). */
  take(id: string): Promise<PendingLaunch | undefined>;
}

/** Single-use values (client assertion `jti`s, registration tokens). */
export interface ReplayGuard {
  /** Records `key`; resolves `false` when it was already recorded and has not expired. */
  use(key: string, expiresAt: Date): Promise<boolean>;
}

/** An AGS line item as the platform stores it. */
export interface LineItemRecord {
  readonly id: string;
  readonly contextId: string;
  readonly clientId: string;
  readonly label: string;
  readonly scoreMaximum: number;
  readonly resourceLinkId?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly tag?: string | undefined;
  readonly startDateTime?: string | undefined;
  readonly endDateTime?: string | undefined;
  readonly gradesReleased?: boolean | undefined;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

/** A score a tool posted, as the platform keeps it (the latest per user is the result). */
export interface ScoreRecord {
  readonly lineItemId: string;
  readonly userId: string;
  readonly scoreGiven?: number | undefined;
  readonly scoreMaximum?: number | undefined;
  readonly comment?: string | undefined;
  readonly activityProgress: string;
  readonly gradingProgress: string;
  readonly timestamp: string;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

export interface Gradebook {
  listLineItems(contextId: string): Promise<LineItemRecord[]>;
  getLineItem(contextId: string, id: string): Promise<LineItemRecord | undefined>;
  saveLineItem(lineItem: LineItemRecord): Promise<void>;
  removeLineItem(contextId: string, id: string): Promise<boolean>;
  /** The latest score of each user on a line item. */
  listScores(lineItemId: string): Promise<ScoreRecord[]>;
  getScore(lineItemId: string, userId: string): Promise<ScoreRecord | undefined>;
  saveScore(score: ScoreRecord): Promise<void>;
}

/** A member of a context, as the names and roles service returns it. */
export interface ContextMember {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly status?: 'Active' | 'Inactive' | 'Deleted' | undefined;
  readonly name?: string | undefined;
  readonly givenName?: string | undefined;
  readonly familyName?: string | undefined;
  readonly email?: string | undefined;
  readonly picture?: string | undefined;
  readonly lisPersonSourcedId?: string | undefined;
  /** Resource links the member may see; used by the `rlid` filter. Absent: every link. */
  readonly resourceLinkIds?: readonly string[] | undefined;
  /** When the membership last changed; the `differences` link returns members changed since a time. */
  readonly updatedAt?: Date | undefined;
}

export interface ContextRecord {
  readonly id: string;
  readonly label?: string | undefined;
  readonly title?: string | undefined;
  readonly type?: readonly string[] | undefined;
}

export interface MembershipSource {
  getContext(contextId: string): Promise<ContextRecord | undefined>;
  listMembers(contextId: string): Promise<ContextMember[]>;
}
