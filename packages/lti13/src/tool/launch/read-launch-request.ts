import { LtiError } from '../../errors.ts';
import { parameter, readParameters } from '../../http/parameters.ts';

export interface LaunchRequest {
  readonly idToken: string;
  readonly state: string;
  /** The state value read back from the platform's client-side storage by the verification page. */
  readonly storageState?: string | undefined;
}

/**
 * Step 1. The platform posts the authentication response (`response_mode=form_post`): `id_token` and `state`, or
 * `error` when it refused the login. A refusal is the platform's answer, reported as such, not as a bad token.
 */
export async function readLaunchRequest(request: Request): Promise<LaunchRequest> {
  if (request.method !== 'POST') {
    throw new LtiError(
      'LTI_LAUNCH_REQUEST_INVALID',
      `The launch arrived as ${request.method}; it must be a form POST.`,
    );
  }
  const parameters = await readParameters(request);
  const error = parameter(parameters, 'error');
  if (error !== undefined) {
    const description = parameter(parameters, 'error_description');
    throw new LtiError(
      'LTI_PLATFORM_REFUSED_LOGIN',
      `The platform refused the login: ${error}${description === undefined ? '' : ` (${description})`}.`,
    );
  }
  const idToken = parameter(parameters, 'id_token');
  if (idToken === undefined) throw new LtiError('LTI_ID_TOKEN_MISSING');
  const state = parameter(parameters, 'state');
  if (state === undefined) throw new LtiError('LTI_STATE_MISSING');
  return { idToken, state, storageState: parameter(parameters, 'lti_storage_state') };
}
