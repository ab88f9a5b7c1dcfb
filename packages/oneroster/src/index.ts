// @passport/oneroster: the public API. Everything importable is re-exported here.

export {
  createMemoryCredentialStore,
  createMemoryNonceStore,
  createMemoryTokenStore,
} from './adapters/memory/memory-auth-stores.ts';
export { createMemoryRosterStore } from './adapters/memory/memory-roster-store.ts';
export { type ApiErrorCode, apiErrorCodes, OneRosterApiError } from './api/api-error.ts';
// The OneRoster 1.1 REST API: the server handler, OAuth 2.0 client credentials and OAuth 1.0a.
export {
  createOneRosterHandler,
  type OneRosterHandler,
  type OneRosterHandlerOptions,
} from './api/handler.ts';
export {
  type CodeMajor,
  type CodeMinor,
  type CodeMinorField,
  codeMajors,
  codeMinors,
  type Severity as StatusSeverity,
  type StatusInfo,
} from './api/status-info.ts';
export { AuthError, type AuthErrorCode, authErrorCodes } from './auth/auth-error.ts';
export { type AuthenticatorOptions, createAuthenticator } from './auth/authenticator.ts';
export {
  type IssueCredentialInput,
  type IssuedCredential,
  issueCredential,
  parseScopes,
} from './auth/issue-credential.ts';
export { type SignatureMethod, type SignRequestInput, signOAuth1Request } from './auth/oauth1-signature.ts';
export type { ClientCredential, CredentialStore, IssuedToken, NonceStore, TokenStore } from './auth/ports.ts';
export type { Authenticator, Principal } from './auth/principal.ts';
export { type OneRosterScope, oneRosterScopes, parseScope, scopeUri } from './auth/scopes.ts';
export { createTokenEndpoint, type TokenEndpoint, type TokenEndpointOptions } from './auth/token-endpoint.ts';
// CSV packages: read, validate, stream, write.
export type { CsvDataset, CsvRow, CsvTable, Manifest } from './csv/dataset.ts';
export {
  type OneRosterCsvFinding,
  type OneRosterCsvFindingCode,
  oneRosterCsvFindingCodes,
  severityOf,
} from './csv/finding-codes.ts';
export type { Finding, Severity } from './csv/findings.ts';
export { type PackageStream, readPackage, type StreamedRow, streamPackage } from './csv/read.ts';
export { openPackage, type PackageEntry, type PackageSource } from './csv/source.ts';
export {
  type DataFileMode,
  type ValidateOptions,
  type ValidationProgress,
  type ValidationReport,
  validatePackage,
} from './csv/validate.ts';
export {
  createPackageWriter,
  type PackageFormat,
  type PackageWriter,
  type TableRows,
  type WriteErrorCode,
  type WritePackageOptions,
  writePackage,
} from './csv/write.ts';
// The package's one error class and its codes (problems inside the data are findings, not errors).
export {
  OneRosterError,
  type OneRosterErrorCode,
  type OneRosterErrorOptions,
  oneRosterErrorCodes,
  oneRosterErrorWire,
} from './errors.ts';
// Filters: parse, format and resolve the `filter` query parameter.
export type { FilterExpression, FilterJunction, FilterOperator, FilterPredicate } from './filter/ast.ts';
export { formatFilter } from './filter/ast.ts';
export { FilterError, type FilterErrorCode, filterErrorCodes } from './filter/filter-error.ts';
export { parseFilter } from './filter/parse-filter.ts';
export { type ResolvedFilter, resolveFilter } from './filter/resolve-filter.ts';
// A synthetic district, for tests, demos and benchmarks.
export {
  type DistrictOptions,
  type GeneratedCounts,
  type GeneratedDistrict,
  generateDataset,
  generateDistrict,
  writeGeneratedDistrict,
} from './generate/district.ts';
// Custom CSV layouts for partners.
export { type ExportResult, exportCustom } from './mapping/export.ts';
export { loadMapping, type MappingErrorCode, parseMapping } from './mapping/parse-mapping.ts';
export type { Mapping, MappingInput } from './mapping/schema.ts';
export {
  ConversionError,
  type ConversionErrorCode,
  type CsvToJsonOptions,
  csvRowToEntity,
  entityToCsvRow,
  guidRef,
} from './model/convert.ts';
// The model: the CSV binding's files and columns, vocabularies, the JSON binding's schemas and conversions.
export * from './model/files.ts';
export * from './model/formats.ts';
export { collectionOfGuidRefType, guidRefHref, guidRefTypeOfFile } from './model/json-binding.ts';
export * from './model/multivalue.ts';
export * from './model/schemas.ts';
export * from './model/vocabulary.ts';
export { type ImportOptions, importDataset } from './store/import-dataset.ts';
export {
  type ImportPackageOptions,
  type ImportPackageResult,
  importPackage,
} from './store/import-package.ts';
// The roster store (a tenant's data behind the API), its memory adapter, and importing packages into it.
// The PostgreSQL/PGlite adapter is the `@passport/oneroster/postgres` subpath.
export type {
  CommitOptions,
  ImportCounts,
  ImportFileCounts,
  ImportGuardFinding,
  ImportGuardOptions,
  ImportOutcome,
  ImportSession,
  ListableFile,
  ListRequest,
  ListResult,
  Membership,
  RosterStore,
  StoredEntity,
  WritableFile,
} from './store/roster-store.ts';
export { defaultImportGuard } from './store/roster-store.ts';
