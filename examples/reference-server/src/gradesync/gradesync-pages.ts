import type { SyncMode } from '@passport/ags-gradesync';
import { type Html, html } from '@passport/core';
import type { ConsoleAuth } from '../console/console-auth.ts';
import { actorOf } from '../console/console-context.ts';
import type { PageWrapper } from '../console/console-routes.ts';
import { canAdminister } from '../console/district-pages.ts';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import type { LearningService } from '../learning/learning-service.ts';
import { redirect, renderPage, when } from '../web/page.ts';
import type { GradeSyncService } from './gradesync-service.ts';

/*
 * The district's grade sync pages in the console (`/console/gradesync/:tenant`): its Coursera connection, its LMS
 * instances with the grade sync mode of each (changed here, audited), the courses bound by deep linking, the latest
 * runs with what each planned and delivered, the scores waiting for a retry, and the failures with their reason and
 * a button to retry or discard each. District admins see their district; operators see any.
 */

const modeNames: Record<SyncMode, string> = {
  'final-grade': 'Final grade',
  'granular-linked': 'Option A: deep-linked items',
  'granular-created': 'Option B: a column per item',
};

export const gradeSyncPath = (tenantId: string) => `/console/gradesync/${encodeURIComponent(tenantId)}`;

export function registerGradeSyncPages(
  router: Router,
  context: {
    auth: ConsoleAuth;
    gradeSync: GradeSyncService;
    learning: LearningService;
    page: PageWrapper;
  },
): void {
  const { auth, gradeSync, learning, page } = context;

  const open = async (request: Request, tenantId: string) => {
    const session = await auth.require(request, canAdminister(tenantId));
    return session;
  };

  /** Every form posts back with the session's CSRF token. */
  const postForm = (action: string, csrfToken: string, fields: Record<string, string>, label: string): Html =>
    html`<form method="post" action="${action}" class="inline"><input type="hidden" name="_csrf" value="${csrfToken}">${Object.entries(
      fields,
    ).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
    )}<button type="submit">${label}</button></form>`;

  router.get(
    '/console/gradesync/:tenant',
    page(async (request, { params, url }) => {
      const tenantId = params.tenant ?? '';
      const session = await open(request, tenantId);
      const base = gradeSyncPath(tenantId);
      const overview = await gradeSync.overview({ tenantId, runs: 20 });
      const coursera = (await learning.summaries()).find((summary) => summary.tenantId === tenantId);
      const titleOf = new Map(overview.bindings.map((entry) => [entry.binding.id, entry.binding.label]));
      const body = html`<section aria-labelledby="coursera">
<h2 id="coursera">Coursera</h2>
${
  coursera === undefined
    ? html`<p>Coursera program access is not connected for this district.</p>`
    : html`<p>Organization <code>${coursera.organizationId}</code>: consent <strong>${coursera.consent}</strong>. ${coursera.message}</p>`
}
<p><a href="/console/coursera/${tenantId}">${coursera === undefined ? 'Connect Coursera' : 'Change the Coursera connection'}</a></p>
</section>
<section aria-labelledby="lms">
<h2 id="lms">LMS instances</h2>
${
  overview.lmsInstances.length === 0
    ? html`<p>No LMS has launched Passport for this district yet.</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">LMS</th><th scope="col">Last launch</th><th scope="col">Grade sync mode</th></tr></thead>
<tbody>${overview.lmsInstances.map(
        (
          instance,
        ) => html`<tr><td>${instance.name ?? instance.issuer}<br><span class="muted">${instance.lmsId}</span></td>
<td>${when(instance.lastLaunchAt)}</td>
<td><form method="post" action="${base}/mode"><input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="lms" value="${instance.lmsId}">
<label for="mode-${instance.lmsId}">Mode</label> <select id="mode-${instance.lmsId}" name="mode">${(
          Object.keys(modeNames) as SyncMode[]
        ).map(
          (mode) =>
            html`<option value="${mode}"${mode === instance.mode ? html` selected` : ''}>${modeNames[mode]}</option>`,
        )}</select> <button type="submit">Change</button></form></td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section aria-labelledby="courses">
<h2 id="courses">Courses</h2>
${
  overview.bindings.length === 0
    ? html`<p>No course is linked yet: teachers add Coursera content from their LMS course (deep linking).</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Coursera course</th><th scope="col">LMS course</th><th scope="col">Mode</th><th scope="col">Items waiting for a column</th><th scope="col">Sync</th></tr></thead>
<tbody>${overview.bindings.map(
        (
          entry,
        ) => html`<tr><td>${entry.binding.label ?? entry.binding.courseId}</td><td>${entry.binding.contextId}</td>
<td>${modeNames[entry.mode]}</td><td>${entry.pendingItems.length}</td>
<td>${postForm(`${base}/sync`, session.csrfToken, { binding: entry.binding.id }, 'Sync now')}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section aria-labelledby="runs">
<h2 id="runs">Latest runs</h2>
${
  overview.runs.length === 0
    ? html`<p>No sync has run yet.</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Started</th><th scope="col">Course</th><th scope="col">Trigger</th><th scope="col">Queued</th><th scope="col">Unchanged</th><th scope="col">Unmatched</th><th scope="col">Delivered</th><th scope="col">Failed</th><th scope="col">Error</th></tr></thead>
<tbody>${overview.runs.map(
        (
          entry,
        ) => html`<tr><td>${when(entry.run.startedAt)}</td><td>${titleOf.get(entry.run.bindingId) ?? entry.run.bindingId}</td>
<td>${entry.run.trigger}</td><td>${entry.totals.queued}</td><td>${entry.totals.unchanged}</td><td>${entry.totals.unmatched}</td>
<td>${entry.totals.delivered}</td><td>${entry.totals.failed}</td><td>${entry.run.error ?? ''}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section aria-labelledby="waiting">
<h2 id="waiting">Scores waiting for a retry</h2>
${
  overview.waiting.filter((entry) => entry.attempts > 0).length === 0
    ? html`<p>None.</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">LMS user</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
<tbody>${overview.waiting
        .filter((entry) => entry.attempts > 0)
        .map(
          (entry) =>
            html`<tr><td>${entry.userId}</td><td>${entry.attempts}</td><td>${entry.lastError ?? ''}</td></tr>`,
        )}</tbody></table></div>`
}
</section>
<section aria-labelledby="failures">
<h2 id="failures">Failures</h2>
${
  overview.failures.length === 0
    ? html`<p>No failed delivery.</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Failed</th><th scope="col">LMS user</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Action</th></tr></thead>
<tbody>${overview.failures.map(
        (
          letter,
        ) => html`<tr><td>${when(letter.failedAt)}</td><td>${letter.entry.userId}</td><td><code>${letter.reason}</code></td>
<td>${letter.message}</td><td>${postForm(`${base}/failures/retry`, session.csrfToken, { id: letter.id }, 'Retry')}
${postForm(`${base}/failures/discard`, session.csrfToken, { id: letter.id }, 'Discard')}</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
      return renderPage({
        title: 'Grade sync',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body,
      });
    }),
  );

  const action = (suffix: string, run: (form: FormData, actor: string, tenantId: string) => Promise<void>) =>
    router.post(
      `/console/gradesync/:tenant/${suffix}`,
      page(async (request, { params }) => {
        const tenantId = params.tenant ?? '';
        const session = await open(request, tenantId);
        const form = await auth.verifyForm(request, session);
        await run(form, actorOf(session.account), tenantId);
        return redirect(gradeSyncPath(tenantId));
      }),
    );

  /** The LMS instance named in the form, when it belongs to the district. */
  const lmsOf = async (form: FormData, tenantId: string) => {
    const instance = await gradeSync.lms.get(String(form.get('lms') ?? ''));
    if (instance === undefined || instance.tenantId !== tenantId)
      throw new ServerError('SERVER_BAD_REQUEST', 'No such LMS in this district.', { status: 404 });
    return instance;
  };
  /** The failure named in the form, when it belongs to one of the district's LMS instances. */
  const failureOf = async (form: FormData, tenantId: string) => {
    const id = String(form.get('id') ?? '');
    const letter = (await gradeSync.overview({ tenantId, runs: 0 })).failures.find(
      (entry) => entry.id === id,
    );
    if (letter === undefined)
      throw new ServerError('SERVER_BAD_REQUEST', 'No such failure in this district.', { status: 404 });
    return letter;
  };

  action('mode', async (form, actor, tenantId) => {
    const mode = String(form.get('mode') ?? '') as SyncMode;
    if (!Object.hasOwn(modeNames, mode))
      throw new ServerError('SERVER_BAD_REQUEST', 'Choose a grade sync mode.', { status: 400 });
    const instance = await lmsOf(form, tenantId);
    await gradeSync.setMode(instance.lmsId, mode, actor);
  });
  action('sync', async (form, _actor, tenantId) => {
    const bindingId = String(form.get('binding') ?? '');
    const bound = (await gradeSync.overview({ tenantId, runs: 0 })).bindings.some(
      (entry) => entry.binding.id === bindingId,
    );
    if (!bound)
      throw new ServerError('SERVER_BAD_REQUEST', 'No such course in this district.', { status: 404 });
    await gradeSync.requestSync(bindingId);
  });
  action('failures/retry', async (form, actor, tenantId) => {
    await gradeSync.retryFailure((await failureOf(form, tenantId)).id, actor);
  });
  action('failures/discard', async (form, actor, tenantId) => {
    await gradeSync.discardFailure((await failureOf(form, tenantId)).id, actor);
  });
}
