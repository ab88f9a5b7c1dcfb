/**
 * The storage and service interfaces `@passport/sso-idp` needs. Each has a memory adapter (`adapters/memory`) and a
 * PostgreSQL/PGlite adapter (`adapters/postgres`), and one contract suite (`testing`) that both pass. The roster
 * and the LMS stay behind `RosterDirectory` so this package never waits on (or reaches into) another package.
 */

// ── Roster ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** OneRoster 1.1 user roles. */
export type RosterRole =
  | 'administrator'
  | 'aide'
  | 'guardian'
  | 'parent'
  | 'proctor'
  | 'relative'
  | 'student'
  | 'teacher';

export const rosterRoles: readonly RosterRole[] = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
];

/** One person as the district roster knows them, with what sign-on needs (orgs, grades, enrolled classes). */
export interface RosterUser {
  /** Passport's stable id for this person; never reused. The OIDC `sub` is derived from it. */
  readonly userId: string;
  readonly districtId: string;
  /** OneRoster `sourcedId`. */
  readonly sourcedId: string;
  /** The SIS id (OneRoster `identifier`). */
  readonly sisId?: string;
  readonly username?: string;
  readonly email?: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly role: RosterRole;
  /** OneRoster `enabledUser`. */
  readonly enabled: boolean;
  /** sourcedIds of the user's schools. */
  readonly schoolIds: readonly string[];
  /** CEDS grade codes (`09`, `KG`). */
  readonly grades: readonly string[];
  /** sourcedIds of the classes the user has an active enrollment in. */
  readonly classIds: readonly string[];
}

/** What an upstream identity may be matched on. */
export type RosterMatchAttribute = 'email' | 'sisId' | 'sourcedId' | 'username';

/** Reads the roster: the user record, claims and enrollments sign-on needs. */
export interface RosterDirectory {
  findUser(userId: string): Promise<RosterUser | undefined>;
  /** Every user of the district whose attribute equals the value (email compared case-insensitively). */
  findUsersBy(districtId: string, attribute: RosterMatchAttribute, value: string): Promise<RosterUser[]>;
}

// ── Apps and grants ────────────────────────────────────────────────────────────────────────────────────────────

/** The claims Passport can release about a user. A grant lists the ones an app may receive. */
export type ClaimName =
  | 'name'
  | 'given_name'
  | 'family_name'
  | 'email'
  | 'role'
  | 'district_id'
  | 'school_ids'
  | 'grades'
  | 'class_ids'
  | 'roster_sourced_id';

export const claimNames: readonly ClaimName[] = [
  'name',
  'given_name',
  'family_name',
  'email',
  'role',
  'district_id',
  'school_ids',
  'grades',
  'class_ids',
  'roster_sourced_id',
];

export interface OidcAppSettings {
  readonly clientId: string;
  /**
   * The secret as the partner registers it. `registerApp` never stores it: it keeps `clientSecretHash` instead.
   * Absent (and no hash) for a public client (single-page or native app): PKCE is then required.
   */
  readonly clientSecret?: string;
  /** `sha256$<base64url>` of the secret, what is stored (see `hashClientSecret`). */
  readonly clientSecretHash?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** `pairwise` (default): each app sees a different `sub` for the same person, so apps cannot correlate students. */
  readonly subjectType?: 'pairwise' | 'public';
  /** Require PKCE even for a confidential client. Public clients always need it. */
  readonly requirePkce?: boolean;
  /** `native` for mobile/desktop apps (custom-scheme or loopback redirect URIs). Default `web`. */
  readonly applicationType?: 'web' | 'native';
  /** How a confidential client authenticates at the token endpoint. Default `client_secret_basic`. */
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** Inline public keys of the client (for `private_key_jwt`); never fetched from loopback or private addresses. */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
}

export type SamlNameIdFormat = 'emailAddress' | 'persistent' | 'transient' | 'unspecified';

/** Where a SAML attribute's value comes from. */
export interface SamlAttributeMapping {
  /** Attribute Name as the service provider expects it (`email`, `urn:oid:0.9.2342.19200300.100.1.3`, ...). */
  readonly name: string;
  readonly claim: ClaimName;
  readonly nameFormat?: 'basic' | 'uri' | 'unspecified';
  readonly friendlyName?: string;
}

export interface SamlAppSettings {
  readonly entityId: string;
  /** Registered assertion consumer services; an AuthnRequest may only ask for one of these URLs. */
  readonly assertionConsumerServices: readonly { readonly url: string; readonly index?: number }[];
  readonly singleLogoutService?: { readonly url: string; readonly binding: 'redirect' | 'post' };
  /** PEM certificates the service provider signs with (several during its key rollover). */
  readonly signingCertificates: readonly string[];
  /** Refuse unsigned AuthnRequests. Default true. */
  readonly requireSignedRequests?: boolean;
  readonly nameIdFormat: SamlNameIdFormat;
  /** For `emailAddress`: the email; `persistent`: a pairwise id per app; `transient`: a fresh id per sign-on. */
  readonly attributes: readonly SamlAttributeMapping[];
  /** Sign the whole Response as well as the Assertion. Default true. */
  readonly signResponse?: boolean;
  /**
   * Encrypt the assertion for this service provider (its PEM encryption certificate): the signed assertion is
   * sent as an `EncryptedAssertion` (RSA-OAEP key transport), and the Response is signed after encryption.
   * Absent: a plain signed assertion.
   */
  readonly assertionEncryption?: SamlAssertionEncryption;
}

export interface SamlAssertionEncryption {
  readonly certificate: string;
  /** Block cipher for the assertion. Default `aes256-gcm`; `aes256-cbc`/`aes128-cbc` for older service providers. */
  readonly algorithm?: 'aes256-gcm' | 'aes128-gcm' | 'aes256-cbc' | 'aes128-cbc';
}

/** An app registered by a partner, with the protocols it speaks. */
export interface AppRegistration {
  readonly appId: string;
  readonly partnerId: string;
  readonly name: string;
  readonly description?: string;
  /** Where the portal tile sends the user (the app's "Sign in with Passport" start URL). */
  readonly launchUrl?: string;
  readonly oidc?: OidcAppSettings;
  readonly saml?: SamlAppSettings;
}

/**
 * A district's decision to let an app in: for which schools, roles and classes (absent = all), which claims it
 * receives, and whether users must consent first.
 */
export interface DistrictGrant {
  readonly districtId: string;
  readonly appId: string;
  readonly schoolIds?: readonly string[];
  readonly roles?: readonly RosterRole[];
  readonly classIds?: readonly string[];
  readonly claims: readonly ClaimName[];
  readonly requireConsent?: boolean;
}

export interface AppRegistry {
  getApp(appId: string): Promise<AppRegistration | undefined>;
  findAppByClientId(clientId: string): Promise<AppRegistration | undefined>;
  findAppBySamlEntityId(entityId: string): Promise<AppRegistration | undefined>;
  listApps(): Promise<AppRegistration[]>;
  /** Inserts or replaces by appId. */
  saveApp(app: AppRegistration): Promise<void>;
  removeApp(appId: string): Promise<boolean>;
  getGrant(districtId: string, appId: string): Promise<DistrictGrant | undefined>;
  listGrants(districtId: string): Promise<DistrictGrant[]>;
  /** Inserts or replaces by (districtId, appId). */
  saveGrant(grant: DistrictGrant): Promise<void>;
  removeGrant(districtId: string, appId: string): Promise<boolean>;
}

// ── Districts and how their people sign in ─────────────────────────────────────────────────────────────────────

/** How an upstream identity is matched to a roster user: the upstream claim and the roster attribute it equals. */
export interface RosterMatchRule {
  readonly claim: string;
  readonly attribute: RosterMatchAttribute;
}

export interface OidcUpstream {
  readonly kind: 'oidc';
  readonly id: string;
  /** Shown on the sign-in button (`Google`, `Microsoft`). */
  readonly name: string;
  /** The issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scopes?: readonly string[];
  /** Tried in order; the first rule whose claim is present decides. */
  readonly match: readonly RosterMatchRule[];
  /** Only accept identities whose email ends with one of these domains (`@district.org`), when set. */
  readonly allowedEmailDomains?: readonly string[];
}

export interface SamlUpstream {
  readonly kind: 'saml';
  readonly id: string;
  readonly name: string;
  /** The upstream IdP's entity id and its SSO URL (HTTP-Redirect). */
  readonly entityId: string;
  readonly ssoUrl: string;
  /** PEM certificates the upstream IdP signs with. */
  readonly signingCertificates: readonly string[];
  /** Attribute names are the `claim` of the rules; `nameid` is the NameID. */
  readonly match: readonly RosterMatchRule[];
}

export interface PasswordUpstream {
  readonly kind: 'password';
  readonly id: string;
  readonly name: string;
}

/**
 * Sign-in with the LMS: an LTI 1.3 launch from one of the district's LMS registrations (verified by the host with
 * `@passport/lti13`) becomes a Passport session. The launch's claims are matched to the roster like any upstream.
 */
export interface LmsUpstream {
  readonly kind: 'lms';
  readonly id: string;
  readonly name: string;
  /** The LMS platform issuer (`https://canvas.instructure.com`). */
  readonly issuer: string;
  /** The tool's client id at that LMS; absent: any. */
  readonly clientId?: string;
  /** Deployments that belong to the district; absent: any. */
  readonly deploymentIds?: readonly string[];
  /** Claims of the launch: `email`, `sub`, `lis_person_sourcedid`, `lis_person_sis_id` (from the LIS claim). */
  readonly match: readonly RosterMatchRule[];
}

/**
 * Picture/QR badge sign-in for young students: a printed badge carries a QR code of a badge URL with a random
 * secret; showing it to the device camera (or opening the URL) signs in that one student. Badges are issued,
 * re-issued and revoked by the district (`issueBadge`, `badgeSheet`, `revokeBadges`).
 */
export interface BadgeUpstream {
  readonly kind: 'badge';
  readonly id: string;
  readonly name: string;
  /** Roster roles that may hold a badge. Default `['student']`: a badge is a weaker credential than a password. */
  readonly roles?: readonly RosterRole[];
}

export type SignInMethod = OidcUpstream | SamlUpstream | PasswordUpstream | LmsUpstream | BadgeUpstream;

/** A launch the host has verified (signature, nonce, deployment), reduced to what sign-in needs. */
export interface VerifiedLaunch {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  /** The LMS user id (`sub`). */
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface District {
  readonly districtId: string;
  readonly name: string;
  readonly signInMethods: readonly SignInMethod[];
  /**
   * How many times the district was saved, as read (0 for one saved before revisions were kept). A save that
   * carries it replaces the district only if no other save came in between; see `DistrictRegistry.saveDistrict`.
   */
  readonly revision?: number;
}

export interface DistrictRegistry {
  getDistrict(districtId: string): Promise<District | undefined>;
  listDistricts(): Promise<District[]>;
  /**
   * Saves the district and counts one more revision. With a `revision` (the one read), a read-modify-write is safe
   * against a concurrent one: when the stored district is at another revision, nothing is saved and it throws
   * `SSO_DISTRICT_CHANGED` (the caller reads again and redoes its change). Without one, it replaces whatever is
   * stored.
   */
  saveDistrict(district: District): Promise<void>;
}

// ── Credentials for districts with no identity provider ────────────────────────────────────────────────────────

export interface PasswordCredential {
  readonly districtId: string;
  /** Lower-cased. */
  readonly username: string;
  readonly userId: string;
  /** `scrypt$N$r$p$salt$hash` (base64url). Never the password. */
  readonly passwordHash: string;
  readonly updatedAt: Date;
}

export interface PasswordStore {
  find(districtId: string, username: string): Promise<PasswordCredential | undefined>;
  save(credential: PasswordCredential): Promise<void>;
  remove(districtId: string, username: string): Promise<boolean>;
}

/** A sign-in badge as stored: the secret only as its SHA-256 (it has 256 random bits, so no slow hash is needed). */
export interface BadgeCredential {
  /** Random, public part of the badge token: finds the record. */
  readonly badgeId: string;
  readonly districtId: string;
  readonly userId: string;
  /** SHA-256 of the secret part of the token, base64url. Never the secret. */
  readonly secretHash: string;
  readonly issuedAt: Date;
  /** Who issued it (an administrator or teacher id, for the audit trail). */
  readonly issuedBy?: string;
  /** The badge stops working at this time (the end of the school year, say); absent: until revoked. */
  readonly expiresAt?: Date;
  /** Set when revoked or replaced by a newer badge; a revoked badge never works again. */
  readonly revokedAt?: Date;
}

export interface BadgeStore {
  find(badgeId: string): Promise<BadgeCredential | undefined>;
  /** Inserts or replaces by badgeId. */
  save(badge: BadgeCredential): Promise<void>;
  /** The user's badges in the district, newest first, revoked ones included. */
  listByUser(districtId: string, userId: string): Promise<BadgeCredential[]>;
  /** Revokes one badge of the district at `at`; false when it does not exist there or was already revoked. */
  revoke(districtId: string, badgeId: string, at: Date): Promise<boolean>;
  /** Revokes every unrevoked badge of the user at `at`; returns how many. */
  revokeForUser(districtId: string, userId: string, at: Date): Promise<number>;
}

// ── Sessions, one-time values, throttling, audit ───────────────────────────────────────────────────────────────

/** A SAML service provider the session signed in to, for single logout. */
export interface SamlParticipant {
  readonly appId: string;
  readonly nameId: string;
  readonly nameIdFormat: string;
  readonly sessionIndex: string;
}

/** A Passport session: who is signed in, since when, by which method. Only hashes of cookie tokens are stored. */
export interface SessionRecord {
  readonly sessionId: string;
  readonly tokenHash: string;
  /** The token the cookie carried before the last rotation, accepted briefly so concurrent requests survive. */
  readonly previousTokenHash?: string;
  readonly previousTokenValidUntil?: Date;
  readonly userId: string;
  readonly districtId: string;
  readonly signInMethodId: string;
  /** Authentication methods references (`pwd`, `fed`, `lms`). */
  readonly amr: readonly string[];
  readonly authTime: Date;
  readonly createdAt: Date;
  readonly rotatedAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly samlParticipants: readonly SamlParticipant[];
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session whose current or previous token hash is this one. */
  findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** Replaces the record with this sessionId; false when it no longer exists. */
  update(session: SessionRecord): Promise<boolean>;
  delete(sessionId: string): Promise<boolean>;
  /** Removes sessions that expired before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** Short-lived values used once: upstream sign-in state, SAML request ids (replay), CSRF-free handoffs. */
export interface OneTimeStore {
  put(key: string, value: string, expiresAt: Date): Promise<void>;
  /** Returns the value and deletes it; undefined when absent or expired. */
  take(key: string, now: Date): Promise<string | undefined>;
  /** Records the key; false when it was already recorded and has not expired (a replay). */
  claim(key: string, expiresAt: Date, now: Date): Promise<boolean>;
}

export interface AttemptCount {
  readonly count: number;
  readonly windowEndsAt: Date;
}

/** Counts attempts per key in fixed windows (brute-force limits, lockouts). */
export interface AttemptCounter {
  increment(key: string, windowSeconds: number, now: Date): Promise<AttemptCount>;
  get(key: string, now: Date): Promise<AttemptCount | undefined>;
  reset(key: string): Promise<void>;
}

export type AuditEventType =
  | 'signin.succeeded'
  | 'signin.failed'
  | 'signin.locked'
  | 'signin.unmatched'
  | 'signout'
  | 'session.rotated'
  | 'sso.issued'
  | 'sso.refused'
  | 'consent.granted'
  | 'consent.denied'
  | 'link.created'
  | 'link.removed'
  | 'keys.rotated'
  | 'badge.issued'
  | 'badge.revoked';

export interface AuditEvent {
  readonly eventId: string;
  readonly at: Date;
  readonly type: AuditEventType;
  readonly districtId?: string;
  readonly userId?: string;
  readonly appId?: string;
  /** Error code for refusals and failures. */
  readonly code?: string;
  /** Protocol or method: `oidc`, `saml`, `password`, upstream id. */
  readonly via?: string;
  readonly ip?: string;
  /** Small, non-secret facts (the unmatched email, the refused app). */
  readonly detail?: Readonly<Record<string, string>>;
}

export interface AuditQuery {
  readonly userId?: string;
  readonly districtId?: string;
  readonly type?: AuditEventType;
  readonly limit?: number;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditEvent[]>;
}

// ── Keys ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** A signing key pair as stored (private JWK). Retired keys stay published for the overlap window. */
export interface StoredKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateJwk: Record<string, unknown>;
  readonly createdAt: Date;
  readonly retiredAt?: Date;
}

export interface KeyStore {
  list(): Promise<StoredKey[]>;
  /** Inserts or replaces by kid. */
  save(key: StoredKey): Promise<void>;
  remove(kid: string): Promise<boolean>;
}

// ── OpenID provider state (oidc-provider's models) ─────────────────────────────────────────────────────────────

/** One stored artifact of the OpenID provider: a session, interaction, grant, code, token. Payloads are opaque. */
export interface OidcArtifact {
  /** The model name (`Session`, `AuthorizationCode`, `RefreshToken`, ...). */
  readonly model: string;
  readonly id: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly expiresAt?: Date;
  readonly grantId?: string;
  readonly uid?: string;
  readonly userCode?: string;
}

export interface OidcArtifactStore {
  /** Inserts or replaces by (model, id). */
  upsert(artifact: OidcArtifact): Promise<void>;
  /** Unexpired artifacts only; `consumed` (epoch seconds) is set in the payload once consumed. */
  find(model: string, id: string, now: Date): Promise<OidcArtifact | undefined>;
  findByUid(model: string, uid: string, now: Date): Promise<OidcArtifact | undefined>;
  findByUserCode(model: string, userCode: string, now: Date): Promise<OidcArtifact | undefined>;
  /** Marks the artifact consumed (authorization codes, rotated refresh tokens) at `now`. */
  consume(model: string, id: string, now: Date): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  /** Removes every artifact issued under the grant (a revoked grant, a reused code). */
  revokeByGrantId(grantId: string): Promise<void>;
}

// ── Links to accounts in learning platforms ────────────────────────────────────────────────────────────────────

export interface AccountLink {
  readonly userId: string;
  readonly appId: string;
  /** The account's id inside the app. */
  readonly externalAccountId: string;
  /** `verified`: the user proved they own an existing account there; `created`: the app made it from roster data. */
  readonly method: 'verified' | 'created';
  readonly linkedAt: Date;
}

export interface AccountLinkStore {
  find(userId: string, appId: string): Promise<AccountLink | undefined>;
  findByExternalAccount(appId: string, externalAccountId: string): Promise<AccountLink | undefined>;
  save(link: AccountLink): Promise<void>;
  remove(userId: string, appId: string): Promise<boolean>;
}
