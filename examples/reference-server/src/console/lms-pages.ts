import { html } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import {
  activatePlatform,
  addDeployment,
  addPlatform,
  listPlatforms,
  removePlatform,
} from '../lti/platforms.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
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
      const [platforms, instances, tenants] = await Promise.all([
        listPlatforms(database.sql),
        context.lmsInstances?.list() ?? Promise.resolve([]),
        createTenantStore({ db: database.db }).list(),
      ]);
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
<td>${platform.deploymentIds.join(', ')}<form method="post" action="/console/lms" class="inline"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="action" value="deployment"><input type="hidden" name="issuer" value="${platform.issuer}"><input type="hidden" name="clientId" value="${platform.clientId}">
<label>Deployment id <input name="deploymentId" required maxlength="255" size="12"></label> <button type="submit">Add</button></form></td><td><span class="status ${platform.status === 'active' ? 'granted' : 'requested'}">${platform.status}</span></td>
<td>${platform.status === 'pending' ? action('activate', platform, 'Activate') : ''}${action('remove', platform, 'Remove', 'danger')}</td></tr>`,
        )}</tbody></table></div>
${platforms.length === 0 ? html`<p>No LMS has registered yet.</p>` : ''}
<h2>Register an LMS by hand</h2>
<p class="muted">For an LMS without dynamic registration: the values its administrator sees for the tool
(login <code>${origin}/lti/login</code>, launch <code>${origin}/lti/launch</code>, keys <code>${origin}/lti/jwks</code>).</p>
<form class="stack" method="post" action="/console/lms"><input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="action" value="add">
<label>Name <input name="name" maxlength="200"></label>
<label>Issuer <input name="issuer" type="url" required></label>
<label>Client id <input name="clientId" required></label>
<label>Authorization endpoint <input name="authorizationEndpoint" type="url" required></label>
<label>Token endpoint <input name="tokenEndpoint" type="url" required></label>
<label>Key set URL <input name="jwksUri" type="url" required></label>
<label>Deployment ids (comma-separated) <input name="deploymentIds" required></label>
<button type="submit">Register</button></form>
<h2>LMS instances by district</h2>
<p class="muted">An LMS instance appears at its first launch. Grade sync and the content picker use its district's
Coursera connection and roster.</p>
${
  instances.length === 0
    ? html`<p>No launch yet.</p>`
    : html`<div class="table"><table><thead><tr><th scope="col">LMS instance</th><th scope="col">Issuer</th><th scope="col">District</th></tr></thead>
<tbody>${instances.map(
        (instance) => html`<tr><td><code>${instance.lmsId}</code></td><td><code>${instance.issuer}</code></td>
<td><form method="post" action="/console/lms" class="inline"><input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="action" value="assign"><input type="hidden" name="lms" value="${instance.lmsId}">
<label for="district-${instance.lmsId}">District</label> <select id="district-${instance.lmsId}" name="tenant">${tenants.map(
          (tenant) =>
            html`<option value="${tenant.id}"${tenant.id === instance.tenantId ? html` selected` : ''}>${tenant.name}</option>`,
        )}</select> <button type="submit">Assign</button></form></td></tr>`,
      )}</tbody></table></div>`
}`,
      });
    }),
  );

  router.post(
    '/console/lms',
    page(async (request) => {
      const session = await auth.require(request, isOperator);
      const form = await auth.verifyForm(request, session);
      const verb = String(form.get('action') ?? '');
      const field = (name: string) => String(form.get(name) ?? '').trim();
      if (verb === 'add') {
        const urlField = (name: string) => {
          const value = field(name);
          if (!/^https?:\/\//.test(value) || !URL.canParse(value)) {
            throw new ServerError('SERVER_BAD_REQUEST', `${name} must be an http(s) URL.`, { status: 400 });
          }
          return value;
        };
        const deploymentIds = field('deploymentIds')
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '');
        if (field('clientId') === '' || deploymentIds.length === 0) {
          throw new ServerError(
            'SERVER_BAD_REQUEST',
            'A client id and at least one deployment id are needed.',
            {
              status: 400,
            },
          );
        }
        const added = await addPlatform(database.sql, {
          issuer: urlField('issuer'),
          clientId: field('clientId'),
          ...(field('name') === '' ? {} : { name: field('name') }),
          authorizationEndpoint: urlField('authorizationEndpoint'),
          tokenEndpoint: urlField('tokenEndpoint'),
          jwksUri: urlField('jwksUri'),
          deploymentIds,
        });
        if (added.outcome === 'exists') {
          throw new ServerError('SERVER_BAD_REQUEST', 'This issuer and client id are already registered.', {
            status: 409,
          });
        }
        return redirect('/console/lms');
      }
      if (verb === 'assign') {
        const tenant = await createTenantStore({ db: database.db }).get(field('tenant'));
        const assigned =
          tenant === undefined
            ? undefined
            : await context.lmsInstances?.assignTenant(field('lms'), tenant.id);
        if (assigned === undefined) {
          throw new ServerError('SERVER_BAD_REQUEST', 'No such LMS instance or district.', { status: 400 });
        }
        return redirect('/console/lms');
      }
      const key = { issuer: field('issuer'), clientId: field('clientId') };
      if (verb === 'deployment') {
        const deploymentId = field('deploymentId');
        if (deploymentId === '' || deploymentId.length > 255) {
          throw new ServerError(
            'SERVER_BAD_REQUEST',
            'Give the deployment id the LMS shows (1 to 255 characters).',
            {
              status: 400,
            },
          );
        }
        if ((await addDeployment(database.sql, key, deploymentId)) === undefined) {
          throw new ServerError('SERVER_BAD_REQUEST', 'No such LMS registration.', { status: 400 });
        }
        return redirect('/console/lms');
      }
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
