import { parseRoles } from '../../claims/roles.ts';
import { optionalClaimSchemas } from '../../claims/schemas.ts';
import { claimUris, type LaunchMessageType } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';
import type { Deployment, PlatformRegistration } from '../../ports.ts';
import type { LtiLaunch } from './launch.ts';

type OptionalClaims = typeof optionalClaimSchemas;
type ParsedOptional = { [Uri in keyof OptionalClaims]?: import('zod').output<OptionalClaims[Uri]> };

function parseOptionalClaims(payload: Readonly<Record<string, unknown>>): ParsedOptional {
  const parsed: Record<string, unknown> = {};
  for (const [uri, schema] of Object.entries(optionalClaimSchemas)) {
    const value = payload[uri];
    if (value === undefined || value === null) continue;
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.length ? `.${issue.path.join('.')}` : '';
      throw new LtiError(
        'LTI_CLAIM_INVALID',
        `The claim ${uri}${field} is invalid: ${issue?.message ?? 'invalid'}.`,
      );
    }
    parsed[uri] = result.data;
  }
  return parsed as ParsedOptional;
}

/** Step 17. Parses every claim with its zod schema into the typed launch. */
export function parseClaims(input: {
  payload: Readonly<Record<string, unknown>>;
  messageType: LaunchMessageType;
  registration: PlatformRegistration;
  deployment: Deployment;
  targetLinkUri: string;
  stateBinding: LtiLaunch['stateBinding'];
}): LtiLaunch {
  const { payload } = input;
  const claims = parseOptionalClaims(payload);
  const text = (name: string): string | undefined => {
    const value = payload[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string')
      throw new LtiError('LTI_CLAIM_INVALID', `The user claim "${name}" must be a string.`);
    return value;
  };
  const user = {
    sub: text('sub'),
    name: text('name'),
    given_name: text('given_name'),
    family_name: text('family_name'),
    middle_name: text('middle_name'),
    email: text('email'),
    picture: text('picture'),
    locale: text('locale'),
  };
  return {
    messageType: input.messageType,
    version: '1.3.0',
    issuer: input.registration.issuer,
    clientId: input.registration.clientId,
    deploymentId: input.deployment.deploymentId,
    registration: input.registration,
    deployment: input.deployment,
    user: {
      id: user.sub,
      name: user.name,
      givenName: user.given_name,
      familyName: user.family_name,
      middleName: user.middle_name,
      email: user.email,
      picture: user.picture,
      locale: user.locale,
    },
    roles: parseRoles(payload[claimUris.roles] as string[]),
    roleScopeMentor: claims[claimUris.roleScopeMentor],
    context: claims[claimUris.context],
    resourceLink: claims[claimUris.resourceLink],
    targetLinkUri: input.targetLinkUri,
    launchPresentation: claims[claimUris.launchPresentation],
    lis: claims[claimUris.lis],
    custom: claims[claimUris.custom],
    toolPlatform: claims[claimUris.toolPlatform],
    ags: claims[claimUris.ags],
    nrps: claims[claimUris.nrps],
    deepLinkingSettings: claims[claimUris.deepLinkingSettings],
    forUser: claims[claimUris.forUser],
    lti1p1: claims[claimUris.lti1p1],
    stateBinding: input.stateBinding,
    claims: payload,
  };
}
