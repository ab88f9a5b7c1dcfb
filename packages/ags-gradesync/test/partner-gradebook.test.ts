import { serveNode } from '@passport/coursera-connector/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../src/adapters/memory/memory-audit-log.ts';
import { createMemoryDeadLetters } from '../src/adapters/memory/memory-dead-letters.ts';
import { createMemoryGradeOutbox } from '../src/adapters/memory/memory-grade-outbox.ts';
import { createMemoryLearnerLinks } from '../src/adapters/memory/memory-learner-links.ts';
import { createMemoryPartnerStore } from '../src/adapters/memory/memory-partner-store.ts';
import { createMemoryResultsSource } from '../src/adapters/memory/memory-results-source.ts';
import { createMemorySyncState } from '../src/adapters/memory/memory-sync-state.ts';
import { createGradeSync, type GradeSync } from '../src/engine/create-grade-sync.ts';
import { createPartnerGradebookApi } from '../src/partner/partner-gradebook-api.ts';
import { type LtiPlatformHarness, learnerRole, startLtiPlatform } from './support/lti-platform.ts';

/** A JSON answer, read by the assertions field by field. */
interface Answer {
  readonly [field: string]: unknown;
  readonly id: string;
  readonly message: string;
  readonly sync: unknown;
  readonly assignments: Array<{ title: string }>;
  readonly submissions: unknown[];
}

let lms: LtiPlatformHarness;
let engine: GradeSync;
let api: Awaited<ReturnType<typeof serveNode>>;
let call: (
  app: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Answer; challenge: string | null }>;

const both = ['gradebook.readonly', 'gradebook.createput'];
/** The host's credentials: each token names a partner, the districts it reaches and its OneRoster scopes. */
const principals: Record<string, { partnerId: string; districtIds: string[]; scopes: string[] }> = {
  'token-reading-app': { partnerId: 'reading-app', districtIds: ['district-1'], scopes: both },
  'token-math-app': {
    partnerId: 'math-app',
    districtIds: ['district-1', 'district-2'],
    scopes: both.map((scope) => `https://purl.imsglobal.org/spec/or/v1p1/scope/${scope}`),
  },
  // The same partner with the credentials another district issued it.
  'token-reading-app-district-2': { partnerId: 'reading-app', districtIds: ['district-2'], scopes: both },
  'token-reader-app': {
    partnerId: 'reader-app',
    districtIds: ['district-1'],
    scopes: ['https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.readonly', 'roster.readonly'],
  },
  'token-writer-app': {
    partnerId: 'writer-app',
    districtIds: ['district-1'],
    scopes: ['gradebook.createput'],
  },
  'token-no-district-app': { partnerId: 'no-district-app', districtIds: [], scopes: both },
};

beforeEach(async () => {
  lms = await startLtiPlatform();
  lms.memberships.setContext({ id: 'lms-course-7' }, [
    { userId: 'lms-ada', lisPersonSourcedId: 'sis-ada', roles: [learnerRole] },
    { userId: 'lms-bob', email: 'bob@school.example', roles: [learnerRole] },
    { userId: 'lms-twin-1', email: 'twin@school.example', roles: [learnerRole] },
    { userId: 'lms-twin-2', email: 'twin@school.example', roles: [learnerRole] },
  ]);
  const stores = {
    outbox: createMemoryGradeOutbox(),
    state: createMemorySyncState(),
    deadLetters: createMemoryDeadLetters(),
    audit: createMemoryAuditLog(),
    learnerLinks: createMemoryLearnerLinks(),
  };
  engine = createGradeSync({
    gradebook: lms.adapter,
    roster: lms.adapter,
    source: createMemoryResultsSource(),
    ...stores,
  });
  const rosterUsers: Record<string, { sourcedId: string; email?: string }> = {
    'sis-ada': { sourcedId: 'sis-ada' },
    'sis-bob': { sourcedId: 'sis-bob', email: 'bob@school.example' },
    'sis-twin': { sourcedId: 'sis-twin', email: 'twin@school.example' },
    'sis-gone': { sourcedId: 'sis-gone', email: 'gone@school.example' },
  };
  const handler = createPartnerGradebookApi({
    authenticator: {
      async authenticate(request) {
        const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
        if (token === 'token-broken-app') throw new Error('the token store is unreachable');
        if (token === 'token-malformed-app') return { partnerId: 'malformed-app' } as never;
        return (token === undefined ? undefined : principals[token]) ?? null;
      },
    },
    store: createMemoryPartnerStore(),
    directory: {
      classTarget: async (classId) =>
        classId === 'class-7'
          ? { lmsId: 'lms-canvas-1', contextId: 'lms-course-7', tenantId: 'district-1' }
          : classId === 'class-9'
            ? { lmsId: 'lms-canvas-2', contextId: 'lms-course-9', tenantId: 'district-2' }
            : undefined,
      rosterUser: async (userId) => rosterUsers[userId],
    },
    gradebook: lms.adapter,
    roster: lms.adapter,
    ...stores,
  });
  api = await serveNode(handler);
  call = async (app, method, path, body) => {
    const response = await fetch(`${api.url}/gradebook/v1${path}`, {
      method,
      headers: {
        ...(app === undefined ? {} : { authorization: `Bearer token-${app}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Answer,
      challenge: response.headers.get('www-authenticate'),
    };
  };
});
afterEach(async () => {
  await api.close();
  await lms.close();
});

const lineItemUrl = (id: string) => `${lms.origin}/lti/contexts/lms-course-7/lineitems/${id}`;

describe('gradebook API for partner apps, over HTTP, into the lti13 platform', () => {
  it('creates an assignment (and its LMS line item), writes submissions with roster ids, delivers them', async () => {
    const created = await call('reading-app', 'POST', '/classes/class-7/assignments', {
      title: 'Chapter 3 quiz',
      description: 'Ten questions',
      state: 'open',
      due_date: '2025-04-01T23:59:00Z',
      points_possible: 20,
      grading_type: 'points',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      class_id: 'class-7',
      title: 'Chapter 3 quiz',
      state: 'open',
      points_possible: 20,
      grading_type: 'points',
      sync: { lms_id: 'lms-canvas-1', state: 'synced', waiting: 0, sent: 0 },
    });
    const [lineItem] = await lms.lineItems('lms-course-7');
    expect(lineItem).toMatchObject({ label: 'Chapter 3 quiz', scoreMaximum: 20, tag: 'passport-partner' });
    const id = created.body.id;

    const ada = await call('reading-app', 'PUT', `/classes/class-7/assignments/${id}/submissions/sis-ada`, {
      state: 'returned',
      grade_points: 17,
      grade_comment: 'Good work',
      flags: ['late'],
    });
    expect(ada).toMatchObject({
      status: 200,
      body: { user_id: 'sis-ada', grade_points: 17, sync: 'queued' },
    });
    expect(
      await call('reading-app', 'PUT', `/classes/class-7/assignments/${id}/submissions/sis-bob`, {
        state: 'returned',
        grade: 'B',
      }),
    ).toMatchObject({ status: 400, body: { error: 'GRADESYNC_PARTNER_REQUEST_INVALID' } });
    await call('reading-app', 'PUT', `/classes/class-7/assignments/${id}/submissions/sis-bob`, {
      state: 'returned',
      grade: 20,
    });
    expect((await call('reading-app', 'GET', `/classes/class-7/assignments/${id}`)).body.sync).toMatchObject({
      state: 'syncing',
      waiting: 2,
    });
    expect(await engine.drain('lms-canvas-1')).toMatchObject({ delivered: 2 });
    const scores = await lms.scores(lineItemUrl(lineItem!.id));
    expect(scores.get('lms-ada')).toMatchObject({
      scoreGiven: 17,
      scoreMaximum: 20,
      comment: 'Late · Good work',
    });
    expect(scores.get('lms-bob')).toMatchObject({ scoreGiven: 20, gradingProgress: 'FullyGraded' });
    expect((await call('reading-app', 'GET', `/classes/class-7/assignments/${id}`)).body.sync).toMatchObject({
      state: 'synced',
      waiting: 0,
      sent: 2,
    });
  });

  it('lists only the assignments the app created; another app cannot see or grade them', async () => {
    const reading = await call('reading-app', 'POST', '/classes/class-7/assignments', {
      title: 'Reading log',
      points_possible: 10,
    });
    await call('math-app', 'POST', '/classes/class-7/assignments', {
      title: 'Fractions',
      points_possible: 5,
      grading_type: 'percent',
    });
    const listed = await call('reading-app', 'GET', '/classes/class-7/assignments');
    expect(listed.body.assignments.map((assignment) => assignment.title)).toEqual(['Reading log']);
    const id = reading.body.id;
    expect(await call('math-app', 'GET', `/classes/class-7/assignments/${id}`)).toMatchObject({
      status: 404,
      body: { error: 'GRADESYNC_PARTNER_NOT_FOUND' },
    });
    expect(
      await call('math-app', 'PUT', `/classes/class-7/assignments/${id}/submissions/sis-ada`, {
        state: 'returned',
        grade: 1,
      }),
    ).toMatchObject({ status: 404 });
    expect(await call(undefined, 'GET', '/classes/class-7/assignments')).toMatchObject({
      status: 401,
      body: { error: 'GRADESYNC_PARTNER_UNAUTHORIZED' },
    });
    expect(await call('reading-app', 'GET', '/classes/class-unknown/assignments')).toMatchObject({
      status: 404,
    });
    expect(
      await call('reading-app', 'POST', '/classes/class-7/assignments', { title: '', points_possible: 10 }),
    ).toMatchObject({
      status: 400,
      body: { error: 'GRADESYNC_PARTNER_REQUEST_INVALID' },
    });
  });

  it('never guesses a learner: unknown or ambiguous roster users are refused with 422', async () => {
    const { body } = await call('reading-app', 'POST', '/classes/class-7/assignments', {
      title: 'Essay',
      points_possible: 10,
    });
    const twin = await call(
      'reading-app',
      'PUT',
      `/classes/class-7/assignments/${body.id}/submissions/sis-twin`,
      {
        state: 'returned',
        grade: 9,
      },
    );
    expect(twin).toMatchObject({ status: 422, body: { error: 'GRADESYNC_PARTNER_USER_UNMATCHED' } });
    expect(twin.body.message).toContain('lms-twin-1, lms-twin-2');
    expect(
      await call('reading-app', 'PUT', `/classes/class-7/assignments/${body.id}/submissions/sis-gone`, {
        state: 'returned',
        grade: 9,
      }),
    ).toMatchObject({ status: 422 });
  });

  it('a draft reaches the LMS when it opens, with the grades written meanwhile; grading types and flags map', async () => {
    const { body } = await call('reading-app', 'POST', '/classes/class-7/assignments', {
      title: 'Lab report',
      state: 'draft',
      points_possible: 50,
      grading_type: 'letter_grade',
    });
    expect(body.sync).toMatchObject({ state: 'not-pushed', line_item_id: null });
    expect(await lms.lineItems('lms-course-7')).toEqual([]);
    expect(
      await call('reading-app', 'PUT', `/classes/class-7/assignments/${body.id}/submissions/sis-ada`, {
        state: 'returned',
        grade: 'A-',
      }),
    ).toMatchObject({ body: { sync: 'not-pushed' } });
    await call('reading-app', 'PUT', `/classes/class-7/assignments/${body.id}/submissions/sis-bob`, {
      state: 'returned',
      flags: ['excused'],
    });
    const opened = await call('reading-app', 'PATCH', `/classes/class-7/assignments/${body.id}`, {
      state: 'open',
    });
    expect(opened.body).toMatchObject({ state: 'open', sync: { state: 'syncing', waiting: 1 } });
    await engine.drain('lms-canvas-1');
    const [lineItem] = await lms.lineItems('lms-course-7');
    const scores = await lms.scores(lineItemUrl(lineItem!.id));
    expect(scores.get('lms-ada')).toMatchObject({ scoreGiven: 45.5, scoreMaximum: 50 });
    expect(scores.has('lms-bob')).toBe(false);
  });

  it('reads back grades a teacher edited in the LMS', async () => {
    const { body } = await call('reading-app', 'POST', '/classes/class-7/assignments', {
      title: 'Poem',
      points_possible: 10,
    });
    await call('reading-app', 'PUT', `/classes/class-7/assignments/${body.id}/submissions/sis-ada`, {
      state: 'returned',
      grade: 6,
    });
    await call('reading-app', 'PUT', `/classes/class-7/assignments/${body.id}/submissions/sis-bob`, {
      state: 'returned',
      grade: 8,
    });
    await engine.drain('lms-canvas-1');
    const [lineItem] = await lms.lineItems('lms-course-7');
    // The teacher raises Ada's grade in the LMS gradebook.
    await lms.gradebook.saveScore({
      lineItemId: lineItem!.id,
      userId: 'lms-ada',
      scoreGiven: 9,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date(Date.now() + 60_000).toISOString(),
    });
    const read = await call('reading-app', 'GET', `/classes/class-7/assignments/${body.id}/submissions`);
    expect(read.body.submissions).toEqual([
      expect.objectContaining({ user_id: 'sis-ada', grade: 6, lms_grade_points: 9, edited_in_lms: true }),
      expect.objectContaining({ user_id: 'sis-bob', grade: 8, lms_grade_points: 8, edited_in_lms: false }),
    ]);
  });
});

describe('gradebook API for partner apps: authentication fails closed', () => {
  const quiz = { title: 'Quiz', points_possible: 10 };

  it('no credentials or unknown ones: 401 GRADESYNC_PARTNER_UNAUTHORIZED with a Bearer challenge, nothing created', async () => {
    const anonymous = await call(undefined, 'POST', '/classes/class-7/assignments', quiz);
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'GRADESYNC_PARTNER_UNAUTHORIZED' } });
    // RFC 6750 §3.1: a request without credentials gets no error code.
    expect(anonymous.challenge).toBe('Bearer realm="passport-gradebook"');
    const unknown = await call('revoked-app', 'GET', '/classes/class-7/assignments');
    expect(unknown).toMatchObject({ status: 401, body: { error: 'GRADESYNC_PARTNER_UNAUTHORIZED' } });
    expect(unknown.challenge).toMatch(
      /^Bearer realm="passport-gradebook", error="invalid_token", error_description="/,
    );
    // Even a route that does not exist is refused before it is looked up.
    expect(await call(undefined, 'GET', '/nowhere')).toMatchObject({ status: 401 });
    expect(await lms.lineItems('lms-course-7')).toEqual([]);
  });

  it('a missing scope: 403 GRADESYNC_PARTNER_SCOPE_MISSING with insufficient_scope and the scope needed', async () => {
    const write = await call('reader-app', 'POST', '/classes/class-7/assignments', quiz);
    expect(write).toMatchObject({ status: 403, body: { error: 'GRADESYNC_PARTNER_SCOPE_MISSING' } });
    expect(write.challenge).toContain('error="insufficient_scope"');
    expect(write.challenge).toContain('scope="gradebook.createput"');
    expect(await lms.lineItems('lms-course-7')).toEqual([]);
    // Its read scope, as a OneRoster 1.2 URI, is enough to list.
    expect(await call('reader-app', 'GET', '/classes/class-7/assignments')).toMatchObject({
      status: 200,
      body: { assignments: [] },
    });
    const created = await call('writer-app', 'POST', '/classes/class-7/assignments', quiz);
    expect(created.status).toBe(201);
    const read = await call('writer-app', 'GET', `/classes/class-7/assignments/${created.body.id}`);
    expect(read).toMatchObject({ status: 403, body: { error: 'GRADESYNC_PARTNER_SCOPE_MISSING' } });
    expect(read.challenge).toContain('scope="gradebook.readonly"');
    expect(
      await call('writer-app', 'GET', `/classes/class-7/assignments/${created.body.id}/submissions`),
    ).toMatchObject({ status: 403, body: { error: 'GRADESYNC_PARTNER_SCOPE_MISSING' } });
  });

  it('a class of a district the credentials do not reach: 403 GRADESYNC_PARTNER_DISTRICT_FORBIDDEN, nothing changes', async () => {
    const created = await call('reading-app', 'POST', '/classes/class-7/assignments', quiz);
    const id = created.body.id;
    // The same partner, with the credentials of another district, reaches none of district 1's classes.
    const elsewhere = 'reading-app-district-2';
    const refusals = [
      await call(elsewhere, 'GET', '/classes/class-7/assignments'),
      await call(elsewhere, 'POST', '/classes/class-7/assignments', quiz),
      await call(elsewhere, 'GET', `/classes/class-7/assignments/${id}`),
      await call(elsewhere, 'PATCH', `/classes/class-7/assignments/${id}`, { title: 'Renamed' }),
      await call(elsewhere, 'PUT', `/classes/class-7/assignments/${id}/submissions/sis-ada`, {
        state: 'returned',
        grade: 9,
      }),
      await call(elsewhere, 'GET', `/classes/class-7/assignments/${id}/submissions`),
      await call('reading-app', 'GET', '/classes/class-9/assignments'),
      await call('no-district-app', 'GET', '/classes/class-7/assignments'),
    ];
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: 403, body: { error: 'GRADESYNC_PARTNER_DISTRICT_FORBIDDEN' } });
      expect(refusal.challenge).toBeNull();
    }
    expect((await lms.lineItems('lms-course-7')).map((lineItem) => lineItem.label)).toEqual(['Quiz']);
    expect(await call('reading-app', 'GET', `/classes/class-7/assignments/${id}/submissions`)).toMatchObject({
      status: 200,
      body: { submissions: [] },
    });
    // A partner whose credentials reach both districts (scopes as OneRoster 1.1 URIs) works in both.
    expect(await call('math-app', 'GET', '/classes/class-9/assignments')).toMatchObject({ status: 200 });
    expect(await call('math-app', 'GET', '/classes/class-7/assignments')).toMatchObject({ status: 200 });
  });

  it('an authenticator that fails, or answers a malformed principal, lets nothing through (500)', async () => {
    for (const app of ['broken-app', 'malformed-app']) {
      const answer = await call(app, 'POST', '/classes/class-7/assignments', quiz);
      expect(answer).toMatchObject({ status: 500, body: { error: 'GRADESYNC_INTERNAL' } });
      expect(answer.body.message).not.toContain('token store');
    }
    expect(await lms.lineItems('lms-course-7')).toEqual([]);
  });
});
