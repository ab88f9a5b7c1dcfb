import { LtiError } from '../../errors.ts';
import type { LoginState, PlatformRegistration, PlatformRegistry } from '../../ports.ts';

/**
 * Step 5. The issuer must be the login's, and the registration is found by issuer **and** client id: the login's
 * client id when it named one, otherwise the audience member that is registered for this issuer.
 */
export async function findRegistration(input: {
  login: LoginState;
  issuer: string;
  audience: readonly string[];
  registry: PlatformRegistry;
}): Promise<PlatformRegistration> {
  const { login, issuer, audience, registry } = input;
  if (issuer !== login.issuer) {
    throw new LtiError(
      'LTI_ISSUER_MISMATCH',
      `The id_token issuer ${issuer} is not the login's issuer ${login.issuer}.`,
    );
  }
  let registration: PlatformRegistration | undefined;
  if (login.clientId !== undefined) {
    registration = await registry.getRegistration(issuer, login.clientId);
  } else {
    const candidates = await registry.listRegistrations({ issuer });
    if (candidates.length === 0)
      throw new LtiError('LTI_PLATFORM_UNKNOWN', `No platform is registered for issuer ${issuer}.`);
    registration = candidates.find((candidate) => audience.includes(candidate.clientId));
  }
  if (registration === undefined) {
    throw new LtiError(
      'LTI_CLIENT_UNKNOWN',
      `No registration of issuer ${issuer} matches the id_token audience.`,
    );
  }
  if (registration.status !== 'active') {
    throw new LtiError(
      'LTI_REGISTRATION_PENDING',
      `The registration of client id ${registration.clientId} is pending activation.`,
    );
  }
  return registration;
}
