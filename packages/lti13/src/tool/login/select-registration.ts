import { LtiError } from '../../errors.ts';
import type { PlatformRegistration, PlatformRegistry } from '../../ports.ts';
import type { LoginRequest } from './read-login-request.ts';

/**
 * The registration a login is for: by issuer and client id; when the platform sends no client id, the issuer's
 * only registration (several make the login ambiguous). A named deployment must be registered too.
 */
export async function selectRegistration(
  login: LoginRequest,
  registry: PlatformRegistry,
): Promise<PlatformRegistration> {
  const candidates = await registry.listRegistrations({ issuer: login.issuer });
  if (candidates.length === 0) {
    throw new LtiError('LTI_PLATFORM_UNKNOWN', `No platform is registered for issuer ${login.issuer}.`);
  }
  let registration: PlatformRegistration | undefined;
  if (login.clientId !== undefined) {
    registration = candidates.find((candidate) => candidate.clientId === login.clientId);
    if (registration === undefined) {
      throw new LtiError(
        'LTI_CLIENT_UNKNOWN',
        `Client id ${login.clientId} is not registered for issuer ${login.issuer}.`,
      );
    }
  } else if (candidates.length === 1) {
    registration = candidates[0] as PlatformRegistration;
  } else {
    throw new LtiError(
      'LTI_CLIENT_AMBIGUOUS',
      `Issuer ${login.issuer} has ${candidates.length} registrations and the login named no client_id.`,
    );
  }
  if (registration.status !== 'active') {
    throw new LtiError(
      'LTI_REGISTRATION_PENDING',
      `The registration of client id ${registration.clientId} at ${registration.issuer} is pending: an administrator must activate it before launches work.`,
    );
  }
  if (login.deploymentId !== undefined) {
    const deployment = await registry.getDeployment(
      registration.issuer,
      registration.clientId,
      login.deploymentId,
    );
    if (deployment === undefined) {
      throw new LtiError(
        'LTI_DEPLOYMENT_UNKNOWN',
        `Deployment ${login.deploymentId} is not registered for issuer ${registration.issuer} and client id ${registration.clientId}.`,
      );
    }
  }
  return registration;
}
