import { html } from '@passport/core';
import { listAudit } from '../audit/audit-log.ts';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
import { redirect, renderPage, when } from '../web/page.ts';
import { actorOf, type ConsoleContext } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';

const isOperator = (account: { role: string }) => account.role === 'operator';

/** Operator pages: every district (create one), every partner (create one), and operations (database, audit). */
export function registerOperatorPages(router: Router, context: ConsoleContext, page: PageWrapper): void {
  const { auth, database } = context;
  const tenants = createTenantStore({ db: database.db });

  router.get(
    '/console/districts',
    page(async (request, { url }) => {
      const session = await auth.require(request, isOperator);
      const list = await tenants.list();
      return renderPage({
        title: 'Districts',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`<div class="table"><table>
<caption class="muted">Each district is a tenant: its roster, LMS connections and grants stay apart from every other.</caption>
<thead><tr><th scope="col">District</th><th scope="col">Id</th><th scope="col">Created</th></tr></thead>
<tbody>${list.map(
          (tenant) =>
            html`<tr><td><a href="/console/districts/${tenant.id}">${tenant.name}</a></td><td><code>${tenant.id}</code></td><td>${when(tenant.createdAt)}</td></tr>`,
        )}</tbody></table></div>
<h2>Add a district</h2>
<form class="stack" method="post" action="/console/districts">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<label>Name <input name="name" required maxlength="200" autocomplete="off"></label>
<label>Id (in URLs and API credentials) <input name="id" required pattern="[a-z0-9][a-z0-9-]*" maxlength="63" autocomplete="off"></label>
<button type="submit">Add district</button>
</form>`,
      });
    }),
  );

  router.post(
    '/console/districts',
    page(async (request) => {
      const session = await auth.require(request, isOperator);
      const form = await auth.verifyForm(request, session);
      const tenant = await tenants.create(
        { id: String(form.get('id') ?? '').trim(), name: String(form.get('name') ?? '') },
        actorOf(session.account),
      );
      await context.sso.syncDistricts();
      return redirect(`/console/districts/${tenant.id}`);
    }),
  );

  router.get(
    '/console/operations',
    page(async (request, { url }) => {
      const session = await auth.require(request, isOperator);
      const [migration, audit] = await Promise.all([
        database.migrationVersion(),
        listAudit(database.db, { limit: 50 }),
      ]);
      return renderPage({
        title: 'Operations',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`<ul class="cards">
<li><span class="figure">${database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}</span>database (${database.location})</li>
<li><span class="figure">${migration ?? 'none'}</span>latest migration</li>
</ul>
<p>Probes: <a href="/healthz">/healthz</a> (liveness), <a href="/readyz">/readyz</a> (readiness, 503 while draining),
<a href="/metrics">/metrics</a> (Prometheus text).</p>
${
  context.rotateKeys === undefined
    ? ''
    : html`<h2>Signing keys</h2>
<p class="muted">A new key is published at once and signs Passport's OpenID tokens and the LTI tool's messages
30 seconds later, once every server process publishes it too; the old one signs meanwhile and stays published for a
day, so what it signed still verifies.</p>
<form method="post" action="/console/operations/rotate-keys">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<button type="submit">Rotate signing keys</button>
</form>`
}
<h2>Recent changes</h2>
<div class="table"><table><thead><tr><th scope="col">When</th><th scope="col">District</th><th scope="col">Who</th><th scope="col">What</th></tr></thead>
<tbody>${audit.map(
          (entry) =>
            html`<tr><td>${when(entry.at)}</td><td>${entry.tenantId ?? '—'}</td><td>${entry.actor}</td><td><code>${entry.action}</code></td></tr>`,
        )}</tbody></table></div>`,
      });
    }),
  );

  router.post(
    '/console/operations/rotate-keys',
    page(async (request, { url }) => {
      const session = await auth.require(request, isOperator);
      await auth.verifyForm(request, session);
      if (context.rotateKeys === undefined) {
        throw new ServerError('SERVER_ROUTE_NOT_FOUND', 'Key rotation is not available on this server.', {
          status: 404,
        });
      }
      const rotation = await context.rotateKeys(actorOf(session.account));
      return renderPage({
        title: 'Signing keys rotated',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`<div class="notice good" role="status"><p>New signing keys are published. They sign from 30 seconds from now; the old ones sign until then.</p></div>
<dl>
${rotation.sso === undefined ? '' : html`<dt>SSO (OpenID)</dt><dd>New key <code>${rotation.sso.created}</code>; retired ${rotation.sso.retired.length === 0 ? 'none' : rotation.sso.retired.map((kid, index) => html`${index === 0 ? '' : ', '}<code>${kid}</code>`)} (published one more day)</dd>`}
${rotation.lti === undefined ? '' : html`<dt>LTI tool</dt><dd>New key <code>${rotation.lti.created}</code>; the previous one stays in <a href="/lti/jwks">/lti/jwks</a> one more day</dd>`}
</dl>
<p><a href="/console/operations">Back to operations</a></p>`,
      });
    }),
  );
}
