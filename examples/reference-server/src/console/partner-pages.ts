import { html } from '@passport/core';
import { oneRosterScopes } from '@passport/oneroster';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { oneRosterBasePath } from '../roster/roster-service.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
import { redirect, renderPage, when } from '../web/page.ts';
import type { ConsoleAccount } from './accounts.ts';
import { actorOf, type ConsoleContext, createAccountFromForm } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';

const isOperator = (account: ConsoleAccount) => account.role === 'operator';
/** A partner's pages: its own developers and operators. */
export const canManagePartner = (partnerId: string) => (account: ConsoleAccount) =>
  account.role === 'operator' || (account.role === 'partner_developer' && account.partnerId === partnerId);

/** Partner pages: the application, its districts (request access, accept invitations), credentials and usage. */
export function registerPartnerPages(router: Router, context: ConsoleContext, page: PageWrapper): void {
  const { auth, partners, database } = context;
  const tenants = createTenantStore({ db: database.db });

  router.get(
    '/console/partners',
    page(async (request, { url }) => {
      const session = await auth.require(request, isOperator);
      const list = await partners.list();
      return renderPage({
        title: 'Partners',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`<div class="table"><table><thead><tr><th scope="col">Partner</th><th scope="col">Application</th><th scope="col">Id</th></tr></thead>
<tbody>${list.map(
          (partner) =>
            html`<tr><td><a href="/console/partners/${partner.id}">${partner.name}</a></td><td>${partner.appName}</td><td><code>${partner.id}</code></td></tr>`,
        )}</tbody></table></div>
<h2>Add a partner</h2>
<form class="stack" method="post" action="/console/partners">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<label>Company <input name="name" required maxlength="200"></label>
<label>Id <input name="id" required pattern="[a-z0-9][a-z0-9-]*" maxlength="63" autocomplete="off"></label>
<label>Application name <input name="appName" required maxlength="200"></label>
<label>What the application does <textarea name="appDescription" maxlength="2000" rows="3"></textarea></label>
<button type="submit">Add partner</button>
</form>`,
      });
    }),
  );

  router.post(
    '/console/partners',
    page(async (request) => {
      const session = await auth.require(request, isOperator);
      const form = await auth.verifyForm(request, session);
      const partner = await partners.create(
        {
          id: String(form.get('id') ?? '').trim(),
          name: String(form.get('name') ?? ''),
          appName: String(form.get('appName') ?? ''),
          appDescription: String(form.get('appDescription') ?? ''),
        },
        actorOf(session.account),
      );
      return redirect(`/console/partners/${partner.id}`);
    }),
  );

  router.post(
    '/console/partners/:partner/developers',
    page(async (request, { params }) => {
      const session = await auth.require(request, isOperator);
      const form = await auth.verifyForm(request, session);
      const partnerId = params.partner ?? '';
      if ((await partners.get(partnerId)) === undefined) {
        throw new ServerError('SERVER_PARTNER_NOT_FOUND', `No partner ${partnerId}.`, { status: 404 });
      }
      await createAccountFromForm(
        context,
        form,
        { role: 'partner_developer', partnerId },
        actorOf(session.account),
      );
      return redirect(`/console/partners/${partnerId}`);
    }),
  );

  async function partnerPage(request: Request, partnerId: string, path: string, secret?: Secret) {
    const session = await auth.require(request, canManagePartner(partnerId));
    const partner = await partners.get(partnerId);
    if (partner === undefined) {
      throw new ServerError('SERVER_PARTNER_NOT_FOUND', `No partner ${partnerId}.`, { status: 404 });
    }
    const [access, districts, usage, developers] = await Promise.all([
      partners.listForPartner(partnerId),
      tenants.list(),
      partners.usage(partnerId),
      context.accounts.list({ partnerId }),
    ]);
    const names = new Map(districts.map((tenant) => [tenant.id, tenant.name]));
    const form = (verb: string, tenantId: string, label: string, style = '') =>
      html`<form method="post" action="/console/partners/${partnerId}/access"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="action" value="${verb}"><input type="hidden" name="tenant" value="${tenantId}"><button type="submit"${style === '' ? '' : html` class="${style}"`}>${label}</button></form>`;
    const open = districts.filter(
      (tenant) => !access.some((item) => item.tenantId === tenant.id && item.status !== 'declined'),
    );
    const origin = new URL(request.url).origin;
    return renderPage({
      title: partner.appName,
      who: session.who,
      nav: session.nav,
      path,
      body: html`<p>${partner.name}. ${partner.appDescription}</p>
${
  secret === undefined
    ? ''
    : html`<div class="notice good" role="status"><p>New OneRoster API credentials for ${names.get(secret.tenantId) ?? secret.tenantId}
(scopes ${secret.scopes.join(', ')}). Copy the secret now: it is not shown again.</p>
<dl><dt>Client id</dt><dd><code>${secret.clientId}</code></dd><dt>Client secret</dt><dd><code>${secret.clientSecret}</code></dd>
<dt>Token endpoint</dt><dd><code>${origin}/oauth/token</code></dd><dt>API base</dt><dd><code>${origin}${oneRosterBasePath}</code></dd></dl></div>`
}
<h2>Districts</h2>
<div class="table"><table><thead><tr><th scope="col">District</th><th scope="col">Status</th><th scope="col">Granted scopes</th><th scope="col">Credential</th><th scope="col"></th></tr></thead>
<tbody>${access.map(
        (
          item,
        ) => html`<tr><td>${names.get(item.tenantId) ?? item.tenantId}</td><td><span class="status ${item.status}">${item.status}</span></td>
<td>${item.grantedScopes.join(', ') || (item.status === 'invited' ? `offered: ${item.requestedScopes.join(', ')}` : '—')}</td>
<td>${item.clientId === null ? '—' : html`<code>${item.clientId}</code>`}</td>
<td>${
          item.status === 'invited'
            ? html`${form('accept', item.tenantId, 'Accept invitation')}${form('decline', item.tenantId, 'Decline', 'secondary')}`
            : item.status === 'granted'
              ? form(
                  'credentials',
                  item.tenantId,
                  item.clientId === null ? 'Create API credentials' : 'Replace API credentials',
                )
              : ''
        }</td></tr>`,
      )}</tbody></table></div>
${
  open.length === 0
    ? ''
    : html`<h2>Request access to a district</h2><form class="stack" method="post" action="/console/partners/${partnerId}/access">
<input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="action" value="request">
<label for="request-tenant">District</label> <select id="request-tenant" name="tenant">${open.map((tenant) => html`<option value="${tenant.id}">${tenant.name}</option>`)}</select>
<fieldset><legend>Scopes your application needs</legend>${oneRosterScopes.map(
        (scope) =>
          html`<label><span><input type="checkbox" name="scope" value="${scope}"${scope === 'roster-core.readonly' ? html` checked` : ''}> ${scope}</span></label>`,
      )}</fieldset>
<label>Message to the district <textarea name="message" maxlength="2000" rows="2"></textarea></label>
<button type="submit">Send request</button></form>`
}
<h2>API usage (last 14 days)</h2>
${
  usage.length === 0
    ? html`<p>No API requests yet.</p>`
    : html`<div class="table"><table><thead><tr><th scope="col">Day (UTC)</th><th scope="col">District</th><th scope="col">Client id</th><th scope="col">Requests</th></tr></thead>
<tbody>${usage.map((row) => html`<tr><td>${row.day}</td><td>${names.get(row.tenantId) ?? row.tenantId}</td><td><code>${row.clientId}</code></td><td>${row.requests}</td></tr>`)}</tbody></table></div>`
}
<h2>Developers</h2>
<ul>${developers.map((developer) => html`<li>${developer.displayName} (<code>${developer.username}</code>)</li>`)}</ul>
${
  session.account.role === 'operator'
    ? html`<form class="stack" method="post" action="/console/partners/${partnerId}/developers">
<input type="hidden" name="_csrf" value="${session.csrfToken}"><fieldset><legend>Add a developer</legend>
<label>Name <input name="displayName" required maxlength="200"></label>
<label>Username <input name="username" required autocomplete="off"></label>
<label>Initial password <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">Add developer</button></fieldset></form>`
    : ''
}
<p class="muted">Updated ${when(new Date())}.</p>`,
    });
  }

  router.get(
    '/console/partners/:partner',
    page(async (request, { params, url }) => partnerPage(request, params.partner ?? '', url.pathname)),
  );

  router.post(
    '/console/partners/:partner/access',
    page(async (request, { params, url }) => {
      const partnerId = params.partner ?? '';
      const session = await auth.require(request, canManagePartner(partnerId));
      const form = await auth.verifyForm(request, session);
      const tenantId = String(form.get('tenant') ?? '');
      const actor = actorOf(session.account);
      switch (String(form.get('action') ?? '')) {
        case 'request':
          await partners.request(
            {
              partnerId,
              tenantId,
              scopes: form.getAll('scope').map(String),
              message: String(form.get('message') ?? ''),
            },
            actor,
          );
          break;
        case 'accept':
          await partners.acceptInvitation(partnerId, tenantId, actor);
          break;
        case 'decline':
          await partners.decline(partnerId, tenantId, actor);
          break;
        case 'credentials': {
          // The secret is shown on this response only (not after a redirect), like every API secret.
          const issued = await partners.createCredential(partnerId, tenantId, actor);
          return partnerPage(request, partnerId, `/console/partners/${partnerId}`, { tenantId, ...issued });
        }
        default:
          throw new ServerError('SERVER_BAD_REQUEST', 'Unknown action.', { status: 400 });
      }
      return redirect(url.pathname.replace(/\/access$/, ''));
    }),
  );
}

interface Secret {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
}
