import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Html, html } from '@passport/core';
import {
  type ListableFile,
  oneRosterScopes,
  parseFilter,
  resolveFilter,
  type StoredEntity,
} from '@passport/oneroster';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import {
  getImport,
  importWithHistory,
  listImports,
  type RosterImportRecord,
} from '../roster/import-history.ts';
import { createTenantStore, type Tenant } from '../tenants/tenant-store.ts';
import { redirect, renderPage, when } from '../web/page.ts';
import type { ConsoleAccount } from './accounts.ts';
import type { ConsoleSession } from './console-auth.ts';
import { actorOf, type ConsoleContext, createAccountFromForm } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';

/** The largest package the console accepts (the API upload takes more). */
export const maxConsoleUploadBytes = 512 * 1024 ** 2;
const pageSize = 50;

/** Who may open a district's pages: its own district admins and operators. */
export const canAdminister = (tenantId: string) => (account: ConsoleAccount) =>
  account.role === 'operator' || (account.role === 'district_admin' && account.tenantId === tenantId);

/** A district page's navigation: the district admin's own, or the operator's with this district's pages. */
export const districtNav = (session: ConsoleSession, tenantId: string) =>
  session.account.role === 'operator'
    ? [
        ...session.nav,
        { href: `/console/districts/${tenantId}/roster`, label: 'Roster' },
        { href: `/console/districts/${tenantId}/imports`, label: 'Imports' },
        { href: `/console/districts/${tenantId}/apps`, label: 'Apps' },
        { href: `/console/districts/${tenantId}/sign-in`, label: 'Sign-in' },
        { href: `/console/gradesync/${tenantId}`, label: 'Grade sync' },
      ]
    : session.nav;

interface RosterView {
  label: string;
  file: ListableFile;
  where?: string;
  columns: { label: string; value: (entity: StoredEntity) => string | Html }[];
  search: string[];
  filters?: { name: string; label: string; field: string; options: string[] };
}

const refId = (value: unknown) =>
  typeof value === 'object' && value !== null
    ? String((value as { sourcedId?: unknown }).sourcedId ?? '')
    : '';

function rosterViews(tenantId: string): Record<string, RosterView> {
  const classLink = (id: string) =>
    html`<a href="/console/districts/${tenantId}/roster/classes/${id}">${id}</a>`;
  return {
    users: {
      label: 'People',
      file: 'users',
      columns: [
        { label: 'Name', value: (user) => `${user.givenName ?? ''} ${user.familyName ?? ''}`.trim() },
        { label: 'Role', value: (user) => String(user.role ?? '') },
        { label: 'Username', value: (user) => String(user.username ?? '') },
        { label: 'Email', value: (user) => String(user.email ?? '') },
        { label: 'Grades', value: (user) => (Array.isArray(user.grades) ? user.grades.join(', ') : '') },
        { label: 'sourcedId', value: (user) => html`<code>${user.sourcedId}</code>` },
      ],
      search: ['givenName', 'familyName', 'email', 'username', 'identifier'],
      filters: {
        name: 'role',
        label: 'Role',
        field: 'role',
        options: ['student', 'teacher', 'administrator', 'aide', 'parent', 'guardian'],
      },
    },
    classes: {
      label: 'Classes',
      file: 'classes',
      columns: [
        { label: 'Title', value: (item) => String(item.title ?? '') },
        { label: 'Code', value: (item) => String(item.classCode ?? '') },
        { label: 'Type', value: (item) => String(item.classType ?? '') },
        { label: 'School', value: (item) => refId(item.school) },
        { label: 'sourcedId', value: (item) => classLink(item.sourcedId) },
      ],
      search: ['title', 'classCode'],
    },
    schools: {
      label: 'Schools and orgs',
      file: 'orgs',
      columns: [
        { label: 'Name', value: (org) => String(org.name ?? '') },
        { label: 'Type', value: (org) => String(org.type ?? '') },
        { label: 'Identifier', value: (org) => String(org.identifier ?? '') },
        { label: 'sourcedId', value: (org) => html`<code>${org.sourcedId}</code>` },
      ],
      search: ['name', 'identifier'],
      filters: { name: 'type', label: 'Type', field: 'type', options: ['district', 'school', 'department'] },
    },
    courses: {
      label: 'Courses',
      file: 'courses',
      columns: [
        { label: 'Title', value: (course) => String(course.title ?? '') },
        { label: 'Code', value: (course) => String(course.courseCode ?? '') },
        { label: 'sourcedId', value: (course) => html`<code>${course.sourcedId}</code>` },
      ],
      search: ['title', 'courseCode'],
    },
    enrollments: {
      label: 'Enrollments',
      file: 'enrollments',
      columns: [
        { label: 'User', value: (item) => refId(item.user) },
        { label: 'Class', value: (item) => classLink(refId(item.class)) },
        { label: 'Role', value: (item) => String(item.role ?? '') },
        { label: 'Primary', value: (item) => String(item.primary ?? '') },
      ],
      search: ['user.sourcedId', 'class.sourcedId'],
      filters: {
        name: 'role',
        label: 'Role',
        field: 'role',
        options: ['student', 'teacher', 'administrator'],
      },
    },
  };
}

const quote = (value: string) => value.replaceAll("'", "''");

/**
 * A district page's request: someone who may administer the district (its admins, operators), and the district.
 * Throws `SERVER_FORBIDDEN` (through the console auth) or `SERVER_TENANT_NOT_FOUND`.
 */
export async function openDistrict(
  context: Pick<ConsoleContext, 'auth' | 'database'>,
  request: Request,
  tenantId: string,
): Promise<{ session: ConsoleSession; tenant: Tenant }> {
  const session = await context.auth.require(request, canAdminister(tenantId));
  const tenant = await createTenantStore({ db: context.database.db }).get(tenantId);
  if (tenant === undefined) {
    throw new ServerError('SERVER_TENANT_NOT_FOUND', `No district ${tenantId}.`, { status: 404 });
  }
  return { session, tenant };
}

/** District pages: overview, roster browsing with search and filters, imports with their findings, apps. */
export function registerDistrictPages(router: Router, context: ConsoleContext, page: PageWrapper): void {
  const { auth, database, roster, partners } = context;

  const open = (request: Request, tenantId: string) => openDistrict(context, request, tenantId);

  const total = async (tenantId: string, file: ListableFile, where?: string) =>
    (
      await roster.store.list(tenantId, {
        file,
        ...(where === undefined ? {} : { where: resolveFilter(file, parseFilter(where)) }),
        limit: 1,
        offset: 0,
        includeDeleted: false,
      })
    ).total;

  router.get(
    '/console/districts/:tenant',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const [students, teachers, classes, schools, imports, access, admins] = await Promise.all([
        total(tenant.id, 'users', "role='student'"),
        total(tenant.id, 'users', "role='teacher'"),
        total(tenant.id, 'classes'),
        total(tenant.id, 'orgs', "type='school'"),
        listImports(database.db, tenant.id, 5),
        partners.listForTenant(tenant.id),
        context.accounts.list({ tenantId: tenant.id }),
      ]);
      const pending = access.filter((item) => item.status === 'requested').length;
      return renderPage({
        title: tenant.name,
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`<ul class="cards" aria-label="Roster figures">
<li><span class="figure">${students}</span>students</li>
<li><span class="figure">${teachers}</span>teachers</li>
<li><span class="figure">${classes}</span>classes</li>
<li><span class="figure">${schools}</span>schools</li>
</ul>
${pending > 0 ? html`<div class="notice warn"><p>${pending} partner request${pending === 1 ? '' : 's'} waiting: <a href="/console/districts/${tenant.id}/apps">review</a>.</p></div>` : ''}
<h2>Latest imports</h2>
${importTable(tenant.id, imports)}
<p><a href="/console/districts/${tenant.id}/imports">Import a roster package</a></p>
<h2>District admins</h2>
<ul>${admins.map((admin) => html`<li>${admin.displayName} (<code>${admin.username}</code>)</li>`)}</ul>
${
  session.account.role === 'operator'
    ? html`<form class="stack" method="post" action="/console/districts/${tenant.id}/admins">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<fieldset><legend>Add a district admin</legend>
<label>Name <input name="displayName" required maxlength="200"></label>
<label>Username <input name="username" required autocomplete="off"></label>
<label>Initial password <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">Add admin</button></fieldset></form>`
    : ''
}`,
      });
    }),
  );

  router.post(
    '/console/districts/:tenant/admins',
    page(async (request, { params }) => {
      const session = await auth.require(request, (account) => account.role === 'operator');
      const form = await auth.verifyForm(request, session);
      const tenantId = params.tenant ?? '';
      await createAccountFromForm(
        context,
        form,
        { role: 'district_admin', tenantId },
        actorOf(session.account),
      );
      return redirect(`/console/districts/${tenantId}`);
    }),
  );

  router.get(
    '/console/districts/:tenant/roster',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const views = rosterViews(tenant.id);
      const type = url.searchParams.get('type') ?? 'users';
      const view = views[type];
      if (view === undefined) {
        throw new ServerError('SERVER_BAD_REQUEST', `Unknown roster list ${JSON.stringify(type)}.`, {
          status: 400,
        });
      }
      const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
      const choice = view.filters === undefined ? '' : (url.searchParams.get(view.filters.name) ?? '');
      const pageNumber = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
      const whereParts = [
        ...(view.where === undefined ? [] : [view.where]),
        ...(view.filters?.options.includes(choice) ? [`${view.filters.field}='${quote(choice)}'`] : []),
      ];
      const result = await roster.store.list(tenant.id, {
        file: view.file,
        ...(whereParts.length === 0
          ? {}
          : { where: resolveFilter(view.file, parseFilter(whereParts.join(' AND '))) }),
        ...(q === ''
          ? {}
          : {
              filter: resolveFilter(
                view.file,
                parseFilter(view.search.map((field) => `${field}~'${quote(q)}'`).join(' OR ')),
              ),
            }),
        limit: pageSize,
        offset: (pageNumber - 1) * pageSize,
        includeDeleted: false,
      });
      const pages = Math.max(1, Math.ceil(result.total / pageSize));
      const link = (pageTo: number) => {
        const next = new URLSearchParams(url.searchParams);
        next.set('page', String(pageTo));
        return `?${next.toString()}`;
      };
      return renderPage({
        title: `${tenant.name}: ${view.label}`,
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`<nav aria-label="Roster lists" class="pages">${Object.entries(views).map(
          ([key, item]) =>
            html`<a href="?type=${key}"${key === type ? html` aria-current="page"` : ''}>${item.label}</a>`,
        )}</nav>
<form class="inline" method="get" role="search">
<input type="hidden" name="type" value="${type}">
<label>Search <input name="q" value="${q}" type="search"></label>
${
  view.filters === undefined
    ? ''
    : html`<label for="roster-filter">${view.filters.label}</label> <select id="roster-filter" name="${view.filters.name}"><option value="">Any</option>${view.filters.options.map(
        (option) => html`<option${option === choice ? html` selected` : ''}>${option}</option>`,
      )}</select>`
}
<button type="submit">Show</button>
</form>
<p class="muted" role="status">${result.total} found${result.total > pageSize ? html`, page ${pageNumber} of ${pages}` : ''}.</p>
<div class="table"><table><thead><tr>${view.columns.map((column) => html`<th scope="col">${column.label}</th>`)}</tr></thead>
<tbody>${result.entities.map((entity) => html`<tr>${view.columns.map((column) => html`<td>${column.value(entity)}</td>`)}</tr>`)}</tbody></table></div>
<nav class="pages" aria-label="Pages">${pageNumber > 1 ? html`<a href="${link(pageNumber - 1)}">Previous page</a>` : ''}${pageNumber < pages ? html`<a href="${link(pageNumber + 1)}">Next page</a>` : ''}</nav>`,
      });
    }),
  );

  router.get(
    '/console/districts/:tenant/roster/classes/:class',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const classId = params.class ?? '';
      const item = await roster.store.get(tenant.id, 'classes', classId);
      if (item === undefined) {
        throw new ServerError('SERVER_ROUTE_NOT_FOUND', `No class ${classId} in this district.`, {
          status: 404,
        });
      }
      const members = await roster.store.list(tenant.id, {
        file: 'users',
        membership: { type: 'usersInClass', classSourcedId: classId },
        limit: 500,
        offset: 0,
        includeDeleted: false,
      });
      return renderPage({
        title: String(item.title ?? classId),
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`<p>Class <code>${classId}</code>, code ${String(item.classCode ?? '—')}, school <code>${refId(item.school)}</code>.</p>
<h2>People (${members.total})</h2>
<div class="table"><table><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">sourcedId</th></tr></thead>
<tbody>${members.entities.map(
          (user) =>
            html`<tr><td>${`${user.givenName ?? ''} ${user.familyName ?? ''}`.trim()}</td><td>${String(user.role ?? '')}</td><td><code>${user.sourcedId}</code></td></tr>`,
        )}</tbody></table></div>`,
      });
    }),
  );

  router.get(
    '/console/districts/:tenant/imports',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const imports = await listImports(database.db, tenant.id);
      return renderPage({
        title: `${tenant.name}: imports`,
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`<h2>Import a OneRoster 1.1 CSV package</h2>
<p class="muted">A zip with manifest.csv and the data files, bulk or delta. The package is validated first; an invalid
package changes nothing and lists its findings. An import that would remove more than 10% of the people, classes or
enrollments, or empty a class, is held until you confirm it.</p>
<form class="stack" method="post" action="/console/districts/${tenant.id}/imports" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<label>Package (.zip) <input type="file" name="package" accept=".zip,application/zip" required></label>
<label><span><input type="checkbox" name="confirm" value="true"> Apply even if the safety guard would hold it</span></label>
<button type="submit">Import</button>
</form>
<h2>Scheduled imports</h2>
<p>Read the roster from your SIS on a schedule, from its OneRoster API or a package it publishes at a URL:
<a href="/console/districts/${tenant.id}/roster-sources">scheduled imports</a>.</p>
<h2>History</h2>
${importTable(tenant.id, imports)}`,
      });
    }),
  );

  router.post(
    '/console/districts/:tenant/imports',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const length = Number(request.headers.get('content-length') ?? '0');
      if (length > maxConsoleUploadBytes) {
        throw new ServerError(
          'SERVER_BAD_REQUEST',
          `The package is larger than ${maxConsoleUploadBytes / 1024 ** 2} MiB: use passport roster import or the upload API.`,
          { status: 413 },
        );
      }
      const form = await auth.verifyForm(request, session);
      const file = form.get('package');
      if (!(file instanceof File) || file.size === 0) {
        throw new ServerError('SERVER_BAD_REQUEST', 'Choose a package file (.zip) to import.', {
          status: 400,
        });
      }
      const folder = await mkdtemp(join(tmpdir(), 'passport-console-upload-'));
      try {
        const path = join(folder, 'package.zip');
        await writeFile(path, new Uint8Array(await file.arrayBuffer()));
        const { record } = await importWithHistory(database.db, roster, {
          tenantId: tenant.id,
          path,
          fileName: file.name.slice(0, 200) || 'package.zip',
          source: 'console',
          actor: actorOf(session.account),
          confirm: form.get('confirm') === 'true',
        });
        return redirect(`/console/districts/${tenant.id}/imports/${record.id}`);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }),
  );

  router.get(
    '/console/districts/:tenant/imports/:id',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const record = await getImport(database.db, tenant.id, params.id ?? '');
      if (record === undefined) {
        throw new ServerError('SERVER_ROUTE_NOT_FOUND', 'No such import in this district.', { status: 404 });
      }
      const files = Object.entries(record.counts);
      const outcome = {
        applied: html`<div class="notice good" role="status"><p>Applied: the roster now matches this package.</p></div>`,
        held: html`<div class="notice warn" role="status"><p>Held by the safety guard, nothing changed. ${record.message}</p><p>Check the package; to apply it anyway, upload it again with “Apply even if the safety guard would hold it”.</p></div>`,
        invalid: html`<div class="notice bad" role="alert"><p>The package has ${record.errorCount} error${record.errorCount === 1 ? '' : 's'}: nothing was changed.</p></div>`,
        failed: html`<div class="notice bad" role="alert"><p>The import failed and nothing was changed: ${record.message}</p></div>`,
      }[record.status];
      return renderPage({
        title: `Import of ${record.fileName}`,
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`${outcome}
<p class="muted">By ${record.actor}, ${when(record.startedAt)}, ${Math.round((record.finishedAt.getTime() - record.startedAt.getTime()) / 100) / 10} s.</p>
${
  files.length === 0
    ? ''
    : html`<h2>Rows per file</h2><div class="table"><table><thead><tr><th scope="col">File</th><th scope="col">Inserted</th><th scope="col">Updated</th><th scope="col">Deleted</th><th scope="col">Unchanged</th></tr></thead>
<tbody>${files.map(
        ([name, counts]) =>
          html`<tr><td>${name}.csv</td><td>${counts.inserted ?? 0}</td><td>${counts.updated ?? 0}</td><td>${counts.deleted ?? 0}</td><td>${counts.unchanged ?? 0}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Findings (${record.findingCount})</h2>
${
  record.findings.length === 0
    ? html`<p>None.</p>`
    : html`<div class="table"><table><thead><tr><th scope="col">Severity</th><th scope="col">File</th><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>
<tbody>${record.findings.map(
        (finding) =>
          html`<tr><td>${finding.severity}</td><td>${finding.file}</td><td>${finding.line}</td><td>${finding.column ?? ''}</td><td><code>${finding.code}</code></td><td>${finding.message}</td></tr>`,
      )}</tbody></table></div>${record.findingCount > record.findings.length ? html`<p class="muted">The first ${record.findings.length} are shown; run <code>passport roster validate</code> for all.</p>` : ''}`
}
<p><a href="/console/districts/${tenant.id}/imports">Back to imports</a></p>`,
      });
    }),
  );

  router.get(
    '/console/districts/:tenant/apps',
    page(async (request, { params, url }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const [access, all] = await Promise.all([partners.listForTenant(tenant.id), partners.list()]);
      const byId = new Map(all.map((partner) => [partner.id, partner]));
      const scopeBoxes = (checked: readonly string[], name = 'scope') =>
        html`<fieldset><legend>Scopes</legend>${oneRosterScopes.map(
          (scope) =>
            html`<label><span><input type="checkbox" name="${name}" value="${scope}"${checked.includes(scope) ? html` checked` : ''}> ${scope}</span></label>`,
        )}</fieldset>`;
      const action = (
        partnerId: string,
        verb: string,
        label: string,
        extra: Html | string = '',
        style = '',
      ) =>
        html`<form method="post" action="/console/districts/${tenant.id}/apps" class="stack">
<input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="partner" value="${partnerId}"><input type="hidden" name="action" value="${verb}">
${extra}<button type="submit"${style === '' ? '' : html` class="${style}"`}>${label}</button></form>`;
      const uninvited = all.filter((partner) => !access.some((item) => item.partnerId === partner.id));
      return renderPage({
        title: `${tenant.name}: apps`,
        who: session.who,
        nav: districtNav(session, tenant.id),
        path: url.pathname,
        body: html`<p class="muted">Partners read your roster through the OneRoster API with credentials bound to this district
and to exactly the scopes you grant. Revoking access stops their credentials at once.</p>
<div class="table"><table><thead><tr><th scope="col">Application</th><th scope="col">Status</th><th scope="col">Asked for</th><th scope="col">Granted</th><th scope="col">Decide</th></tr></thead>
<tbody>${access.map((item) => {
          const partner = byId.get(item.partnerId);
          return html`<tr><td>${partner?.appName ?? item.partnerId}<br><span class="muted">${partner?.name ?? ''}</span>${item.message === '' ? '' : html`<br><q>${item.message}</q>`}</td>
<td><span class="status ${item.status}">${item.status}</span></td><td>${item.requestedScopes.join(', ')}</td><td>${item.grantedScopes.join(', ')}</td>
<td>${
            item.status === 'requested'
              ? html`${action(item.partnerId, 'grant', 'Grant', scopeBoxes(item.requestedScopes))}${action(item.partnerId, 'decline', 'Decline', '', 'secondary')}`
              : item.status === 'granted'
                ? action(item.partnerId, 'revoke', 'Revoke access', '', 'danger')
                : ''
          }</td></tr>`;
        })}</tbody></table></div>
${
  uninvited.length === 0
    ? ''
    : html`<h2>Invite a partner</h2><form class="stack" method="post" action="/console/districts/${tenant.id}/apps">
<input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="action" value="invite">
<label for="invite-partner">Application</label> <select id="invite-partner" name="partner">${uninvited.map((partner) => html`<option value="${partner.id}">${partner.appName} (${partner.name})</option>`)}</select>
${scopeBoxes(['roster-core.readonly'])}<button type="submit">Invite</button></form>`
}`,
      });
    }),
  );

  router.post(
    '/console/districts/:tenant/apps',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const form = await auth.verifyForm(request, session);
      const partnerId = String(form.get('partner') ?? '');
      const scopes = form.getAll('scope').map(String);
      const actor = actorOf(session.account);
      switch (String(form.get('action') ?? '')) {
        case 'grant':
          await partners.grant({ partnerId, tenantId: tenant.id, scopes }, actor);
          break;
        case 'invite':
          await partners.invite({ partnerId, tenantId: tenant.id, scopes }, actor);
          break;
        case 'decline':
          await partners.decline(partnerId, tenant.id, actor);
          break;
        case 'revoke':
          await partners.revoke(partnerId, tenant.id, actor);
          break;
        default:
          throw new ServerError('SERVER_BAD_REQUEST', 'Unknown action.', { status: 400 });
      }
      return redirect(`/console/districts/${tenant.id}/apps`);
    }),
  );
}

function importTable(tenantId: string, imports: readonly RosterImportRecord[]): Html {
  if (imports.length === 0) return html`<p>No imports yet.</p>`;
  return html`<div class="table"><table><thead><tr><th scope="col">When</th><th scope="col">File</th><th scope="col">Source</th><th scope="col">Outcome</th><th scope="col">Findings</th></tr></thead>
<tbody>${imports.map(
    (record) =>
      html`<tr><td><a href="/console/districts/${tenantId}/imports/${record.id}">${when(record.startedAt)}</a></td><td>${record.fileName}</td><td>${record.source}</td><td><span class="status ${record.status}">${record.status}</span></td><td>${record.findingCount}</td></tr>`,
  )}</tbody></table></div>`;
}
