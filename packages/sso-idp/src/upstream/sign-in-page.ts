import type { SsoContext } from '../context.ts';
import { escapeHtml, htmlResponse } from '../http/html.ts';
import type { District } from '../ports.ts';

export interface SignInPageOptions {
  readonly district?: District;
  readonly districts?: readonly District[];
  readonly returnTo: string;
  readonly csrfToken: string;
  readonly loginHint?: string;
  readonly message?: string;
  /** The error code behind the message, for administrators. */
  readonly code?: string;
  readonly status?: number;
  readonly headers?: Record<string, string>;
}

/** The sign-in page: a district picker, or the district's sign-in methods (buttons and a password form). */
export function signInPage(sso: SsoContext, options: SignInPageOptions): Response {
  const base = sso.urls.basePath;
  const message =
    options.message === undefined
      ? ''
      : `<p class="refusal" id="signin-message" role="alert" data-code="${escapeHtml(options.code ?? '')}">${escapeHtml(options.message)}</p>`;
  if (options.district === undefined) {
    const links = (options.districts ?? [])
      .map((district) => {
        const href = `${base}/signin?district=${encodeURIComponent(district.districtId)}&return_to=${encodeURIComponent(options.returnTo)}`;
        return `<li><a href="${escapeHtml(href)}">${escapeHtml(district.name)}</a></li>`;
      })
      .join('\n');
    return htmlResponse(
      options.status ?? 200,
      'Sign in with Passport',
      `<main><h1>Sign in with Passport</h1>${message}<p>Choose your school district.</p><ul id="districts">${links}</ul></main>`,
      options.headers,
    );
  }
  const district = options.district;
  const methods = district.signInMethods
    .filter((method) => method.kind !== 'lms') // an LMS launch starts from the LMS, not from this page
    .map((method) => {
      if (method.kind === 'password') {
        return `<form method="post" action="${escapeHtml(`${base}/signin/password`)}" id="password-form">
<input type="hidden" name="csrf_token" value="${escapeHtml(options.csrfToken)}">
<input type="hidden" name="district" value="${escapeHtml(district.districtId)}">
<input type="hidden" name="method" value="${escapeHtml(method.id)}">
<input type="hidden" name="return_to" value="${escapeHtml(options.returnTo)}">
<label>Username <input name="username" autocomplete="username" required value="${escapeHtml(options.loginHint ?? '')}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`;
      }
      if (method.kind === 'badge') {
        const href = `${base}/signin/badge/${encodeURIComponent(district.districtId)}?return_to=${encodeURIComponent(options.returnTo)}`;
        return `<p><a class="button" id="badge-signin" href="${escapeHtml(href)}">${escapeHtml(method.name)}</a></p>`;
      }
      const href = `${base}/signin/upstream/${encodeURIComponent(district.districtId)}/${encodeURIComponent(method.id)}?return_to=${encodeURIComponent(options.returnTo)}`;
      return `<p><a class="button" id="upstream-${escapeHtml(method.id)}" href="${escapeHtml(href)}">Sign in with ${escapeHtml(method.name)}</a></p>`;
    })
    .join('\n');
  return htmlResponse(
    options.status ?? 200,
    `Sign in to ${district.name}`,
    `<main><h1>Sign in to ${escapeHtml(district.name)}</h1>${message}${methods}</main>`,
    options.headers,
  );
}
