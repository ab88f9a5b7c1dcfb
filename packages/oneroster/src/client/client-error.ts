/**
 * What the client throws. "The other side said no" (`ONEROSTER_CLIENT_HTTP`, `ONEROSTER_CLIENT_AUTH_REFUSED`) is
 * kept apart from "we could not ask" (`ONEROSTER_CLIENT_NETWORK`) and "the answer makes no sense"
 * (`ONEROSTER_CLIENT_INVALID_RESPONSE`).
 */
import { PassportError, type PassportErrorOptions } from '@passport/core';
import type { ParsedStatusInfo } from './status-payload.ts';

export const clientErrorCodes = {
  ONEROSTER_CLIENT_HTTP: 'The server answered with an error status (its status info payload is attached).',
  ONEROSTER_CLIENT_AUTH_REFUSED: 'The token endpoint refused the client credentials or scopes.',
  ONEROSTER_CLIENT_NETWORK: 'The server could not be reached, even after retries.',
  ONEROSTER_CLIENT_INVALID_RESPONSE: 'The response is not the JSON the endpoint should answer.',
  ONEROSTER_CLIENT_INVALID_OPTIONS: 'An option passed to createOneRosterClient is not valid.',
} as const;

export type ClientErrorCode = keyof typeof clientErrorCodes;

export interface ClientErrorOptions extends PassportErrorOptions {
  /** The parsed status info payload(s) of the response, when it had any. */
  statusInfo?: ParsedStatusInfo[];
  /** For a collection iteration that failed: the offset to resume from (`iterate(..., { offset })`). */
  resumeOffset?: number;
  url?: string;
}

export class OneRosterClientError extends PassportError<ClientErrorCode> {
  readonly statusInfo: ParsedStatusInfo[];
  readonly resumeOffset: number | undefined;
  readonly url: string | undefined;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    super(code, message, options);
    this.statusInfo = options.statusInfo ?? [];
    this.resumeOffset = options.resumeOffset;
    this.url = options.url;
  }

  /** The code minor values the server reported (`unknownobject`, `invalid_filter_field`, ...). */
  get codeMinors(): string[] {
    return this.statusInfo.flatMap((info) => info.codeMinor);
  }
}
