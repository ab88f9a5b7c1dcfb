import type { SyncMode } from '@passport/ags-gradesync';
import type { Course, GradableItem, Program } from '@passport/coursera-connector';

/*
 * The content picker's pages: program → course → gradable items and how grades come back. Plain server-rendered
 * HTML that works inside an LMS iframe: no script, no cookie, no subresource; headings, a breadcrumb, fieldsets with
 * legends and labelled controls, so it is usable with a keyboard and a screen reader, and narrow screens reflow.
 */

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

export const pickerHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  // Framing stays allowed (LMSs show tools in an iframe); forms post back here only.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
} as const;

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a}' +
  'a{color:#0b57d0}a:focus,input:focus,button:focus{outline:3px solid #f9ab00;outline-offset:2px}' +
  'nav ol{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}nav li+li::before{content:"›";margin-right:.25rem}' +
  'fieldset{border:1px solid #ccc;border-radius:.4rem;margin:1rem 0;padding:.75rem 1rem}legend{font-weight:600}' +
  '.choice{margin:.5rem 0}.hint{color:#555;font-size:.9rem;margin:.1rem 0 0 1.6rem}' +
  'ul.pick{padding-left:1.2rem}ul.pick li{margin:.35rem 0}button{font:inherit;padding:.5rem 1.2rem;border-radius:.4rem;' +
  'border:0;background:#0b57d0;color:#fff;cursor:pointer}.note{background:#f4f7fc;padding:.5rem .75rem;border-radius:.4rem}' +
  '[role=alert]{background:#fdecea;padding:.5rem .75rem;border-radius:.4rem}';

export function pickerHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Passport</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function pickerResponse(title: string, body: string, status = 200): Response {
  return new Response(pickerHtml(title, body), { status, headers: pickerHeaders });
}

/** A page that says why the picker cannot go on, and what to do. */
export function pickerProblem(status: number, title: string, message: string): Response {
  return pickerResponse(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>`,
    status,
  );
}

/** The picker's own URL (relative: the launch and the picker both live under `/lti/`). */
function pickerHref(parameters: Record<string, string>): string {
  return `deep-link?${new URLSearchParams(parameters).toString()}`;
}

interface Crumb {
  readonly label: string;
  readonly href?: string;
}

function breadcrumb(crumbs: readonly Crumb[]): string {
  const items = crumbs.map((crumb, index) =>
    crumb.href === undefined || index === crumbs.length - 1
      ? `<li aria-current="page">${escapeHtml(crumb.label)}</li>`
      : `<li><a href="${escapeHtml(crumb.href)}">${escapeHtml(crumb.label)}</a></li>`,
  );
  return `<nav aria-label="Where you are"><ol>${items.join('')}</ol></nav>`;
}

export const modeLabels: Record<SyncMode, string> = {
  'granular-linked': 'Option A: each gradable item as its own activity',
  'granular-created': 'Option B: the whole course as one activity, a grade column per item',
  'final-grade': 'Final grade: the whole course as one activity with one grade column',
};

const modeHints: Record<SyncMode, string> = {
  'granular-linked':
    'Tick the items below. Each becomes an activity in your course with its own grade column, filled with the item score.',
  'granular-created':
    'One activity opens the course. Passport adds a grade column for each gradable item, and for items the course gains later.',
  'final-grade': "One activity opens the course; its grade column receives the learner's course grade.",
};

export interface PickerContext {
  readonly session: string;
  readonly courseTitle: string;
  /** The grade sync mode of this LMS (set by the district): the choice that will receive grades. */
  readonly lmsMode: SyncMode;
}

export function programsPage(context: PickerContext, programs: readonly Program[]): Response {
  const list =
    programs.length === 0
      ? '<p>Your district has no Coursera program yet.</p>'
      : `<ul class="pick">${programs
          .map(
            (program) =>
              `<li><a href="${escapeHtml(pickerHref({ session: context.session, program: program.id }))}">${escapeHtml(program.name)}</a>` +
              `${program.courseIds.length > 0 ? ` <span class="hint">(${program.courseIds.length} courses)</span>` : ''}</li>`,
          )
          .join('\n')}</ul>`;
  return pickerResponse(
    'Choose a program',
    `${breadcrumb([{ label: 'Programs' }])}
<h1>Add Coursera content to ${escapeHtml(context.courseTitle)}</h1>
<h2>Choose a program</h2>
${list}`,
  );
}

export function coursesPage(context: PickerContext, program: Program, courses: readonly Course[]): Response {
  const list =
    courses.length === 0
      ? '<p>This program has no course yet.</p>'
      : `<ul class="pick">${courses
          .map(
            (course) =>
              `<li><a href="${escapeHtml(pickerHref({ session: context.session, program: program.id, course: course.id }))}">${escapeHtml(course.title)}</a>` +
              ` <span class="hint">(${escapeHtml(course.platformType)})</span></li>`,
          )
          .join('\n')}</ul>`;
  return pickerResponse(
    `Choose a course in ${program.name}`,
    `${breadcrumb([
      { label: 'Programs', href: pickerHref({ session: context.session }) },
      { label: program.name },
    ])}
<h1>${escapeHtml(program.name)}</h1>
<h2>Choose a course</h2>
${list}`,
  );
}

function describeItem(item: GradableItem): string {
  const parts: string[] = [item.type];
  if (item.maximumPoints !== undefined) parts.push(`${item.maximumPoints} points`);
  if (item.passingThreshold !== undefined) parts.push(`pass at ${Math.round(item.passingThreshold * 100)} %`);
  return parts.join(', ');
}

export function itemsPage(
  context: PickerContext,
  program: Program,
  course: Course,
  items: readonly GradableItem[],
  problem?: string,
): Response {
  const choices = (['granular-linked', 'granular-created', 'final-grade'] as const)
    .map(
      (mode) => `<div class="choice">
  <input type="radio" name="choice" id="choice-${mode}" value="${mode}"${mode === context.lmsMode ? ' checked' : ''} aria-describedby="hint-${mode}">
  <label for="choice-${mode}">${escapeHtml(modeLabels[mode])}</label>
  <p class="hint" id="hint-${mode}">${escapeHtml(modeHints[mode])}</p>
</div>`,
    )
    .join('\n');
  const itemList =
    items.length === 0
      ? '<p>This course has no gradable items.</p>'
      : items
          .map(
            (item) => `<div class="choice">
  <input type="checkbox" name="item" id="item-${escapeHtml(item.id)}" value="${escapeHtml(item.id)}">
  <label for="item-${escapeHtml(item.id)}">${escapeHtml(item.title)}</label> <span class="hint">${escapeHtml(describeItem(item))}</span>
</div>`,
          )
          .join('\n');
  return pickerResponse(
    `Add ${course.title}`,
    `${breadcrumb([
      { label: 'Programs', href: pickerHref({ session: context.session }) },
      { label: program.name, href: pickerHref({ session: context.session, program: program.id }) },
      { label: course.title },
    ])}
<h1>${escapeHtml(course.title)}</h1>
${problem === undefined ? '' : `<p role="alert">${escapeHtml(problem)}</p>\n`}<p class="note">Grades from this LMS come back as: <strong>${escapeHtml(modeLabels[context.lmsMode])}</strong>. Your district administrator sets this.</p>
<form method="post" action="deep-link">
<input type="hidden" name="session" value="${escapeHtml(context.session)}">
<input type="hidden" name="program" value="${escapeHtml(program.id)}">
<input type="hidden" name="course" value="${escapeHtml(course.id)}">
<fieldset>
<legend>What to add</legend>
${choices}
</fieldset>
<fieldset>
<legend>Gradable items (option A)</legend>
${itemList}
</fieldset>
<button type="submit">Add to course</button>
</form>`,
  );
}
