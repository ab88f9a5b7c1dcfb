import type { Browser } from './browser.ts';
import type { Harness } from './harness.ts';
import type { AuthorizationRequest, RelyingParty } from './relying-party.ts';

export interface FlowEnd {
  readonly url: string;
  readonly status: number;
  readonly body: string;
  /** Set when the flow came back to the relying party. */
  readonly code?: string;
  readonly error?: string;
}

/** The error code Passport's refusal page shows, if the page is one. */
export function errorCodeOf(body: string): string | undefined {
  return /<code id="error-code">([A-Z_]+)<\/code>/.exec(body)?.[1] ?? /data-code="([A-Z_]+)"/.exec(body)?.[1];
}

/**
 * Runs an authorization request in the browser: follows redirects, signs in with a password when the sign-in page
 * appears (as `username`, when given), and stops at the relying party's redirect URI or at a page.
 */
export async function authorize(
  harness: Harness,
  browser: Browser,
  rp: RelyingParty,
  request: AuthorizationRequest,
  username?: string,
): Promise<FlowEnd> {
  let step = await browser.follow(request.url, { stopAt: rp.redirectUri });
  if (username !== undefined && new URL(step.url).pathname.endsWith('/signin')) {
    const posted = await harness.signInWithPassword(browser, step.url, step.body, username);
    const location = posted.headers.get('location');
    if (location === null) return { url: step.url, status: posted.status, body: await posted.text() };
    step = await browser.follow(new URL(location, step.url).href, { stopAt: rp.redirectUri });
  }
  return finish(rp, request, step);
}

export function finish(
  rp: RelyingParty,
  request: AuthorizationRequest,
  step: { url: string; response: Response; body: string },
): FlowEnd {
  if (step.url.startsWith(rp.redirectUri)) {
    const result = rp.callback(step.url, request.state);
    return {
      url: step.url,
      status: step.response.status,
      body: '',
      ...(result.code === undefined ? {} : { code: result.code }),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
  }
  return { url: step.url, status: step.response.status, body: step.body };
}

/** Signs in to Passport directly (no app), leaving the session cookie in the browser. */
export async function signInToPassport(
  harness: Harness,
  browser: Browser,
  username: string,
): Promise<Response> {
  const page = await browser.follow(`${harness.baseUrl}/signin?district=district-maple`);
  return harness.signInWithPassword(browser, page.url, page.body, username);
}
