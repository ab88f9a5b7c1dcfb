// @passport/sso-idp: the Passport identity provider and SSO broker. The public API, re-exports only.
// Subpaths (to be declared in package.json): `./postgres` (PostgreSQL/PGlite adapters and migrations) and
// `./testing` (contract suites for the storage ports).

export {
  MemoryAppRegistry,
  MemoryDistrictRegistry,
  MemoryRosterDirectory,
} from './adapters/memory/memory-directories.ts';
export {
  MemoryAccountLinkStore,
  MemoryAttemptCounter,
  MemoryAuditLog,
  MemoryBadgeStore,
  MemoryKeyStore,
  MemoryOidcArtifactStore,
  MemoryOneTimeStore,
  MemoryPasswordStore,
  MemorySessionStore,
} from './adapters/memory/memory-stores.ts';
export { createMemoryStores, type MemoryStores } from './adapters/memory/memory-stores-bundle.ts';
export { parseAppRegistration, parseDistrictGrant } from './apps/app-schema.ts';
export { type AccessDecision, decideAccess } from './apps/check-grant.ts';
export {
  type RosterClaims,
  type RosterScope,
  rosterClaims,
  rosterScopes,
  scopeClaims,
} from './claims/roster-claims.ts';
export type { SsoUrls } from './context.ts';
export { updateDistrict } from './districts/update-district.ts';
export { describeSsoError, SsoError, type SsoErrorCode, ssoErrorCatalog, ssoErrorCodes } from './errors.ts';
export { type FetchHandler, toNodeListener } from './http/node-host.ts';
export { hashClientSecret } from './oidc/client-secret.ts';
export type { OpenIdProvider } from './oidc/openid-provider.ts';
export type {
  AccountLink,
  AccountLinkStore,
  AppRegistration,
  AppRegistry,
  AttemptCount,
  AttemptCounter,
  AuditEvent,
  AuditEventType,
  AuditLog,
  AuditQuery,
  BadgeCredential,
  BadgeStore,
  BadgeUpstream,
  ClaimName,
  District,
  DistrictGrant,
  DistrictRegistry,
  KeyStore,
  OidcAppSettings,
  OidcArtifact,
  OidcArtifactStore,
  OidcUpstream,
  OneTimeStore,
  PasswordCredential,
  PasswordStore,
  PasswordUpstream,
  RosterDirectory,
  RosterMatchAttribute,
  RosterMatchRule,
  RosterRole,
  RosterUser,
  SamlAppSettings,
  SamlAssertionEncryption,
  SamlAttributeMapping,
  SamlNameIdFormat,
  SamlParticipant,
  SamlUpstream,
  SessionRecord,
  SessionStore,
  SignInMethod,
  StoredKey,
} from './ports.ts';
export { claimNames, rosterRoles } from './ports.ts';
export type { SamlSigningCredential } from './saml/respond/sign.ts';
export type { SamlIdentityProvider } from './saml/saml-identity-provider.ts';
export {
  createSsoIdp,
  type SignedInUser,
  type SsoIdp,
  type SsoIdpOptions,
  type SsoStores,
} from './sso-idp.ts';
export type { BadgeQrFormat } from './upstream/badge/badge-qr.ts';
export type { BadgeSheetInput } from './upstream/badge/badge-sheet.ts';
export type { BadgeSummary, IssueBadgeInput, IssuedBadge } from './upstream/badge/issue-badge.ts';
export { hashPassword, verifyPassword } from './upstream/password/hash-password.ts';
export { defaultSignInLimits, type SignInLimits } from './upstream/password/limits.ts';
