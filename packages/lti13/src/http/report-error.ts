import { LtiError } from '../errors.ts';

/** The tool-side handlers that report their refusals: login, launch, key set, dynamic registration. */
export type LtiToolEndpoint = 'login' | 'launch' | 'jwks' | 'register';

/** The platform-side handlers that report their refusals. */
export type LtiPlatformEndpoint =
  | 'authorize'
  | 'token'
  | 'jwks'
  | 'services'
  | 'deep-linking-return'
  | 'register';

/** What a hook learns besides the error and the request. */
export interface LtiErrorEvent<Endpoint extends string = string> {
  /** The handler that refused (its role, whatever path it is mounted at). */
  readonly endpoint: Endpoint;
}

/**
 * The host's error hook (`onError`): called with the typed `LtiError` of every refused request (its `code`,
 * `status`, `description`, `detail` and, for `LTI_INTERNAL_ERROR`, the original failure as `cause`) and the request,
 * before the refusal is answered. It observes only: the response is built before it runs, its return value is
 * ignored, and if it throws or rejects the refusal is answered all the same. The request's body may already have
 * been read. The hook is awaited, so keep it quick (log, count), or hand slow work off.
 */
export type LtiErrorHook<Endpoint extends string = string> = (
  error: LtiError,
  request: Request,
  event: LtiErrorEvent<Endpoint>,
) => void | Promise<void>;

/**
 * Anything a handler caught, as an `LtiError`. A failure that is not ours becomes `LTI_INTERNAL_ERROR`, whose
 * message reveals nothing; the original failure stays on `cause`, for the host's logs only.
 */
export function asLtiError(error: unknown): LtiError {
  return LtiError.isLtiError(error) ? error : new LtiError('LTI_INTERNAL_ERROR', undefined, { cause: error });
}

/** Tells the hook about a refusal. Whatever the hook does, this resolves and the refusal stands. */
export async function notifyErrorHook<Endpoint extends string>(
  hook: LtiErrorHook<Endpoint> | undefined,
  error: LtiError,
  request: Request,
  endpoint: Endpoint,
): Promise<void> {
  if (hook === undefined) return;
  try {
    await hook(error, request, { endpoint });
  } catch {
    // Fail closed: a failing hook neither changes nor suppresses the refusal.
  }
}

/**
 * Answers a refusal: the response is built from the error first, then the hook is told, then that response is
 * returned unchanged, so nothing the hook does (mutating the error, returning a response, throwing) can turn the
 * refusal into anything else.
 */
export async function refuse<Endpoint extends string>(
  error: unknown,
  request: Request,
  respond: (error: LtiError, request: Request) => Response,
  hook: LtiErrorHook<Endpoint> | undefined,
  endpoint: Endpoint,
): Promise<Response> {
  const ltiError = asLtiError(error);
  const response = respond(ltiError, request);
  await notifyErrorHook(hook, ltiError, request, endpoint);
  return response;
}
