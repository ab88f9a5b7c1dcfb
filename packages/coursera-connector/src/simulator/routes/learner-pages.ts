// The learner side, after the SSO hand-off (NOT PUBLIC — MODELLED, like src/coursera/not-public/hand-off.ts):
// a landing page where a first-time learner links an existing account or creates one, a join page that takes a
// license, and course and item pages with a "complete" action and a score input, so a browser test or a person can
// produce results. Plain server-rendered HTML, usable without JavaScript and with a screen reader.
import { signParameters, verifySignature } from '../../coursera/not-public/hand-off.ts';
import { cookie, type Route, type RouteInput, readForm, type SimulatorSession } from '../context.ts';
import { alert, html, page, redirect } from '../html.ts';
import {
  addMember,
  enroll,
  itemGradeKey,
  itemsOf,
  linkKey,
  membershipKey,
  recordItemResult,
  type SimContent,
  type SimItem,
  type SimProgram,
  type SimulatorState,
  usedSeats,
} from '../state.ts';

const SESSION_COOKIE = 'sim_session';
const HAND_OFF_MAX_AGE_MS = 5 * 60 * 1000;

function sessionOf(input: RouteInput): SimulatorSession | undefined {
  const id = cookie(input.request, SESSION_COOKIE);
  return id === undefined ? undefined : input.context.sessions.get(id);
}

function noSession(): Response {
  return page(
    'Sign in through your school',
    alert('Your session has ended. Open the course again from your class to sign in.'),
    { status: 401 },
  );
}

function programOf(state: SimulatorState, session: SimulatorSession): SimProgram {
  return state.programs.get(session.programId)!;
}

function isMember(state: SimulatorState, session: SimulatorSession): boolean {
  return state.memberships.has(membershipKey(session.programId, session.externalId));
}

function targetOf(state: SimulatorState, session: SimulatorSession): string {
  const content = session.contentId === undefined ? undefined : state.contents.get(session.contentId);
  if (content === undefined) return `/programs/${programOf(state, session).slug}`;
  if (session.itemId !== undefined)
    return `/learn/${content.slug}/items/${encodeURIComponent(session.itemId)}`;
  return `/learn/${content.slug}`;
}

function returnLink(session: SimulatorSession) {
  return session.outcome === undefined ? html`` : html`<p><a href="/sso/return">Return to your class</a></p>`;
}

const handOff: Route = {
  method: 'GET',
  path: '/sso/hand-off',
  handle(input) {
    const { state } = input.context;
    const query = input.url.searchParams;
    const invalid = (why: string) =>
      page('This sign-on link does not work', alert(`${why} Open the course again from your class.`), {
        status: 400,
      });
    const organization = state.organizations.get(query.get('organizationId') ?? '');
    if (organization === undefined || !verifySignature(query, organization.handOffSecret)) {
      return invalid('The link is not signed by your school.');
    }
    const issuedAt = Number(query.get('issuedAt'));
    if (!Number.isFinite(issuedAt) || Math.abs(state.now() - issuedAt) > HAND_OFF_MAX_AGE_MS) {
      return invalid('The link has expired.');
    }
    const program = state.programs.get(query.get('programId') ?? '');
    if (program === undefined || program.organizationId !== organization.id)
      return invalid('The program does not exist.');
    const contentId = query.get('contentId') ?? undefined;
    if (contentId !== undefined && !program.contentIds.includes(contentId)) {
      return invalid('The course is not part of the program.');
    }
    const itemId = query.get('itemId') ?? undefined;
    if (itemId !== undefined && state.items.get(itemId)?.contentId !== contentId) {
      return invalid('The item is not part of the course.');
    }
    const returnUrl = query.get('returnUrl') ?? '';
    const externalId = query.get('externalId') ?? '';
    if (!/^https?:\/\//.test(returnUrl) || externalId === '') return invalid('The link is incomplete.');
    const session: SimulatorSession = {
      id: input.context.secret(),
      organizationId: organization.id,
      programId: program.id,
      contentId,
      itemId,
      externalId,
      email: query.get('email') ?? '',
      fullName: query.get('fullName') ?? '',
      returnUrl,
      state: query.get('state') ?? '',
      accountId: state.links.get(linkKey(organization.id, externalId)),
      accountLink: undefined,
      outcome: undefined,
    };
    if (session.accountId !== undefined) session.accountLink = 'previously-linked';
    input.context.sessions.set(session.id, session);
    return redirect(session.accountId === undefined ? '/sso/welcome' : '/sso/join', {
      'set-cookie': `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`,
    });
  },
};

function welcomePage(session: SimulatorSession, message?: string, status = 200): Response {
  return page(
    'Welcome to Coursera',
    html`${alert(message)}
<p>Your school signed you on as <strong>${session.fullName}</strong> (${session.email}). Choose how to continue.</p>
<section aria-labelledby="link-heading">
<h2 id="link-heading">I already have a Coursera account</h2>
<form method="post" action="/sso/link">
<label for="link-email">Email</label>
<input id="link-email" name="email" type="email" autocomplete="username" required value="${session.email}">
<label for="link-password">Password</label>
<input id="link-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Link my account</button>
</form>
</section>
<section aria-labelledby="create-heading">
<h2 id="create-heading">I am new to Coursera</h2>
<form method="post" action="/sso/create">
<label for="create-name">Full name</label>
<input id="create-name" name="fullName" autocomplete="name" required value="${session.fullName}">
<label for="create-email">Email</label>
<input id="create-email" name="email" type="email" autocomplete="email" required value="${session.email}">
<button type="submit">Create my account</button>
</form>
</section>`,
    { status },
  );
}

const welcome: Route = {
  method: 'GET',
  path: '/sso/welcome',
  handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    if (session.accountId !== undefined) return redirect('/sso/join');
    return welcomePage(session);
  },
};

const link: Route = {
  method: 'POST',
  path: '/sso/link',
  async handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    const form = await readForm(input.request);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const account = [...state.accounts.values()].find((candidate) => candidate.email.toLowerCase() === email);
    if (
      account === undefined ||
      account.password === undefined ||
      account.password !== form.get('password')
    ) {
      return welcomePage(session, 'That email and password do not match a Coursera account.', 401);
    }
    state.links.set(linkKey(session.organizationId, session.externalId), account.id);
    session.accountId = account.id;
    session.accountLink = 'existing';
    return redirect('/sso/join');
  },
};

const create: Route = {
  method: 'POST',
  path: '/sso/create',
  async handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    const form = await readForm(input.request);
    const fullName = (form.get('fullName') ?? '').trim();
    const email = (form.get('email') ?? '').trim();
    if (fullName === '' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      return welcomePage(session, 'Enter your full name and a valid email address.', 400);
    }
    if ([...state.accounts.values()].some((account) => account.email.toLowerCase() === email.toLowerCase())) {
      return welcomePage(
        session,
        'An account already uses this email. Link it with its password instead.',
        409,
      );
    }
    const id = `acct-${state.random.id().slice(0, 10)}`;
    state.accounts.set(id, { id, email, fullName, password: undefined });
    state.links.set(linkKey(session.organizationId, session.externalId), id);
    session.accountId = id;
    session.accountLink = 'created';
    return redirect('/sso/join');
  },
};

const showJoin: Route = {
  method: 'GET',
  path: '/sso/join',
  handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    if (session.accountId === undefined) return redirect('/sso/welcome');
    if (isMember(state, session)) {
      session.outcome ??= 'already-member';
      return redirect(targetOf(state, session));
    }
    const program = programOf(state, session);
    const free = Math.max(0, program.seats - usedSeats(state, program.id));
    return page(
      `Join ${program.name}`,
      html`<p>${program.tagline}</p>
<p>Your school pays for a license for you. ${free} of ${program.seats} licenses are free.</p>
<form method="post" action="/sso/join">
<button type="submit">Join the program</button>
</form>`,
    );
  },
};

const join: Route = {
  method: 'POST',
  path: '/sso/join',
  handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    if (session.accountId === undefined) return redirect('/sso/welcome');
    const account = state.accounts.get(session.accountId)!;
    const outcome = addMember(state, session.programId, {
      externalId: session.externalId,
      email: session.email || account.email,
      fullName: session.fullName || account.fullName,
      accountId: account.id,
    });
    session.outcome = outcome;
    if (outcome === 'program-full') {
      const program = programOf(state, session);
      return page(
        'This program is full',
        html`${alert(`All ${program.seats} licenses of ${program.name} are in use, so you cannot join right now.`)}
<p>Tell your teacher: they can ask the district to free a license or add seats.</p>
${returnLink(session)}`,
        { status: 409 },
      );
    }
    if (session.contentId !== undefined)
      enroll(state, session.programId, session.externalId, session.contentId);
    return redirect(targetOf(state, session));
  },
};

const returnToClass: Route = {
  method: 'GET',
  path: '/sso/return',
  handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    if (session.outcome === undefined || session.accountLink === undefined) return redirect('/sso/join');
    const organization = state.organizations.get(session.organizationId)!;
    const url = new URL(session.returnUrl);
    const query = url.searchParams;
    query.set('organizationId', session.organizationId);
    query.set('programId', session.programId);
    query.set('externalId', session.externalId);
    query.set('state', session.state);
    query.set('outcome', session.outcome);
    query.set('accountLink', session.accountLink);
    query.set('issuedAt', String(state.now()));
    query.set('signature', signParameters(query, organization.handOffSecret));
    return redirect(url);
  },
};

function memberContent(input: RouteInput): { session: SimulatorSession; content: SimContent } | Response {
  const session = sessionOf(input);
  if (session === undefined) return noSession();
  const { state } = input.context;
  const program = programOf(state, session);
  const content = program.contentIds
    .map((id) => state.contents.get(id))
    .find((candidate) => candidate?.slug === input.params.courseSlug);
  if (content === undefined)
    return page('Course not found', alert('This course is not part of your program.'), { status: 404 });
  if (!isMember(state, session)) {
    return page(
      'Join the program first',
      html`${alert('You are not a member of this program.')}<p><a href="/sso/join">Join the program</a></p>`,
      {
        status: 403,
      },
    );
  }
  return { session, content };
}

function itemStatus(state: SimulatorState, session: SimulatorSession, item: SimItem): string {
  const grade = state.itemGrades.get(itemGradeKey(session.programId, session.externalId, item.id));
  if (grade === undefined) return 'not started';
  if (grade.score === undefined) return 'completed';
  return `completed, ${grade.score} of ${grade.maxScore} (${grade.isPassed ? 'passed' : 'not passed'})`;
}

const programPage: Route = {
  method: 'GET',
  path: '/programs/:programSlug',
  handle(input) {
    const session = sessionOf(input);
    if (session === undefined) return noSession();
    const { state } = input.context;
    const program = programOf(state, session);
    if (program.slug !== input.params.programSlug)
      return page('Program not found', alert('Not your program.'), { status: 404 });
    const contents = program.contentIds.map((id) => state.contents.get(id)!).filter(Boolean);
    return page(
      program.name,
      html`<p>${program.tagline}</p>
<ul>${contents.map((content) => html`<li><a href="/learn/${content.slug}">${content.name}</a> (${content.type})</li>`)}</ul>
${returnLink(session)}`,
    );
  },
};

const coursePage: Route = {
  method: 'GET',
  path: '/learn/:courseSlug',
  handle(input) {
    const found = memberContent(input);
    if (found instanceof Response) return found;
    const { session, content } = found;
    const { state } = input.context;
    const enrollment = enroll(state, session.programId, session.externalId, content.id);
    return page(
      content.name,
      html`<p>${content.description}</p>
<p>Progress: ${enrollment.overallProgress}%. Grade: ${enrollment.grade === undefined ? 'none yet' : `${enrollment.grade}%`}.
${enrollment.isCompleted ? 'Course completed.' : ''}</p>
<h2>Items</h2>
<ol>${itemsOf(state, content.id).map(
        (item) =>
          html`<li><a href="/learn/${content.slug}/items/${item.id}">${item.name}</a>: ${itemStatus(state, session, item)}</li>`,
      )}</ol>
${returnLink(session)}`,
    );
  },
};

function findItem(
  state: SimulatorState,
  content: SimContent,
  itemId: string | undefined,
): SimItem | undefined {
  const item = itemId === undefined ? undefined : state.items.get(itemId);
  return item?.contentId === content.id ? item : undefined;
}

function itemPage(
  state: SimulatorState,
  session: SimulatorSession,
  content: SimContent,
  item: SimItem,
  message?: string,
  status = 200,
): Response {
  const max = item.maxScore ?? 1;
  return page(
    item.name,
    html`${alert(message)}
<p>${content.name} · ${item.moduleName} · ${item.isGraded ? `graded, out of ${max}` : 'not graded'}${
      item.passingThreshold === null ? '' : `, pass at ${Math.round(item.passingThreshold * 100)}%`
    }</p>
<p>Status: <span id="status">${itemStatus(state, session, item)}</span></p>
<form method="post" action="/learn/${content.slug}/items/${item.id}/complete">
${
  item.isGraded
    ? html`<label for="score">Your score (0 to ${max})</label>
<input id="score" name="score" type="number" min="0" max="${max}" step="any" required>`
    : html``
}
<button type="submit">Mark complete</button>
</form>
<p><a href="/learn/${content.slug}">Back to the course</a></p>
${returnLink(session)}`,
    { status },
  );
}

const showItem: Route = {
  method: 'GET',
  path: '/learn/:courseSlug/items/:itemId',
  handle(input) {
    const found = memberContent(input);
    if (found instanceof Response) return found;
    const { state } = input.context;
    const item = findItem(state, found.content, input.params.itemId);
    if (item === undefined)
      return page('Item not found', alert('This item is not part of the course.'), { status: 404 });
    return itemPage(state, found.session, found.content, item);
  },
};

const completeItem: Route = {
  method: 'POST',
  path: '/learn/:courseSlug/items/:itemId/complete',
  async handle(input) {
    const found = memberContent(input);
    if (found instanceof Response) return found;
    const { state } = input.context;
    const { session, content } = found;
    const item = findItem(state, content, input.params.itemId);
    if (item === undefined)
      return page('Item not found', alert('This item is not part of the course.'), { status: 404 });
    const form = await readForm(input.request);
    let score: number | undefined;
    if (item.isGraded) {
      const text = (form.get('score') ?? '').trim();
      score = Number(text);
      const max = item.maxScore ?? 1;
      if (text === '' || !Number.isFinite(score) || score < 0 || score > max) {
        return itemPage(state, session, content, item, `Enter a score between 0 and ${max}.`, 400);
      }
    }
    recordItemResult(state, {
      programId: session.programId,
      externalId: session.externalId,
      itemId: item.id,
      ...(score === undefined ? {} : { score }),
    });
    return redirect(`/learn/${content.slug}/items/${item.id}`);
  },
};

export const learnerRoutes: Route[] = [
  handOff,
  welcome,
  link,
  create,
  showJoin,
  join,
  returnToClass,
  programPage,
  coursePage,
  showItem,
  completeItem,
];
