const brand = Symbol.for('passport.error');

export interface PassportErrorOptions {
  /** HTTP status to answer with when this error reaches a handler. */
  status?: number;
  /** The wire code the relevant spec defines (OAuth `invalid_request`, OneRoster `imsx_CodeMinor`, ...). */
  specError?: string;
  /** Safe to show to the client. Defaults to the message. */
  description?: string;
  /** For logs only; never sent to a client. */
  detail?: unknown;
  cause?: unknown;
}

/**
 * The base of every error a Passport package throws. `code` is a stable SCREAMING_SNAKE identifier with a
 * package prefix (`ONEROSTER_...`, `LTI_...`); check for it with `PassportError.is(error)`, which survives
 * duplicate installs of the package.
 */
export class PassportError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly specError: string | undefined;
  readonly description: string;
  readonly detail: unknown;

  constructor(code: Code, message: string, options: PassportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.specError = options.specError;
    this.description = options.description ?? message;
    this.detail = options.detail;
    Object.defineProperty(this, brand, { value: true });
  }

  static is(value: unknown): value is PassportError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
