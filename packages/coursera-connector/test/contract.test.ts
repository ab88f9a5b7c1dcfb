import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from '../src/adapters/memory/memory-token-store.ts';
import { buildListContentsRequest, processListContentsResponse } from '../src/coursera/api/contents.ts';
import {
  buildListEnrollmentReportsRequest,
  parseCourseraGrade,
  processListEnrollmentReportsResponse,
} from '../src/coursera/api/enrollment-reports.ts';
import {
  buildCreateInvitationRequest,
  processCreateInvitationResponse,
} from '../src/coursera/api/invitations.ts';
import {
  buildDeleteMembershipRequest,
  buildListMembershipsRequest,
  processListMembershipsResponse,
} from '../src/coursera/api/memberships.ts';
import { buildListProgramsRequest, processListProgramsResponse } from '../src/coursera/api/programs.ts';
import {
  buildListContentItemsRequest,
  buildListItemGradesRequest,
  processListContentItemsResponse,
  processListItemGradesResponse,
} from '../src/coursera/not-public/index.ts';
import { buildAuthorizationUrl } from '../src/coursera/oauth/authorization.ts';
import { buildTokenRequest, processTokenResponse } from '../src/coursera/oauth/token-request.ts';
import { clientFor, consent, type Harness, REDIRECT_URI, startHarness } from './support/setup.ts';

/**
 * Keeps the client and the simulator honest against the same hand-written fixtures of the documented shapes
 * (see test/__fixtures__/coursera/README.md for where they come from).
 */
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/coursera/${name}`, import.meta.url), 'utf8'));
const respond = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('contract: the client reads every fixture', () => {
  it('programs: contentIds normalised, paging.next and total read', async () => {
    const page = await processListProgramsResponse(respond(fixture('programs.page.json')));
    expect(page.next).toBe('1');
    expect(page.total).toBe(2);
    expect(page.elements[0]!.contentIds).toEqual([
      { contentId: 'Gtv4Xb1-EeS-ViIACwYKVQ', contentType: 'Course' },
      { contentId: 's12n-data-analysis-3KcE', contentType: 'Specialization' },
    ]);
  });

  it('contents, memberships, enrollment reports', async () => {
    const contents = await processListContentsResponse(respond(fixture('contents.page.json')));
    expect(contents.elements.map((content) => content.contentType)).toEqual(['Course', 'Specialization']);
    expect(contents.next).toBeUndefined();
    const memberships = await processListMembershipsResponse(respond(fixture('memberships.page.json')));
    expect(memberships.elements[0]!.id).toBe(
      `${memberships.elements[0]!.programId}~${memberships.elements[0]!.externalId}`,
    );
    expect(memberships.next).toBe('1000');
    const reports = await processListEnrollmentReportsResponse(
      respond(fixture('enrollment-reports.page.json')),
    );
    expect(reports.elements.map((report) => parseCourseraGrade(report.grade))).toEqual([0.925, undefined]);
  });

  it('invitations: created, and both "already exists" errors as success with state', async () => {
    expect(
      await processCreateInvitationResponse(respond(fixture('invitation.created.json'), 201)),
    ).toMatchObject({
      state: 'INVITED',
      invitation: { externalId: 'ada@school.example' },
    });
    expect(
      await processCreateInvitationResponse(
        respond(fixture('invitation.invitation-already-exists.json'), 409),
      ),
    ).toEqual({ state: 'ALREADY_INVITED' });
    expect(
      await processCreateInvitationResponse(
        respond(fixture('invitation.membership-already-exists.json'), 409),
      ),
    ).toEqual({ state: 'ALREADY_MEMBER' });
  });

  it('tokens: a code grant, a refresh without a new refresh token, invalid_grant as consent required', async () => {
    expect(
      await processTokenResponse(respond(fixture('token.authorization-code.json')), 'authorization_code'),
    ).toMatchObject({
      expiresInSeconds: 1800,
      refreshToken: expect.any(String),
      scope: 'access_business_api',
    });
    expect(await processTokenResponse(respond(fixture('token.refresh.json')), 'refresh_token')).toMatchObject(
      {
        refreshToken: undefined,
      },
    );
    await expect(
      processTokenResponse(respond(fixture('token.invalid-grant.json'), 400), 'refresh_token'),
    ).rejects.toMatchObject({ code: 'COURSERA_CONSENT_REQUIRED' });
  });

  it('modelled (not public): items and item grades', async () => {
    const items = await processListContentItemsResponse(respond(fixture('not-public/items.page.json')));
    expect(items.elements.map((item) => item.itemType)).toEqual(['QUIZ', 'UNGRADED']);
    const grades = await processListItemGradesResponse(respond(fixture('not-public/item-grades.page.json')));
    expect(grades.elements[0]).toMatchObject({ score: 9, maxScore: 10, isPassed: true });
  });
});

describe('contract: the client asks as documented', () => {
  const context = { apiUrl: 'https://api.coursera.org', organizationId: 'ORG', accessToken: 't' };
  const page = { start: '1000', limit: 1000 };
  const described = (request: Request) => {
    const url = new URL(request.url);
    return `${request.method} ${url.pathname}?${[...url.searchParams.keys()].join('&')}`;
  };

  it.each([
    [buildListProgramsRequest(context, page), 'GET /api/businesses.v1/ORG/programs?start&limit'],
    [
      buildListContentsRequest(context, ['P1', 'P2'], page),
      'GET /api/businesses.v1/ORG/contents?q&programIds&start&limit',
    ],
    [
      buildCreateInvitationRequest(context, 'P1', {
        externalId: 'e',
        fullName: 'F',
        email: 'e@x',
        sendEmail: true,
      }),
      'POST /api/businesses.v1/ORG/programs/P1/invitations?',
    ],
    [
      buildListMembershipsRequest(context, 'P1', page),
      'GET /api/businesses.v1/ORG/programs/P1/memberships?start&limit',
    ],
    [
      buildDeleteMembershipRequest(context, 'P1', 'e@x'),
      'DELETE /api/businesses.v1/ORG/programs/P1/memberships/P1~e%40x?',
    ],
    [
      buildListEnrollmentReportsRequest(
        context,
        { programId: 'P1', completedAtAfter: new Date(1741000000000) },
        page,
      ),
      'GET /api/businesses.v1/ORG/enrollmentReports?q&programId&completedAtAfter&start&limit',
    ],
    [
      buildListContentItemsRequest(context, 'C1', page),
      'GET /api/businesses.v1/ORG/contents/C1/items?start&limit',
    ],
    [
      buildListItemGradesRequest(context, { programId: 'P1', updatedAfter: new Date(0) }, page),
      'GET /api/businesses.v1/ORG/itemGrades?q&programId&updatedAfter&start&limit',
    ],
  ])('%#: %s', (request, expected) => {
    expect(described(request)).toBe(expected);
    expect(request.headers.get('authorization')).toBe('Bearer t');
  });

  it('query values: programIds comma-separated, completedAtAfter in epoch milliseconds, limit capped at 1000', () => {
    const contents = new URL(
      buildListContentsRequest(context, ['P1', 'P2'], { start: undefined, limit: 5000 }).url,
    );
    expect(contents.searchParams.get('programIds')).toBe('P1,P2');
    expect(contents.searchParams.get('q')).toBe('byProgramIds');
    expect(contents.searchParams.get('limit')).toBe('1000');
    expect(contents.searchParams.has('start')).toBe(false);
    const reports = new URL(
      buildListEnrollmentReportsRequest(
        context,
        { programId: 'P1', completedAtAfter: new Date(1741000000000) },
        page,
      ).url,
    );
    expect(reports.searchParams.get('completedAtAfter')).toBe('1741000000000');
    expect(reports.searchParams.get('q')).toBe('byProgramId');
  });

  it('OAuth: consent asks for access_business_api offline; the token request is a form', async () => {
    const url = buildAuthorizationUrl(
      { accountsUrl: 'https://accounts.coursera.org', clientId: 'c', redirectUri: REDIRECT_URI },
      's',
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.coursera.org/oauth2/v1/auth');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      scope: 'access_business_api',
      access_type: 'offline',
    });
    const token = buildTokenRequest(
      { accountsUrl: 'https://accounts.coursera.org', clientId: 'c', clientSecret: 's' },
      { grantType: 'authorization_code', code: 'k', redirectUri: REDIRECT_URI },
    );
    expect([...new URLSearchParams(await token.text()).keys()].sort()).toEqual(
      ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'].sort(),
    );
  });
});

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';
const typeOf = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType);
const isObject = (value: unknown): value is Record<string, unknown> => typeOf(value) === 'object';

/**
 * Differences between what the simulator sends and what the fixture shows: a field the fixture does not have, a
 * field every fixture element has that the simulator left out, or a value of another JSON type.
 */
function shapeProblems(actual: unknown[], expected: unknown[], path: string): string[] {
  const problems: string[] = [];
  const expectedTypes = new Set(expected.map(typeOf));
  for (const value of actual) {
    if (!expectedTypes.has(typeOf(value)))
      problems.push(`${path}: ${typeOf(value)}, fixture has ${[...expectedTypes]}`);
  }
  const actualObjects = actual.filter(isObject);
  const expectedObjects = expected.filter(isObject);
  if (actualObjects.length > 0 && expectedObjects.length > 0) {
    const keys = new Set(expectedObjects.flatMap((object) => Object.keys(object)));
    const required = [...keys].filter((key) => expectedObjects.every((object) => key in object));
    for (const object of actualObjects) {
      for (const key of Object.keys(object))
        if (!keys.has(key)) problems.push(`${path}.${key}: not in the fixture`);
      for (const key of required) if (!(key in object)) problems.push(`${path}.${key}: missing`);
    }
    for (const key of keys) {
      problems.push(
        ...shapeProblems(
          actualObjects.filter((object) => key in object).map((object) => object[key]),
          expectedObjects.filter((object) => key in object).map((object) => object[key]),
          `${path}.${key}`,
        ),
      );
    }
  }
  const actualArrays = actual.filter(Array.isArray).flat();
  const expectedArrays = expected.filter(Array.isArray).flat();
  if (actualArrays.length > 0 && expectedArrays.length > 0) {
    problems.push(...shapeProblems(actualArrays, expectedArrays, `${path}[]`));
  }
  return problems;
}

describe('contract: the simulator answers with the fixtures’ shapes (over loopback HTTP)', () => {
  let harness: Harness;
  let accessToken: string;
  let base: string;
  const answers = new Map<string, { status: number; body: unknown }>();

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  const tokenCall = async (form: Record<string, string>) => {
    const response = await fetch(`${harness.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    harness = await startHarness('node-http');
    const program = harness.world.organizations[0]!.programs[0]!;
    const oauthClient = harness.world.oauthClients[0]!;
    const tokens = createMemoryTokenStore();
    const client = clientFor(harness, { tokens });
    const { callbackUrl } = await consent(harness, client);
    const credentials = { client_id: oauthClient.clientId, client_secret: oauthClient.clientSecret };
    const code = await tokenCall({
      ...credentials,
      grant_type: 'authorization_code',
      code: new URL(callbackUrl).searchParams.get('code')!,
      redirect_uri: REDIRECT_URI,
    });
    answers.set('token.authorization-code.json', code);
    const grant = code.body as { access_token: string; refresh_token: string };
    accessToken = grant.access_token;
    answers.set(
      'token.refresh.json',
      await tokenCall({ ...credentials, grant_type: 'refresh_token', refresh_token: grant.refresh_token }),
    );
    answers.set(
      'token.invalid-grant.json',
      await tokenCall({ ...credentials, grant_type: 'refresh_token', refresh_token: 'unknown' }),
    );

    base = `${harness.url}/api/businesses.v1/${harness.organizationId}`;
    // Variety for the reports: a completed course, and a removed (NOT_MEMBER) learner.
    await harness.admin.setResult({
      programId: program.id,
      externalId: program.members[0]!.externalId,
      contentId: program.contents[0]!.id,
      grade: 92.5,
      isCompleted: true,
    });
    await harness.admin.removeLearner(program.id, program.members[1]!.externalId);

    answers.set('programs.page.json', await call('GET', '/programs?limit=1'));
    answers.set('contents.page.json', await call('GET', `/contents?q=byProgramIds&programIds=${program.id}`));
    const ada = {
      externalId: 'ada@school.example',
      fullName: 'Ada Lovelace',
      email: 'ada@school.example',
      sendEmail: true,
    };
    answers.set('invitation.created.json', await call('POST', `/programs/${program.id}/invitations`, ada));
    answers.set(
      'invitation.invitation-already-exists.json',
      await call('POST', `/programs/${program.id}/invitations`, ada),
    );
    answers.set(
      'invitation.membership-already-exists.json',
      await call('POST', `/programs/${program.id}/invitations`, {
        ...ada,
        externalId: program.members[2]!.externalId,
      }),
    );
    answers.set('memberships.page.json', await call('GET', `/programs/${program.id}/memberships?limit=2`));
    answers.set(
      'enrollment-reports.page.json',
      await call('GET', `/enrollmentReports?q=byProgramId&programId=${program.id}`),
    );
    answers.set(
      'not-public/items.page.json',
      await call('GET', `/contents/${program.contents[0]!.id}/items`),
    );
    answers.set(
      'not-public/item-grades.page.json',
      await call('GET', `/itemGrades?q=byProgramId&programId=${program.id}`),
    );
  });
  afterAll(async () => {
    await harness.stop();
  });

  it.each([
    ['token.authorization-code.json', 200],
    ['token.refresh.json', 200],
    ['token.invalid-grant.json', 400],
    ['programs.page.json', 200],
    ['contents.page.json', 200],
    ['invitation.created.json', 201],
    ['invitation.invitation-already-exists.json', 409],
    ['invitation.membership-already-exists.json', 409],
    ['memberships.page.json', 200],
    ['enrollment-reports.page.json', 200],
    ['not-public/items.page.json', 200],
    ['not-public/item-grades.page.json', 200],
  ])('%s', (name, status) => {
    const answer = answers.get(name)!;
    expect(answer.status).toBe(status);
    expect(shapeProblems([answer.body], [fixture(name)], name)).toEqual([]);
  });

  it('the shape check itself catches a renamed field, a missing one and a wrong type', () => {
    const expected = [
      {
        elements: [
          { id: 'a', grade: '1', completedAt: 1 },
          { id: 'b', grade: '' },
        ],
      },
    ];
    expect(shapeProblems([{ elements: [{ id: 'a', grade: 1, finishedAt: 2 }] }], expected, 'x')).toEqual([
      'x.elements[].finishedAt: not in the fixture',
      'x.elements[].grade: number, fixture has string',
    ]);
    expect(shapeProblems([{ elements: [{ grade: '' }] }], expected, 'x')).toEqual([
      'x.elements[].id: missing',
    ]);
  });
});
