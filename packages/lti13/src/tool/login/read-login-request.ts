import { LtiError } from '../../errors.ts';
import { parameter, readParameters } from '../../http/parameters.ts';

/** The parameters of an OIDC third-party initiated login (LTI 1.3 core §4.1; Moodle POSTs, Schoology GETs). */
export interface LoginRequest {
  readonly issuer: string;
  readonly loginHint: string;
  readonly targetLinkUri: string;
  readonly messageHint?: string | undefined;
  readonly deploymentId?: string | undefined;
  readonly clientId?: string | undefined;
  /** `lti_storage_target`: the frame that offers client-side platform storage. */
  readonly storageTarget?: string | undefined;
}

export async function readLoginRequest(request: Request): Promise<LoginRequest> {
  if (request.method !== 'GET' && request.method !== 'POST') {
    throw new LtiError(
      'LTI_LOGIN_REQUEST_INVALID',
      `Login initiation arrived as ${request.method}; use GET or POST.`,
    );
  }
  const parameters = await readParameters(request);
  const missing = ['iss', 'login_hint', 'target_link_uri'].filter(
    (name) => parameter(parameters, name) === undefined,
  );
  if (missing.length > 0) {
    throw new LtiError('LTI_LOGIN_REQUEST_INVALID', `The login initiation lacks ${missing.join(', ')}.`);
  }
  return {
    issuer: parameter(parameters, 'iss') as string,
    loginHint: parameter(parameters, 'login_hint') as string,
    targetLinkUri: parameter(parameters, 'target_link_uri') as string,
    messageHint: parameter(parameters, 'lti_message_hint'),
    deploymentId: parameter(parameters, 'lti_deployment_id'),
    clientId: parameter(parameters, 'client_id'),
    storageTarget: parameter(parameters, 'lti_storage_target'),
  };
}
