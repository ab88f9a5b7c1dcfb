import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { clientAddress } from '../../http/forms.ts';
import type { LmsUpstream, VerifiedLaunch } from '../../ports.ts';
import { completeSignIn } from '../complete-sign-in.ts';
import { matchRosterUser } from '../match-roster-user.ts';

/** The LMS sign-in method a launch belongs to: same issuer, and client id and deployment when configured. */
export async function findLmsMethod(
  sso: SsoContext,
  launch: VerifiedLaunch,
): Promise<{ districtId: string; method: LmsUpstream }> {
  for (const district of await sso.districts.listDistricts()) {
    for (const method of district.signInMethods) {
      if (method.kind !== 'lms' || method.issuer !== launch.issuer) continue;
      if (method.clientId !== undefined && method.clientId !== launch.clientId) continue;
      if (method.deploymentIds !== undefined && !method.deploymentIds.includes(launch.deploymentId)) continue;
      return { districtId: district.districtId, method };
    }
  }
  throw new SsoError('SSO_SIGNIN_METHOD_UNAVAILABLE', 'No district signs in with this LMS registration.', {
    detail: { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId },
  });
}

/**
 * "Sign in with the LMS": a launch the host verified (with `@passport/lti13`) becomes a Passport session for the
 * roster user it matches, then the browser goes on to `returnTo` (a path on this server, the portal by default).
 */
export async function lmsSignIn(
  sso: SsoContext,
  request: Request,
  launch: VerifiedLaunch,
  returnTo: string,
): Promise<Response> {
  const { districtId, method } = await findLmsMethod(sso, launch);
  const ip = clientAddress(request, sso.trustForwardedFor);
  const user = await matchRosterUser(
    sso,
    districtId,
    method.match,
    { methodId: method.id, claims: { sub: launch.subject, ...launch.claims } },
    { ip },
  );
  return completeSignIn(sso, request, { user, methodId: method.id, amr: ['lms'], returnTo, ip });
}
