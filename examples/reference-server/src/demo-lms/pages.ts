import type { LineItemRecord, ToolRegistration } from '@passport/lti13';
import { scopes } from '@passport/lti13';
import { html, type PageViewer, page, raw } from './html.ts';
import type { ReceivedScore } from './lms-gradebook.ts';
import type { CourseRole, LmsActivity, LmsCourse, LmsEnrollment, LmsUser } from './lms-store.ts';

/* The demo LMS's pages, rendered from plain data: no storage, no LTI here. */

export const displayName = (user: Pick<LmsUser, 'givenName' | 'familyName'>): string =>
  `${user.givenName} ${user.familyName}`.trim();

export function signInPage(input: {
  base: string;
  courses: readonly LmsCourse[];
  selected: LmsCourse | undefined;
  members: readonly LmsEnrollment[];
}): Response {
  const { base, courses, selected, members } = input;
  const options = courses.map(
    (course) =>
      html`<option value="${course.id}"${raw(course.id === selected?.id ? ' selected' : '')}>${course.title}${
        course.code === undefined ? '' : ` (${course.code})`
      }</option>`,
  );
  const person = (member: LmsEnrollment) =>
    html`<li><form method="post" action="${base}/sign-in"><input type="hidden" name="user" value="${member.user.id}"><input type="hidden" name="course" value="${selected?.id}"><button type="submit">Sign in as ${displayName(member.user)}</button> <span class="muted">${member.user.username ?? member.user.id}</span></form></li>`;
  const teachers = members.filter((member) => member.role === 'teacher');
  const students = members.filter((member) => member.role === 'student');
  const body = html`<h1>Sign in to the demo LMS</h1>
<p>This LMS is a demonstration: pick a course, then sign in as one of its teachers or students. No password is asked.</p>
${
  courses.length === 0
    ? html`<p class="error" role="alert">No courses yet: the demo roster has not been loaded.</p>`
    : html`<section aria-labelledby="course-heading"><h2 id="course-heading">1. Choose a course</h2>
<form method="get" action="${base}/sign-in">
<label for="course">Course</label>
<select id="course" name="course">${options}</select>
<p><button type="submit">Show people</button></p>
</form></section>`
}
${
  selected === undefined
    ? ''
    : html`<section aria-labelledby="people-heading"><h2 id="people-heading">2. Sign in to ${selected.title}</h2>
<h3>Teachers</h3>${teachers.length === 0 ? html`<p>None.</p>` : html`<ul>${teachers.map(person)}</ul>`}
<h3>Students</h3>${students.length === 0 ? html`<p>None.</p>` : html`<ul>${students.map(person)}</ul>`}
</section>`
}
<section aria-labelledby="admin-heading"><h2 id="admin-heading">LMS administrator</h2>
<p>Registers LTI tools (dynamic registration or by hand).</p>
<form method="post" action="${base}/sign-in"><input type="hidden" name="user" value="administrator"><button type="submit">Sign in as the LMS administrator</button></form>
</section>`;
  return page({ title: 'Sign in', base, body });
}

export function coursesPage(input: {
  base: string;
  viewer: PageViewer;
  courses: ReadonlyArray<LmsCourse & { role?: CourseRole }>;
}): Response {
  const { base, courses } = input;
  const body = html`<h1>Courses</h1>
${
  courses.length === 0
    ? html`<p>You are not enrolled in any course.</p>`
    : html`<ul>${courses.map(
        (course) =>
          html`<li><a href="${base}/courses/${encodeURIComponent(course.id)}">${course.title}</a>${
            course.role === undefined ? '' : html` <span class="muted">(${course.role})</span>`
          }</li>`,
      )}</ul>`
}`;
  return page({ title: 'Courses', base, viewer: input.viewer, body });
}

export function coursePage(input: {
  base: string;
  viewer: PageViewer;
  course: LmsCourse;
  canManage: boolean;
  canLaunch: boolean;
  activities: readonly LmsActivity[];
  tools: readonly ToolRegistration[];
  /** The activity shown in an iframe on this page. */
  embedded: LmsActivity | undefined;
  /** The tool whose deep linking picker is shown in an iframe on this page (a teacher adding activities). */
  picking: ToolRegistration | undefined;
  /** A student's own grades: the released columns with the score received, if any. */
  grades?: ReadonlyArray<{ lineItem: LineItemRecord; score: ReceivedScore | undefined }> | undefined;
  notice: string | undefined;
  platformStorageScript: string;
}): Response {
  const { base, course, activities, tools, embedded, picking } = input;
  const courseUrl = `${base}/courses/${encodeURIComponent(course.id)}`;
  const toolName = (clientId: string) =>
    tools.find((tool) => tool.clientId === clientId)?.name ?? `tool ${clientId}`;
  const activityItem = (activity: LmsActivity) => {
    const launch = `${courseUrl}/activities/${encodeURIComponent(activity.id)}/launch`;
    return html`<li><span class="title">${activity.title}</span>
<span class="muted">${toolName(activity.clientId)}${activity.lineItemId === undefined ? '' : ' · graded'}</span>
${
  input.canLaunch
    ? html`<a class="button" href="${courseUrl}?activity=${encodeURIComponent(activity.id)}#activity-frame">Open here</a>
<a class="button" href="${launch}?target=window" target="_blank" rel="opener">Open in a new window<span class="skip"> (opens a new window)</span></a>`
    : ''
}</li>`;
  };
  const addForms = input.canManage
    ? html`<section aria-labelledby="add-heading"><h2 id="add-heading">Add activities</h2>
${
  tools.length === 0
    ? html`<p>No LTI tool is registered yet. The LMS administrator registers tools on the <em>LTI tools</em> page.</p>`
    : html`<ul>${tools.map(
        (tool) =>
          html`<li><a class="button" href="${courseUrl}?add=${encodeURIComponent(tool.clientId)}#picker-heading">Add activity from ${tool.name ?? tool.clientId}</a>
<form method="post" action="${courseUrl}/deep-link"><input type="hidden" name="_csrf" value="${input.viewer.csrfToken}"><input type="hidden" name="tool" value="${tool.clientId}"><button type="submit" class="secondary">Open the picker of ${tool.name ?? tool.clientId} in the whole window</button></form></li>`,
      )}</ul>`
}
<p><a href="${courseUrl}/gradebook">Gradebook</a></p>
</section>`
    : '';
  const frame =
    embedded === undefined
      ? ''
      : html`<section aria-labelledby="frame-heading"><h2 id="frame-heading">${embedded.title}</h2>
<iframe id="activity-frame" class="tool" name="activity-frame" title="${embedded.title}" src="${courseUrl}/activities/${encodeURIComponent(embedded.id)}/launch?target=iframe" allow="clipboard-write; fullscreen"></iframe>
<p><a href="${courseUrl}">Close the activity</a></p>
</section>`;
  const picker =
    picking === undefined
      ? ''
      : html`<section aria-labelledby="picker-heading"><h2 id="picker-heading">Add activities from ${picking.name ?? picking.clientId}</h2>
<iframe id="deep-linking-frame" class="tool" title="Add activities from ${picking.name ?? picking.clientId}" src="${courseUrl}/deep-link?tool=${encodeURIComponent(picking.clientId)}&target=iframe"></iframe>
<p><a href="${courseUrl}">Cancel</a></p>
</section>`;
  const body = html`<h1>${course.title}</h1>
${course.code === undefined ? '' : html`<p class="muted">Course code ${course.code}</p>`}
${input.notice === undefined ? '' : html`<p class="status" role="status">${input.notice}</p>`}
${frame}
${picker}
<section aria-labelledby="activities-heading"><h2 id="activities-heading">Activities</h2>
${activities.length === 0 ? html`<p>No activities yet.</p>` : html`<ul class="activities">${activities.map(activityItem)}</ul>`}
</section>
${addForms}
${
  input.grades === undefined
    ? ''
    : html`<section aria-labelledby="grades-heading"><h2 id="grades-heading">My grades</h2>
${
  input.grades.length === 0
    ? html`<p>No graded activity yet.</p>`
    : html`<table><caption class="muted">Scores the tools sent for you</caption>
<thead><tr><th scope="col">Activity</th><th scope="col">Score</th><th scope="col">Received</th></tr></thead>
<tbody>${input.grades.map(({ lineItem, score }) =>
        score === undefined
          ? html`<tr><th scope="row">${lineItem.label}</th><td>No score yet</td><td></td></tr>`
          : html`<tr><th scope="row">${lineItem.label}</th><td>${formatScore(score, lineItem)}</td><td><time datetime="${score.receivedAt.toISOString()}">${formatTime(score.receivedAt)}</time></td></tr>`,
      )}</tbody></table>`
}</section>`
}`;
  return page({
    title: course.title,
    base,
    viewer: input.viewer,
    body,
    // The LMS half of LTI client-side storage, for tools framed here while third-party cookies are blocked.
    head:
      embedded === undefined && picking === undefined
        ? undefined
        : html`<script>${raw(input.platformStorageScript)}</script>`,
  });
}

const formatTime = (time: Date): string => `${time.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

function formatScore(score: ReceivedScore, lineItem: LineItemRecord): string {
  if (score.scoreGiven === undefined) return '—';
  const maximum = score.scoreMaximum ?? lineItem.scoreMaximum;
  const result = maximum === 0 ? 0 : (score.scoreGiven / maximum) * lineItem.scoreMaximum;
  return `${Number(result.toFixed(2))} / ${lineItem.scoreMaximum}`;
}

export function gradebookPage(input: {
  base: string;
  viewer: PageViewer;
  course: LmsCourse;
  lineItems: readonly LineItemRecord[];
  students: readonly LmsUser[];
  scores: readonly ReceivedScore[];
}): Response {
  const { base, course, lineItems, students } = input;
  const byCell = new Map(input.scores.map((score) => [`${score.lineItemId}\u0000${score.userId}`, score]));
  const cell = (lineItem: LineItemRecord, student: LmsUser) => {
    const score = byCell.get(`${lineItem.id}\u0000${student.id}`);
    if (score === undefined) return html`<td><span class="muted">No score</span></td>`;
    return html`<td data-line-item="${lineItem.id}" data-user="${student.id}"><strong>${formatScore(score, lineItem)}</strong><br>
<span class="muted">${score.activityProgress}, ${score.gradingProgress}<br>received <time datetime="${score.receivedAt.toISOString()}">${formatTime(score.receivedAt)}</time></span>${
      score.comment === undefined ? '' : html`<br><span class="muted">${score.comment}</span>`
    }</td>`;
  };
  const courseUrl = `${base}/courses/${encodeURIComponent(course.id)}`;
  const body = html`<h1>Gradebook: ${course.title}</h1>
<p><a href="${courseUrl}">Back to the course</a></p>
${
  lineItems.length === 0
    ? html`<p>No gradebook columns yet. Columns appear when a tool adds a graded activity or creates a line item.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="gradebook-caption"><table>
<caption id="gradebook-caption">Scores received from tools, by student and column</caption>
<thead><tr><th scope="col">Student</th>${lineItems.map(
        (lineItem) =>
          html`<th scope="col">${lineItem.label}<br><span class="muted">out of ${lineItem.scoreMaximum}</span></th>`,
      )}</tr></thead>
<tbody>${students.map(
        (student) =>
          html`<tr><th scope="row">${displayName(student)}<br><span class="muted">${student.id}</span></th>${lineItems.map((lineItem) => cell(lineItem, student))}</tr>`,
      )}</tbody>
</table></div>`
}`;
  return page({ title: `Gradebook: ${course.title}`, base, viewer: input.viewer, body });
}

const scopeLabels: ReadonlyArray<[string, string]> = [
  [scopes.lineItem, 'AGS: manage line items'],
  [scopes.lineItemReadOnly, 'AGS: read line items'],
  [scopes.resultReadOnly, 'AGS: read results'],
  [scopes.score, 'AGS: post scores'],
  [scopes.membershipReadOnly, 'NRPS: read course members'],
];

export function toolsPage(input: {
  base: string;
  viewer: PageViewer;
  tools: readonly ToolRegistration[];
  platform: { issuer: string; authorize: string; token: string; jwks: string; openidConfiguration: string };
  notice: string | undefined;
}): Response {
  const { base, tools, platform, viewer } = input;
  const csrf = html`<input type="hidden" name="_csrf" value="${viewer.csrfToken}">`;
  const row = (tool: ToolRegistration) =>
    html`<tr><th scope="row">${tool.name ?? '(unnamed)'}</th><td><code>${tool.clientId}</code></td><td>${tool.deploymentIds.map(
      (id) => html`<code>${id}</code> `,
    )}</td><td>${tool.status}${
      tool.status === 'pending'
        ? html` <form method="post" action="${base}/admin/tools/${encodeURIComponent(tool.clientId)}/activate">${csrf}<button type="submit">Activate ${tool.name ?? tool.clientId}</button></form>`
        : ''
    }<form method="post" action="${base}/admin/tools/${encodeURIComponent(tool.clientId)}/remove">${csrf}<button type="submit" class="secondary">Remove ${tool.name ?? tool.clientId}</button></form></td><td>${tool.loginUrl}</td><td>${tool.scopes.map((scope) => html`${scope.split('/').slice(-2).join('/')}<br>`)}</td></tr>`;
  const body = html`<h1>LTI tools</h1>
${input.notice === undefined ? '' : html`<p class="status" role="status">${input.notice}</p>`}
<section aria-labelledby="registered-heading"><h2 id="registered-heading">Registered tools</h2>
${
  tools.length === 0
    ? html`<p>No tool is registered yet.</p>`
    : html`<div class="scroll"><table><thead><tr><th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Deployment ID</th><th scope="col">Status</th><th scope="col">Login URL</th><th scope="col">Scopes</th></tr></thead>
<tbody>${tools.map(row)}</tbody></table></div>`
}
</section>
<section aria-labelledby="dynamic-heading"><h2 id="dynamic-heading">Register a tool by LTI Dynamic Registration</h2>
<form method="post" action="${base}/admin/tools/dynamic-registration">${csrf}
<label for="registration-url">Tool registration URL</label>
<input id="registration-url" name="registration_url" type="url" required placeholder="https://tool.example.org/lti/register" aria-describedby="registration-url-help">
<p id="registration-url-help" class="muted">The LMS opens it with <code>openid_configuration</code> and a one-time <code>registration_token</code>; the tool registers itself.</p>
<p><button type="submit">Start registration</button></p>
</form></section>
<section aria-labelledby="manual-heading"><h2 id="manual-heading">Register a tool by hand</h2>
<form method="post" action="${base}/admin/tools/manual">${csrf}
<label for="tool-name">Name</label><input id="tool-name" name="name" type="text" required>
<label for="login-url">OIDC login initiation URL</label><input id="login-url" name="login_url" type="url" required>
<label for="target-link-uri">Target link URI (launch URL)</label><input id="target-link-uri" name="target_link_uri" type="url" required>
<label for="redirect-uris">Redirect URIs (one per line; default the target link URI)</label><textarea id="redirect-uris" name="redirect_uris" rows="2"></textarea>
<label for="deep-linking-url">Deep linking URL (optional)</label><input id="deep-linking-url" name="deep_linking_url" type="url">
<label for="jwks-url">Public key set (JWKS) URL</label><input id="jwks-url" name="jwks_url" type="url" required>
<fieldset><legend>LTI Advantage services granted</legend>
${scopeLabels.map(
  ([scope, label], index) =>
    html`<div><input type="checkbox" id="scope-${index}" name="scope" value="${scope}" checked> <label for="scope-${index}" style="display:inline;font-weight:400">${label}</label></div>`,
)}
</fieldset>
<p><button type="submit">Register the tool</button></p>
</form></section>
<section aria-labelledby="platform-heading"><h2 id="platform-heading">This LMS, as tools see it</h2>
<dl>
<dt>Issuer</dt><dd><code>${platform.issuer}</code></dd>
<dt>OIDC authorization endpoint</dt><dd><code>${platform.authorize}</code></dd>
<dt>OAuth 2.0 token endpoint</dt><dd><code>${platform.token}</code></dd>
<dt>Public key set (JWKS)</dt><dd><code>${platform.jwks}</code></dd>
<dt>OpenID configuration</dt><dd><code>${platform.openidConfiguration}</code></dd>
</dl></section>`;
  return page({ title: 'LTI tools', base, viewer, body });
}

/** The page that frames a tool's registration URL and returns to the list when the tool posts `org.imsglobal.lti.close`. */
export function dynamicRegistrationPage(input: {
  base: string;
  viewer: PageViewer;
  startUrl: string;
}): Response {
  const { base } = input;
  const listUrl = `${base}/admin/tools?registered=1`;
  const body = html`<h1>Registering the tool</h1>
<p>The tool registers itself with this LMS in the frame below. When it is done this page returns to the tool list.</p>
<iframe class="tool" title="Tool registration" src="${input.startUrl}"></iframe>
<p><a href="${listUrl}">Back to the tool list</a></p>
<script>window.addEventListener('message', function (event) {
  if (event.data && event.data.subject === 'org.imsglobal.lti.close') window.location.href = ${raw(JSON.stringify(listUrl).replace(/</g, '\\u003c'))};
});</script>`;
  return page({ title: 'Registering a tool', base, viewer: input.viewer, body });
}

/** What the LMS shows after a deep linking response: what was added, then back to the course. */
export function deepLinkingDonePage(input: {
  base: string;
  course: LmsCourse;
  added: readonly LmsActivity[];
  message: string | undefined;
  error: string | undefined;
}): Response {
  const courseUrl = `${input.base}/courses/${encodeURIComponent(input.course.id)}?added=${input.added.length}`;
  const body = html`<h1>${input.added.length === 0 ? 'Nothing added' : 'Activities added'}</h1>
${input.error === undefined ? '' : html`<p class="error" role="alert">The tool said: ${input.error}</p>`}
${input.message === undefined ? '' : html`<p class="status" role="status">The tool said: ${input.message}</p>`}
${input.added.length === 0 ? '' : html`<ul>${input.added.map((activity) => html`<li>${activity.title}</li>`)}</ul>`}
<p><a href="${courseUrl}" target="_top">Back to ${input.course.title}</a></p>`;
  return page({
    title: 'Activities added',
    base: input.base,
    body,
    // Back to the course: the whole window when the picker was framed in the course page, else this one. Navigating
    // from an LMS page (not a redirect of the tool's cross-site post) keeps the SameSite=Lax session.
    head: html`<meta http-equiv="refresh" content="${`2;url=${courseUrl}`}">
<script>if (window.top !== window.self) window.top.location.href = ${raw(JSON.stringify(courseUrl).replace(/</g, '\\u003c'))};</script>`,
  });
}

export function errorPage(input: {
  base: string;
  viewer?: PageViewer | undefined;
  status: number;
  code: string;
  message: string;
}): Response {
  const body = html`<h1>${input.status === 403 ? 'Not allowed' : input.status === 404 ? 'Not found' : 'Something went wrong'}</h1>
<p class="error" role="alert">${input.message}</p>
<p class="muted">Error code <code>${input.code}</code></p>
<p><a href="${input.base}/">Back to the demo LMS</a></p>`;
  return page({ title: 'Error', base: input.base, viewer: input.viewer, body, status: input.status });
}
