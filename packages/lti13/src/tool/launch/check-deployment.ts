import { claimUris } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';
import type { Deployment, PlatformRegistration, PlatformRegistry } from '../../ports.ts';

/** Step 14. `deployment_id` must be present and registered for this issuer and client id. */
export async function checkDeployment(input: {
  payload: Readonly<Record<string, unknown>>;
  registration: PlatformRegistration;
  registry: PlatformRegistry;
}): Promise<Deployment> {
  const deploymentId = input.payload[claimUris.deploymentId];
  if (deploymentId === undefined || deploymentId === '') throw new LtiError('LTI_DEPLOYMENT_ID_MISSING');
  if (typeof deploymentId !== 'string') {
    throw new LtiError('LTI_CLAIM_INVALID', 'The deployment_id claim must be a string.');
  }
  const { issuer, clientId } = input.registration;
  const deployment = await input.registry.getDeployment(issuer, clientId, deploymentId);
  if (deployment === undefined) {
    throw new LtiError(
      'LTI_DEPLOYMENT_UNKNOWN',
      `Deployment ${deploymentId} is not registered for issuer ${issuer} and client id ${clientId}.`,
    );
  }
  return deployment;
}
