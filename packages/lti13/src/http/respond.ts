import type { LtiError } from '../errors.ts';
import { escapeHtml, htmlHeaders, htmlPage } from './html.ts';
import { asLtiError } from './report-error.ts';

/** True when the client prefers JSON (an `Accept` naming `application/json` and not `text/html` first). */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  const json = accept.indexOf('application/json');
  if (json < 0) return false;
  const html = accept.indexOf('text/html');
  return html < 0 || json < html;
}

export function jsonResponse(body: unknown, init: ResponseInit & { contentType?: string } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', init.contentType ?? 'application/json');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** The JSON body of a refused request: the OAuth-style `error` plus our code and what to fix. */
export function errorBody(error: LtiError) {
  return {
    error: error.specError ?? 'server_error',
    error_description: error.description,
    code: error.code,
    fix: error.fix,
  };
}

/**
 * Turns anything a handler threw into a response: an `LtiError` answers with its status and a page (or JSON when
 * the request asks for it) naming the code and what to fix; anything else is a 500 that reveals nothing.
 */
export function errorResponse(error: unknown, request: Request): Response {
  // Anything that is not ours becomes a bare 500: its message may hold internals (kept on `cause`, never shown).
  const ltiError = asLtiError(error);
  if (wantsJson(request)) return jsonResponse(errorBody(ltiError), { status: ltiError.status });
  const body = `<h1>${escapeHtml(ltiError.title)}</h1>
<p>${escapeHtml(ltiError.description)}</p>
<p><strong>Error code:</strong> <code>${escapeHtml(ltiError.code)}</code></p>
<h2>What to fix</h2>
<p>${escapeHtml(ltiError.fix)}</p>`;
  return new Response(htmlPage(`LTI error ${ltiError.code}`, body), {
    status: ltiError.status,
    headers: htmlHeaders,
  });
}

/** Adds headers to a response, copying it when its headers are immutable (a fetched response). */
export function withHeaders(response: Response, extra: Iterable<[string, string]>): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of extra) headers.append(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
