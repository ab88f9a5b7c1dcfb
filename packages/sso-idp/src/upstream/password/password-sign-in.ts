import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { clientAddress } from '../../http/forms.ts';
import { withCookies } from '../../http/respond.ts';
import { completeSignIn } from '../complete-sign-in.ts';
import { signInPage } from '../sign-in-page.ts';
import { decoyHash, verifyPassword } from './hash-password.ts';
import type { SignInThrottle } from './limits.ts';

/**
 * `POST /signin/password` for districts with no identity provider of their own. The answer to a wrong username
 * and to a wrong password is the same (`SSO_SIGNIN_FAILED`), in the same time; attempts are rate-limited per
 * address and failures lock the account for a while (`SSO_SIGNIN_RATE_LIMITED`, `SSO_SIGNIN_LOCKED`).
 */
export async function passwordSignIn(
  sso: SsoContext,
  throttle: SignInThrottle,
  request: Request,
  form: URLSearchParams,
  returnTo: string,
): Promise<Response> {
  const districtId = form.get('district') ?? '';
  const methodId = form.get('method') ?? '';
  const username = (form.get('username') ?? '').trim().toLowerCase();
  const password = form.get('password') ?? '';
  const district = await sso.districts.getDistrict(districtId);
  if (district === undefined) throw new SsoError('SSO_DISTRICT_UNKNOWN');
  const method = district.signInMethods.find((candidate) => candidate.id === methodId);
  if (method?.kind !== 'password') throw new SsoError('SSO_SIGNIN_METHOD_UNAVAILABLE');
  const now = sso.clock.now();
  const ip = clientAddress(request, sso.trustForwardedFor);
  const accountKey = `${districtId}:${username}`;

  const refuse = async (error: SsoError, type: 'signin.failed' | 'signin.locked', userId?: string) => {
    await sso.audit({
      type,
      districtId,
      via: methodId,
      code: error.code,
      ...(userId === undefined ? {} : { userId }),
      ...(ip === undefined ? {} : { ip }),
      detail: { username: username.slice(0, 100) },
    });
    const csrf = sso.csrf.issue(request);
    return withCookies(
      signInPage(sso, {
        district,
        returnTo,
        csrfToken: csrf.token,
        loginHint: username,
        message: error.title,
        code: error.code,
        status: error.status,
      }),
      [csrf.setCookie],
    );
  };

  const verdict = await throttle.admit(ip, accountKey, now);
  if (verdict === 'rate-limited') return refuse(new SsoError('SSO_SIGNIN_RATE_LIMITED'), 'signin.failed');
  if (verdict === 'locked') return refuse(new SsoError('SSO_SIGNIN_LOCKED'), 'signin.locked');

  const credential = username === '' ? undefined : await sso.passwords.find(districtId, username);
  const matches = await verifyPassword(password, credential?.passwordHash ?? decoyHash);
  const user = credential === undefined ? undefined : await sso.roster.findUser(credential.userId);
  if (!matches || credential === undefined || user === undefined || !user.enabled) {
    const locked = await throttle.fail(ip, accountKey, now);
    return refuse(
      new SsoError(locked ? 'SSO_SIGNIN_LOCKED' : 'SSO_SIGNIN_FAILED'),
      locked ? 'signin.locked' : 'signin.failed',
      credential?.userId,
    );
  }
  await throttle.succeed(accountKey);
  return completeSignIn(sso, request, { user, methodId, amr: ['pwd'], returnTo, ip });
}
