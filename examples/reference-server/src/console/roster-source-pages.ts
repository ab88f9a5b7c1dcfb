import { type Html, html, systemClock } from '@passport/core';
import { recordAudit } from '../audit/audit-log.ts';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import type { RosterPullJobs } from '../roster/pull-jobs.ts';
import {
  parseRosterSourceInput,
  type RosterSource,
  type RosterSourceInput,
  type RosterSourceStore,
} from '../roster/roster-sources.ts';
import type { Tenant } from '../tenants/tenant-store.ts';
import { redirect, renderPage, when } from '../web/page.ts';
import type { ConsoleSession } from './console-auth.ts';
import { actorOf, type ConsoleContext } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';
import { districtNav, openDistrict } from './district-pages.ts';

/** Scheduled roster imports: the district's sources (a OneRoster API, a package URL), their schedules and runs. */
export interface RosterSourcePages {
  sources: RosterSourceStore;
  jobs: RosterPullJobs;
}

const schedulePresets: Record<string, string | undefined> = {
  manual: undefined,
  nightly: '0 2 * * *',
  'twice-daily': '0 6,18 * * *',
  hourly: '0 * * * *',
};

const presetOf = (schedule: string | undefined) =>
  Object.entries(schedulePresets).find(([, cron]) => cron === schedule)?.[0] ?? 'custom';

function inputFromForm(form: FormData): RosterSourceInput & { [key: string]: unknown } {
  const text = (name: string) => {
    const value = String(form.get(name) ?? '').trim();
    return value === '' ? undefined : value;
  };
  const preset = text('preset') ?? 'manual';
  const schedule = preset === 'custom' ? text('schedule') : schedulePresets[preset];
  const kind = text('kind') ?? '';
  return {
    name: text('name') ?? '',
    kind: kind as RosterSourceInput['kind'],
    url: text('url') ?? '',
    auth: (text('auth') ?? (kind === 'package-url' ? 'none' : 'oauth2')) as RosterSourceInput['auth'],
    tokenUrl: text('tokenUrl'),
    clientId: text('clientId'),
    // Secrets are taken as typed (spaces can be part of one).
    secret: String(form.get('secret') ?? '') === '' ? undefined : String(form.get('secret')),
    schedule: preset === 'custom' && schedule === undefined ? '' : schedule,
    timeZone: text('timeZone'),
    confirmHeld: form.get('confirmHeld') === 'true',
  };
}

const without = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;

function sourceForm(options: {
  action: string;
  csrfToken: string;
  source?: RosterSource;
  values?: Partial<RosterSourceInput>;
  submit: string;
}): Html {
  const value = { ...options.source, ...options.values };
  const kind = value.kind ?? 'oneroster-api';
  const auth = value.auth ?? 'oauth2';
  const preset = presetOf(value.schedule);
  const option = (name: string, label: string, current: string) =>
    html`<option value="${name}"${name === current ? html` selected` : ''}>${label}</option>`;
  return html`<form class="stack" method="post" action="${options.action}">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<label>Name <input name="name" required maxlength="100" value="${value.name ?? ''}" placeholder="Nightly SIS roster"></label>
<label>Source <select name="kind">${option('oneroster-api', 'OneRoster 1.1 API (pull every collection)', kind)}${option('package-url', 'OneRoster CSV package at a URL (zip)', kind)}</select></label>
<label>URL <input name="url" type="url" required value="${value.url ?? ''}" placeholder="https://sis.example.org/ims/oneroster/v1p1"></label>
<p class="muted">For an API, the base URL ending in <code>/ims/oneroster/v1p1</code>; for a package, the zip's URL. https only (http on localhost).</p>
<label>Authentication <select name="auth">${option('oauth2', 'OAuth 2.0 client credentials', auth)}${option('oauth1', 'OAuth 1.0a (HMAC-SHA256)', auth)}${option('bearer', 'Bearer token', auth)}${option('basic', 'HTTP Basic', auth)}${option('none', 'None', auth)}</select></label>
<label>Token URL (OAuth 2.0) <input name="tokenUrl" type="url" value="${value.tokenUrl ?? ''}" placeholder="https://sis.example.org/oauth/token"></label>
<label>Client id, consumer key or user name <input name="clientId" value="${value.clientId ?? ''}" autocomplete="off"></label>
<label>Secret, token or password <input name="secret" type="password" autocomplete="new-password"${options.source === undefined ? '' : html` placeholder="Leave blank to keep the stored one"`}></label>
<label>Schedule <select name="preset">${option('manual', 'Only when I press Run now', preset)}${option('nightly', 'Nightly at 02:00', preset)}${option('twice-daily', 'Twice a day (06:00 and 18:00)', preset)}${option('hourly', 'Every hour', preset)}${option('custom', 'Custom (cron expression below)', preset)}</select></label>
<label>Cron expression (custom) <input name="schedule" value="${preset === 'custom' ? (value.schedule ?? '') : ''}" placeholder="30 1 * * 1-5"></label>
<label>Time zone <input name="timeZone" value="${value.timeZone ?? 'UTC'}" placeholder="America/Chicago"></label>
<label><span><input type="checkbox" name="confirmHeld" value="true"${value.confirmHeld === true ? html` checked` : ''}> Apply runs the safety guard would hold (not recommended: a partial export could remove people)</span></label>
<button type="submit">${options.submit}</button>
</form>`;
}

export function registerRosterSourcePages(
  router: Router,
  context: ConsoleContext,
  page: PageWrapper,
  pages: RosterSourcePages,
): void {
  const { auth, database } = context;
  const { sources, jobs } = pages;

  const open = (request: Request, tenantId: string) => openDistrict(context, request, tenantId);

  async function sourceOf(tenant: Tenant, id: string): Promise<RosterSource> {
    const source = await sources.get(tenant.id, id);
    if (source === undefined) {
      throw new ServerError('SERVER_ROSTER_SOURCE_NOT_FOUND', 'No such roster source in this district.', {
        status: 404,
      });
    }
    return source;
  }

  // What changed and who did it; never the secret.
  const audit = (session: ConsoleSession, tenant: Tenant, action: string, source: RosterSource) =>
    recordAudit(
      database.db,
      {
        tenantId: tenant.id,
        actor: actorOf(session.account),
        action,
        detail: {
          source: source.id,
          name: source.name,
          kind: source.kind,
          url: source.url,
          schedule: source.schedule ?? null,
        },
      },
      systemClock,
    );

  const base = (tenant: Tenant) => `/console/districts/${tenant.id}/roster-sources`;

  /** Validates the posted form; the pg-boss cron check too. A refusal answers the form again, keeping what was typed. */
  const validate = async (form: FormData, secretRequired: boolean) => {
    const typed = inputFromForm(form);
    const input = parseRosterSourceInput(without(typed), { secretRequired });
    if (input.schedule !== undefined) jobs.checkSchedule(input.schedule, input.timeZone ?? 'UTC');
    await jobs.checkUrls(input);
    return input;
  };

  const refusal = (error: unknown) =>
    error instanceof ServerError && error.code === 'SERVER_ROSTER_SOURCE_INVALID'
      ? html`<div class="notice bad" role="alert"><p>Nothing was saved: ${error.message}.</p></div>`
      : undefined;

  async function listPage(
    request: Request,
    tenant: Tenant,
    session: ConsoleSession,
    extra?: { notice: Html; values: Partial<RosterSourceInput>; status: number },
  ): Promise<Response> {
    const list = await sources.list(tenant.id);
    return renderPage({
      title: `${tenant.name}: scheduled imports`,
      who: session.who,
      nav: districtNav(session, tenant.id),
      path: new URL(request.url).pathname,
      ...(extra === undefined ? {} : { status: extra.status }),
      body: html`<p class="muted">A source is read on its schedule (or when you press Run now) and imported like an
uploaded package: validated first, held by the safety guard when it would remove many people, and listed in the
<a href="/console/districts/${tenant.id}/imports">import history</a>. A run that cannot read its source changes nothing.</p>
${extra?.notice ?? ''}
<h2>Sources</h2>
${
  list.length === 0
    ? html`<p>No sources yet.</p>`
    : html`<div class="table"><table><thead><tr><th scope="col">Name</th><th scope="col">Source</th><th scope="col">Schedule</th><th scope="col">Next run</th><th scope="col">Last run</th></tr></thead>
<tbody>${list.map((source) => {
        const next = jobs.nextRuns(source, 1)[0];
        return html`<tr><td><a href="${base(tenant)}/${source.id}">${source.name}</a></td><td>${source.kind === 'oneroster-api' ? 'OneRoster API' : 'Package URL'}</td><td>${source.schedule === undefined ? 'manual' : html`<code>${source.schedule}</code> ${source.timeZone}`}</td><td>${next === undefined ? '—' : when(next)}</td><td>${
          source.lastImportId === undefined
            ? 'never'
            : html`<a href="/console/districts/${tenant.id}/imports/${source.lastImportId}"><span class="status ${source.lastStatus ?? ''}">${source.lastStatus ?? ''}</span></a> ${source.lastRunAt === undefined ? '' : when(source.lastRunAt)}`
        }</td></tr>`;
      })}</tbody></table></div>`
}
<h2>Add a source</h2>
${sourceForm({ action: base(tenant), csrfToken: session.csrfToken, submit: 'Add source', ...(extra === undefined ? {} : { values: extra.values }) })}`,
    });
  }

  router.get(
    '/console/districts/:tenant/roster-sources',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      return await listPage(request, tenant, session);
    }),
  );

  router.post(
    '/console/districts/:tenant/roster-sources',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const form = await auth.verifyForm(request, session);
      let input: RosterSourceInput;
      try {
        input = await validate(form, true);
      } catch (error) {
        const notice = refusal(error);
        if (notice === undefined) throw error;
        const { secret: _secret, ...values } = inputFromForm(form);
        return await listPage(request, tenant, session, { notice, values, status: 400 });
      }
      const source = await sources.create(tenant.id, input);
      await jobs.schedule(source);
      await audit(session, tenant, 'roster_source.added', source);
      return redirect(`${base(tenant)}/${source.id}`);
    }),
  );

  async function sourcePage(
    request: Request,
    tenant: Tenant,
    session: ConsoleSession,
    source: RosterSource,
    extra?: { notice: Html; values?: Partial<RosterSourceInput>; status?: number },
  ): Promise<Response> {
    const url = new URL(request.url);
    const next = jobs.nextRuns(source, 3);
    const queued = url.searchParams.get('queued') === '1';
    return renderPage({
      title: `${tenant.name}: ${source.name}`,
      who: session.who,
      nav: districtNav(session, tenant.id),
      path: url.pathname,
      ...(extra?.status === undefined ? {} : { status: extra.status }),
      body: html`${queued ? html`<div class="notice good" role="status"><p>Run asked for: it appears in the import history when it is done.</p></div>` : ''}
${extra?.notice ?? ''}
<dl>
<dt>Source</dt><dd>${source.kind === 'oneroster-api' ? 'OneRoster 1.1 API' : 'CSV package at a URL'}: <code>${source.url}</code></dd>
<dt>Schedule</dt><dd>${source.schedule === undefined ? 'Only when asked' : html`<code>${source.schedule}</code> (${source.timeZone})`}</dd>
${next.length === 0 ? '' : html`<dt>Next runs</dt><dd>${next.map((date, index) => html`${index === 0 ? '' : ', '}${when(date)}`)}</dd>`}
<dt>Last run</dt><dd>${
        source.lastImportId === undefined
          ? 'never'
          : html`<a href="/console/districts/${tenant.id}/imports/${source.lastImportId}">${source.lastStatus ?? ''}</a>${source.lastRunAt === undefined ? '' : html`, ${when(source.lastRunAt)}`}`
      }</dd>
</dl>
<form method="post" action="${base(tenant)}/${source.id}/run">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<button type="submit">Run now</button>
</form>
<h2>Change</h2>
${sourceForm({ action: `${base(tenant)}/${source.id}`, csrfToken: session.csrfToken, source, submit: 'Save', ...(extra?.values === undefined ? {} : { values: extra.values }) })}
<h2>Remove</h2>
<form method="post" action="${base(tenant)}/${source.id}/remove">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<p class="muted">Stops the schedule and forgets the credentials. The roster and the import history stay.</p>
<button type="submit" class="danger">Remove source</button>
</form>
<p><a href="${base(tenant)}">Back to scheduled imports</a></p>`,
    });
  }

  router.get(
    '/console/districts/:tenant/roster-sources/:source',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      return await sourcePage(request, tenant, session, await sourceOf(tenant, params.source ?? ''));
    }),
  );

  router.post(
    '/console/districts/:tenant/roster-sources/:source',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const existing = await sourceOf(tenant, params.source ?? '');
      const form = await auth.verifyForm(request, session);
      let input: RosterSourceInput;
      try {
        // Changing to a method that needs a secret the source does not have asks for one.
        input = await validate(form, existing.secret === undefined);
      } catch (error) {
        const notice = refusal(error);
        if (notice === undefined) throw error;
        const { secret: _secret, ...values } = inputFromForm(form);
        return await sourcePage(request, tenant, session, existing, { notice, values, status: 400 });
      }
      const source = await sources.update(tenant.id, existing.id, input);
      await jobs.schedule(source);
      await audit(session, tenant, 'roster_source.changed', source);
      return redirect(`${base(tenant)}/${source.id}`);
    }),
  );

  router.post(
    '/console/districts/:tenant/roster-sources/:source/run',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const source = await sourceOf(tenant, params.source ?? '');
      await auth.verifyForm(request, session);
      await jobs.runNow(source, actorOf(session.account));
      await audit(session, tenant, 'roster_source.run_asked', source);
      return redirect(`${base(tenant)}/${source.id}?queued=1`);
    }),
  );

  router.post(
    '/console/districts/:tenant/roster-sources/:source/remove',
    page(async (request, { params }) => {
      const { session, tenant } = await open(request, params.tenant ?? '');
      const source = await sourceOf(tenant, params.source ?? '');
      await auth.verifyForm(request, session);
      await jobs.unschedule(source.id);
      await sources.remove(tenant.id, source.id);
      await audit(session, tenant, 'roster_source.removed', source);
      return redirect(base(tenant));
    }),
  );
}
