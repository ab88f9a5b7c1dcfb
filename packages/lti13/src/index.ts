// @passport/lti13: LTI 1.3 and LTI Advantage, for tools and for platforms. The public API, re-exports only.
// Subpaths: `@passport/lti13/postgres` (PostgreSQL/PGlite adapters and migrations), `@passport/lti13/testing`
// (contract suites for the storage ports).

export {
  MemoryAccessTokenStore,
  MemoryGradebook,
  MemoryKeyStore,
  MemoryLoginStateStore,
  MemoryMembershipSource,
  MemoryPendingLaunchStore,
  MemoryPlatformRegistry,
  MemoryReplayGuard,
  MemoryToolRegistry,
} from './adapters/memory/memory-stores.ts';
export {
  type ContextRoleName,
  contextRoleNames,
  contextRoleUri,
  contextSubRoleNames,
  hasContextRole,
  institutionRoleNames,
  isInstructor,
  isLearner,
  parseRole,
  parseRoles,
  type Role,
  type RoleKind,
  roleVocabularies,
  systemRoleNames,
} from './claims/roles.ts';
export {
  type AgsEndpointClaim,
  agsEndpointClaim,
  type ContextClaim,
  type CustomClaim,
  contextClaim,
  customClaim,
  type DeepLinkingSettingsClaim,
  deepLinkingSettingsClaim,
  type ForUserClaim,
  forUserClaim,
  type LaunchPresentationClaim,
  type LisClaim,
  type Lti1p1Claim,
  launchPresentationClaim,
  lisClaim,
  lti1p1Claim,
  type NrpsClaim,
  nrpsClaim,
  optionalClaimSchemas,
  type ResourceLinkClaim,
  registeredClaims,
  resourceLinkClaim,
  roleScopeMentorClaim,
  rolesClaim,
  type ToolPlatformClaim,
  toolPlatformClaim,
  type UserClaims,
  userClaims,
} from './claims/schemas.ts';
export {
  allScopes,
  claimUris,
  type LaunchMessageType,
  type LtiScope,
  launchMessageTypes,
  ltiClaimPrefix,
  ltiVersion,
  messageTypes,
  scopes,
} from './claims/uris.ts';
export {
  type ContentItem,
  contentItemSchema,
  type DeepLinkingMessages,
  type FileItem,
  fileItemSchema,
  type HtmlItem,
  htmlItemSchema,
  type ImageItem,
  imageItemSchema,
  type LinkItem,
  type LtiResourceLinkItem,
  linkItemSchema,
  ltiResourceLinkItemSchema,
} from './deep-linking/content-items.ts';
export {
  describeLtiError,
  LtiError,
  type LtiErrorCode,
  type LtiErrorOptions,
  ltiErrorCatalog,
  ltiErrorCodes,
} from './errors.ts';
export { defaultFetch, type FetchLike, send } from './http/fetch.ts';
export { formatLinkHeader, parseLinkHeader } from './http/link-header.ts';
export {
  type FetchHandler,
  type NodeListenerOptions,
  routeByPath,
  toNodeListener,
} from './http/node-listener.ts';
export type {
  LtiErrorEvent,
  LtiErrorHook,
  LtiPlatformEndpoint,
  LtiToolEndpoint,
} from './http/report-error.ts';
export { errorResponse, wantsJson } from './http/respond.ts';
export { generateSigningKey, type SigningAlgorithm } from './keys/generate-key.ts';
export { type JsonWebKeySet, KeyRing, type KeyRingOptions, SigningKey } from './keys/key-ring.ts';
export { RemoteKeySets, type RemoteKeySetsOptions } from './keys/remote-key-sets.ts';
export type { ReceivedDeepLinkingResponse } from './platform/deep-linking/deep-linking-return.ts';
export {
  type DeepLinkingRequestSettings,
  type LaunchInput,
  loginInitiationResponse,
  type StartedLaunch,
} from './platform/launch/create-launch.ts';
export { createLtiPlatform, type LtiPlatform, type LtiPlatformOptions } from './platform/platform.ts';
export type { PlatformPaths, PlatformQuirks } from './platform/platform-context.ts';
export { platformStorageScript } from './platform/storage/platform-storage-script.ts';
export type * from './ports.ts';
export { createRegistrationToken, openidConfiguration } from './registration/platform-registration.ts';
export {
  type ClientRegistration,
  clientRegistrationSchema,
  type OpenidConfiguration,
  openidConfigurationSchema,
  platformConfigurationKey,
  type ToolMessage,
  toolConfigurationKey,
} from './registration/schemas.ts';
export {
  buildOpenidConfigurationRequest,
  buildRegistrationRequest,
  createDynamicRegistration,
  type DynamicRegistrationOptions,
  type DynamicRegistrationResult,
  processOpenidConfigurationResponse,
  processRegistrationResponse,
  registrationCompletePage,
} from './registration/tool-registration.ts';
export {
  buildCreateLineItemRequest,
  buildDeleteLineItemRequest,
  buildGetLineItemRequest,
  buildListLineItemsRequest,
  buildUpdateLineItemRequest,
  type LineItemFilters,
  processDeleteLineItemResponse,
  processLineItemResponse,
  processListLineItemsResponse,
} from './services/ags/line-items.ts';
export { buildResultsRequest, processResultsResponse } from './services/ags/results.ts';
export {
  activityProgressValues,
  canvasSubmissionExtension,
  gradingProgressValues,
  type LineItem,
  lineItemSchema,
  type Result,
  resultSchema,
  type Score,
  scoreSchema,
} from './services/ags/schemas.ts';
export { buildScoreRequest, processScoreResponse } from './services/ags/scores.ts';
export { mediaTypes } from './services/media-types.ts';
export {
  buildMembershipsRequest,
  type MembershipFilters,
  type MembershipPage,
  type MemberWithRoles,
  processMembershipsResponse,
} from './services/nrps/memberships.ts';
export {
  type Member,
  type MembershipContainer,
  memberSchema,
  membershipContainerSchema,
} from './services/nrps/schemas.ts';
export { appendPath, withQuery } from './services/service-url.ts';
export { AgsClient, createLtiServices, type LtiServices, NrpsClient } from './services/services.ts';
export { AccessTokenProvider, accessTokenKey } from './services/token/access-token-provider.ts';
export {
  type AccessTokenGrant,
  buildAccessTokenRequest,
  processAccessTokenResponse,
} from './services/token/access-token-request.ts';
export { createClientAssertion } from './services/token/client-assertion.ts';
export { createDeepLinkingResponse, type DeepLinkingResponse } from './tool/deep-linking/create-response.ts';
export type { LaunchUser, LtiLaunch } from './tool/launch/launch.ts';
export {
  type LaunchOutcome,
  type LaunchPipelineDependencies,
  runLaunchPipeline,
} from './tool/launch/pipeline.ts';
export { createLtiTool, type Handler, type LtiTool, type LtiToolOptions } from './tool/tool.ts';
