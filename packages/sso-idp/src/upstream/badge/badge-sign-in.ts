import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { clientAddress } from '../../http/forms.ts';
import { escapeHtml, htmlHeaders, htmlResponse } from '../../http/html.ts';
import { withCookies } from '../../http/respond.ts';
import { equalTokens } from '../../sessions/tokens.ts';
import { completeSignIn } from '../complete-sign-in.ts';
import type { SignInThrottle } from '../password/limits.ts';
import { badgePageScript, badgePageScriptHash } from './badge-page-script.ts';
import { decoyBadgeHash, hashBadgeSecret, parseBadgeToken } from './badge-token.ts';
import { badgeMethodOf, checkBadgeHolder } from './issue-badge.ts';

interface BadgePageOptions {
  readonly districtId: string;
  readonly districtName: string;
  readonly returnTo: string;
  readonly csrfToken: string;
  readonly error?: SsoError;
}

function badgePage(sso: SsoContext, options: BadgePageOptions): Response {
  const action = `${sso.urls.basePath}/signin/badge/${encodeURIComponent(options.districtId)}`;
  const message =
    options.error === undefined
      ? ''
      : `<p class="refusal" id="signin-message" role="alert" data-code="${escapeHtml(options.error.code)}">${escapeHtml(options.error.title)}</p>`;
  const body = `<main><h1>Sign in to ${escapeHtml(options.districtName)} with your badge</h1>${message}
<p>Hold your badge up to the camera, or open the link on your badge.</p>
<form method="post" action="${escapeHtml(action)}" id="badge-form">
<input type="hidden" name="csrf_token" value="${escapeHtml(options.csrfToken)}">
<input type="hidden" name="return_to" value="${escapeHtml(options.returnTo)}">
<label>Badge code <input name="badge" type="password" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
<div id="badge-scanner" hidden><p><button type="button" id="scan-badge">Scan my badge</button></p>
<p id="scan-message" role="status"></p><video id="badge-camera" playsinline muted hidden width="320"></video></div>
</main>
<script>${badgePageScript}</script>`;
  return htmlResponse(
    options.error?.status ?? 200,
    `Sign in to ${options.districtName}`,
    body,
    htmlHeaders([badgePageScriptHash]),
  );
}

/** `GET /signin/badge/:district`: the page a badge URL opens (its script posts the token from the fragment). */
export async function showBadgePage(
  sso: SsoContext,
  request: Request,
  districtId: string,
  returnTo: string,
): Promise<Response> {
  await badgeMethodOf(sso, districtId);
  const district = await sso.districts.getDistrict(districtId);
  const csrf = sso.csrf.issue(request);
  return withCookies(
    badgePage(sso, {
      districtId,
      districtName: district?.name ?? districtId,
      returnTo,
      csrfToken: csrf.token,
    }),
    [csrf.setCookie],
  );
}

/**
 * `POST /signin/badge/:district`: signs in the one student the badge belongs to, in this district only. A badge
 * is reusable (it is scanned every school day) until it is revoked, replaced or expired; the post itself needs
 * the CSRF cookie of the browser that loaded the page, and every sign-in starts a new session. Unknown badges,
 * wrong secrets and other districts' badges get the same answer (`SSO_BADGE_INVALID`) and count towards the same
 * brute-force limits as passwords (per address, and a lockout per badge).
 */
export async function badgeSignIn(
  sso: SsoContext,
  throttle: SignInThrottle,
  request: Request,
  districtId: string,
  form: URLSearchParams,
  returnTo: string,
): Promise<Response> {
  const method = await badgeMethodOf(sso, districtId);
  const district = await sso.districts.getDistrict(districtId);
  const now = sso.clock.now();
  const ip = clientAddress(request, sso.trustForwardedFor);
  const token = parseBadgeToken(form.get('badge') ?? '');
  const badgeId = token?.badgeId ?? '-';
  const accountKey = `${districtId}:badge:${badgeId}`;

  const refuse = async (error: SsoError, type: 'signin.failed' | 'signin.locked', userId?: string) => {
    await sso.audit({
      type,
      districtId,
      via: method.id,
      code: error.code,
      ...(userId === undefined ? {} : { userId }),
      ...(ip === undefined ? {} : { ip }),
      detail: { badgeId },
    });
    const csrf = sso.csrf.issue(request);
    const page = badgePage(sso, {
      districtId,
      districtName: district?.name ?? districtId,
      returnTo,
      csrfToken: csrf.token,
      error,
    });
    return withCookies(page, [csrf.setCookie]);
  };
  const fail = async (userId?: string) => {
    const locked = await throttle.fail(ip, accountKey, now);
    return refuse(
      new SsoError(locked ? 'SSO_SIGNIN_LOCKED' : 'SSO_BADGE_INVALID'),
      locked ? 'signin.locked' : 'signin.failed',
      userId,
    );
  };

  const verdict = await throttle.admit(ip, accountKey, now);
  if (verdict === 'rate-limited') return refuse(new SsoError('SSO_SIGNIN_RATE_LIMITED'), 'signin.failed');
  if (verdict === 'locked') return refuse(new SsoError('SSO_SIGNIN_LOCKED'), 'signin.locked');
  if (token === undefined) return fail();

  const badge = await sso.badges.find(token.badgeId);
  const matches = equalTokens(hashBadgeSecret(token.secret), badge?.secretHash ?? decoyBadgeHash);
  if (badge === undefined || !matches || badge.districtId !== districtId) return fail();
  const revoked = badge.revokedAt !== undefined && badge.revokedAt.getTime() <= now.getTime();
  const expired = badge.expiresAt !== undefined && badge.expiresAt.getTime() <= now.getTime();
  if (revoked || expired) {
    await throttle.fail(ip, accountKey, now);
    return refuse(new SsoError('SSO_BADGE_REVOKED'), 'signin.failed', badge.userId);
  }
  let user: Awaited<ReturnType<typeof checkBadgeHolder>>;
  try {
    user = checkBadgeHolder(method, districtId, await sso.roster.findUser(badge.userId));
  } catch (error) {
    if (SsoError.isSsoError(error)) return refuse(error, 'signin.failed', badge.userId);
    throw error;
  }
  await throttle.succeed(accountKey);
  return completeSignIn(sso, request, {
    user,
    methodId: method.id,
    amr: ['badge'],
    returnTo,
    ip,
    detail: { badgeId: badge.badgeId },
  });
}
