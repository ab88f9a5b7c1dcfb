// @passport/oneroster/client: a typed client for any OneRoster 1.1 REST server (OAuth 2.0 or OAuth 1.0a),
// with paging iterators that resume after errors, retries honoring Retry-After and a concurrency cap.

export { OneRosterError, type OneRosterErrorCode, type OneRosterErrorOptions } from '../errors.ts';
export {
  createOneRosterClient,
  type FetchFunction,
  type OneRosterClient,
  type OneRosterClientOptions,
  type RawResponse,
} from './client.ts';
export { type ClientErrorCode, clientErrorCodes, OneRosterClientError } from './client-error.ts';
export {
  and,
  contains,
  eq,
  type FilterValue,
  filterText,
  ge,
  gt,
  le,
  lt,
  ne,
  or,
} from './filter-builder.ts';
export {
  type PullableFile,
  type PullPackageOptions,
  type PullPackageResult,
  pullableFiles,
  pullPackage,
} from './pull-package.ts';
export { type ParsedStatusInfo, parseStatusPayloads } from './status-payload.ts';
