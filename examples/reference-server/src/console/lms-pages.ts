import { html } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { activatePlatform, listPlatforms, removePlatform } from '../lti/platforms.ts';
import { redirect, renderPage } from '../web/page.ts';
import type { ConsoleContext } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';

const isOperator = (account: { role: string }) => account.role === 'operator';

/**
 * LMS connections (operators): every LMS platform registered with Passport's LTI tool, by hand or by dynamic
 * registration. A platform that registered itself stays pending, its launches refused, until an operator activates
 * it here (or with `passport lti platform activate`); removing one stops its launches at once.
 */
export function registerLmsPages(router: Router, context: ConsoleContext, page: PageWrapper): void {
  const { auth, database } = context;

  router.get(
    '/console/lms',
    page(async (request, { url }) => {
      const session = await auth.require(request, isOperator);
      const platforms = await listPlatforms(database.sql);
      const action = (
        verb: string,
        platform: { issuer: string; clientId: string },
        label: string,
        style = '',
      ) =>
        html`<form method="post" action="/console/lms" class="inline"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="action" value="${verb}"><input type="hidden" name="issuer" value="${platform.issuer}"><input type="hidden" name="clientId" value="${platform.clientId}">
<button type="submit"${style === '' ? '' : html` class="${style}"`}>${label}</button></form>`;
      const origin = new URL(request.url).origin;
      return renderPage({
        title: 'LMS connections',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`<p>An LMS connects by LTI Advantage dynamic registration: its administrator enters
<code>${origin}/lti/register</code> as the tool's registration URL. The platform then waits here until you activate it.</p>
<div class="table"><table><thead><tr><th scope="col">LMS</th><th scope="col">Issuer</th><th scope="col">Client id</th><th scope="col">Deployments</th><th scope="col">Status</th><th scope="col"></th></tr></thead>
<tbody>${platforms.map(
          (
            platform,
          ) => html`<tr><td>${platform.name ?? '—'}</td><td><code>${platform.issuer}</code></td><td><code>${platform.clientId}</code></td>
<td>${platform.deploymentIds.join(', ')}</td><td><span class="status ${platform.status === 'active' ? 'granted' : 'requested'}">${platform.status}</span></td>
<td>${platform.status === 'pending' ? action('activate', platform, 'Activate') : ''}${action('remove', platform, 'Remove', 'danger')}</td></tr>`,
        )}</tbody></table></div>
${platforms.length === 0 ? html`<p>No LMS has registered yet.</p>` : ''}`,
      });
    }),
  );

  router.post(
    '/console/lms',
    page(async (request) => {
      const session = await auth.require(request, isOperator);
      const form = await auth.verifyForm(request, session);
      const key = { issuer: String(form.get('issuer') ?? ''), clientId: String(form.get('clientId') ?? '') };
      const verb = String(form.get('action') ?? '');
      const done =
        verb === 'activate'
          ? await activatePlatform(database.sql, key)
          : verb === 'remove'
            ? await removePlatform(database.sql, key)
            : undefined;
      if (done === undefined) {
        throw new ServerError('SERVER_BAD_REQUEST', 'No such LMS registration, or an unknown action.', {
          status: 400,
        });
      }
      return redirect('/console/lms');
    }),
  );
}
