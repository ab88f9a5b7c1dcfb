import { escapeHtml, htmlResponse } from '../../http/html.ts';
import type { AppRegistration, ClaimName } from '../../ports.ts';

const claimLabels: Record<ClaimName, string> = {
  name: 'Your name',
  given_name: 'Your first name',
  family_name: 'Your last name',
  email: 'Your email address',
  role: 'Your role (student, teacher, ...)',
  district_id: 'Your district',
  school_ids: 'Your school',
  grades: 'Your grade',
  class_ids: 'Your classes',
  roster_sourced_id: 'Your id in the school roster',
};

/** Asks the person whether the app may receive the listed information (only what the grant allows). */
export function consentPage(options: {
  app: AppRegistration;
  claims: readonly ClaimName[];
  confirmAction: string;
  abortAction: string;
  csrfToken: string;
  headers?: Record<string, string>;
}): Response {
  const items = options.claims.map((claim) => `<li>${escapeHtml(claimLabels[claim])}</li>`).join('\n');
  const csrf = `<input type="hidden" name="csrf_token" value="${escapeHtml(options.csrfToken)}">`;
  const body = `<main>
<h1>${escapeHtml(options.app.name)} would like to know</h1>
<ul id="consent-claims">
${items || '<li>Only that you are signed in</li>'}
</ul>
<p>Your district allows this app. You can say no; you will not be signed in to it.</p>
<form method="post" action="${escapeHtml(options.confirmAction)}">${csrf}<button type="submit" id="consent-allow">Allow</button></form>
<form method="post" action="${escapeHtml(options.abortAction)}">${csrf}<button class="secondary" type="submit" id="consent-deny">Don’t allow</button></form>
</main>`;
  return htmlResponse(200, `Allow ${options.app.name}?`, body, options.headers);
}
