// @passport/coursera-connector: the platform-neutral learning-platform connector interface, the Coursera client and
// connector, and the Google Cloud Skills Boost connector. The simulator, the PostgreSQL adapters and the contract
// suites are subpath entries (./simulator, ./postgres, ./testing).

export { createMemoryCatalogSnapshotStore } from './adapters/memory/memory-catalog-snapshot-store.ts';
export { createMemoryLicenseLedger } from './adapters/memory/memory-license-ledger.ts';
export { createMemoryReportSource } from './adapters/memory/memory-report-source.ts';
export { createMemoryTokenStore } from './adapters/memory/memory-token-store.ts';
export {
  type CatalogSync,
  type CatalogSyncOptions,
  type CatalogSyncReason,
  type CatalogSyncResult,
  createCatalogSync,
  DAY_MS,
} from './connector/catalog-sync.ts';
export type {
  CatalogSource,
  ConnectorCapabilities,
  HandOff,
  LearnerDirectory,
  LearningPlatformConnector,
  ResultSource,
} from './connector/connector.ts';
export {
  type CatalogChanges,
  diffCatalog,
  type EntityChanges,
  isCatalogUnchanged,
} from './connector/diff-catalog.ts';
export {
  createLicenseAccounting,
  type LicenseAccounting,
  type LicenseAccountingOptions,
  type SignOnResult,
} from './connector/license-accounting.ts';
export type {
  Course,
  CourseKind,
  GradableItem,
  GradableItemType,
  Grade,
  HandOffOutcome,
  HandOffRequest,
  HandOffReturn,
  HandOffTarget,
  LearnerIdentity,
  LearnerResult,
  LicenseSeat,
  LicenseUsage,
  Membership,
  MembershipOutcome,
  Program,
  ResultLevel,
  ResultPage,
  ResultQuery,
} from './connector/types.ts';
export { buildListContentsRequest, processListContentsResponse } from './coursera/api/contents.ts';
export {
  buildListEnrollmentReportsRequest,
  type EnrollmentReportQuery,
  parseCourseraGrade,
  processListEnrollmentReportsResponse,
} from './coursera/api/enrollment-reports.ts';
export {
  buildCreateInvitationRequest,
  type InvitationInput,
  type InvitationResult,
  processCreateInvitationResponse,
} from './coursera/api/invitations.ts';
export {
  buildDeleteMembershipRequest,
  buildListMembershipsRequest,
  membershipId,
  processDeleteMembershipResponse,
  processListMembershipsResponse,
} from './coursera/api/memberships.ts';
export { buildListProgramsRequest, processListProgramsResponse } from './coursera/api/programs.ts';
export type {
  CourseraContent,
  CourseraEnrollmentReport,
  CourseraInvitation,
  CourseraMembership,
  CourseraProgram,
} from './coursera/api/schemas.ts';
export {
  type CourseraClient,
  type CourseraClientOptions,
  createCourseraClient,
  type PagedCollection,
} from './coursera/client.ts';
export {
  COURSERA_PLATFORM,
  type CourseraConnectorOptions,
  createCourseraConnector,
  ENROLLMENT_REPORT_LAG_MS,
} from './coursera/coursera-connector.ts';
export type {
  CourseraContentItem,
  CourseraItemGrade,
  CourseraItemType,
  HandOffParameters,
  ItemGradeQuery,
  VerifiedHandOffReturn,
} from './coursera/not-public/index.ts';
export { buildAuthorizationUrl, COURSERA_SCOPE } from './coursera/oauth/authorization.ts';
export { type ConsentStatus, REFRESH_TOKEN_LIFETIME_MS } from './coursera/oauth/token-manager.ts';
export { buildTokenRequest, processTokenResponse, type TokenGrant } from './coursera/oauth/token-request.ts';
export { ConnectorError, type ConnectorErrorCode, connectorErrorCodes } from './errors/connector-error.ts';
export {
  CourseraError,
  type CourseraErrorCode,
  courseraErrorCodes,
  courseraToConnectorCode,
  toConnectorError,
} from './errors/coursera-error.ts';
export { parseRetryAfter } from './http/parse-retry-after.ts';
export { defaultRetryPolicy, type RetryEvent, type RetryPolicy, type Sleep } from './http/send-with-retry.ts';
export { createUndiciFetch, type UndiciFetchOptions } from './http/undici-fetch.ts';
export type {
  CatalogSnapshot,
  CatalogSnapshotStore,
  LicenseLedger,
  ProgramKey,
  ReportFile,
  ReportSource,
  StoredTokens,
  TakeSeatOutcome,
  TokenStore,
} from './ports.ts';
export {
  type SkillsBoostFinding,
  type SkillsBoostFindingCode,
  skillsBoostFindingCodes,
} from './skills-boost/findings.ts';
export {
  type ActivityKind,
  type ActivityReport,
  type ActivityRow,
  type ActivityStatus,
  type ColumnRole,
  defaultColumnNames,
  readActivityReport,
} from './skills-boost/read-activity-report.ts';
export {
  createSkillsBoostConnector,
  SKILLS_BOOST_PLATFORM,
  type SkillsBoostConnectorOptions,
  STANDALONE_LABS_ID,
} from './skills-boost/skills-boost-connector.ts';
