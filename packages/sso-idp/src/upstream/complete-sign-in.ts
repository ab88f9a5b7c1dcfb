import type { SsoContext } from '../context.ts';
import { redirect } from '../http/respond.ts';
import type { RosterUser } from '../ports.ts';

/**
 * The end of every sign-in method: a new Passport session (never the old one: no fixation), an audit entry, and
 * a redirect to the page the person was going to (already checked to be a path on this server).
 */
export async function completeSignIn(
  sso: SsoContext,
  request: Request,
  signIn: {
    user: RosterUser;
    methodId: string;
    amr: readonly string[];
    returnTo: string;
    ip?: string | undefined;
    /** Small, non-secret facts for the audit entry (the badge id). */
    detail?: Readonly<Record<string, string>>;
  },
): Promise<Response> {
  const { setCookie } = await sso.sessions.start(request, {
    userId: signIn.user.userId,
    districtId: signIn.user.districtId,
    signInMethodId: signIn.methodId,
    amr: signIn.amr,
  });
  await sso.audit({
    type: 'signin.succeeded',
    userId: signIn.user.userId,
    districtId: signIn.user.districtId,
    via: signIn.methodId,
    ...(signIn.ip === undefined ? {} : { ip: signIn.ip }),
    ...(signIn.detail === undefined ? {} : { detail: signIn.detail }),
  });
  return redirect(signIn.returnTo, 303, { 'set-cookie': setCookie });
}
