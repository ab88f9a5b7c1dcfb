import { SsoError } from '../errors.ts';
import { escapeHtml, htmlResponse } from './html.ts';

/**
 * The page a person sees when something is refused or fails: what happened in plain words, and the code an
 * administrator can look up. Unknown failures become `SSO_INTERNAL_ERROR` without any detail.
 */
export function errorPage(error: unknown, extra = '', headers: Record<string, string> = {}): Response {
  const known = SsoError.isSsoError(error)
    ? error
    : new SsoError('SSO_INTERNAL_ERROR', undefined, { cause: error });
  const body = `<main class="refusal">
<h1>${escapeHtml(known.title)}</h1>
${known.description === known.title ? '' : `<p>${escapeHtml(known.description)}</p>`}
<p>If you think this is wrong, ask your teacher or your district’s technology administrator.</p>
<p><small>Code for your administrator: <code id="error-code">${escapeHtml(known.code)}</code></small></p>
${extra}
</main>`;
  return htmlResponse(known.status, known.title, body, headers);
}
