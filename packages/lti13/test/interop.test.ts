import { afterEach, describe, expect, it } from 'vitest';
import { claimUris, scopes } from '../src/claims/uris.ts';
import type { ContentItem } from '../src/deep-linking/content-items.ts';
import type { ReceivedDeepLinkingResponse } from '../src/platform/deep-linking/deep-linking-return.ts';
import type { LaunchInput } from '../src/platform/launch/create-launch.ts';
import { createDeepLinkingResponse } from '../src/tool/deep-linking/create-response.ts';
import { readAutoPostForm } from './support/browser.ts';
import { createLoopback, type Loopback } from './support/loopback.ts';

let loopback: Loopback | undefined;
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

const course = { id: 'course-1', label: 'BIO-101', title: 'Biology' };

function launchInput(setup: Loopback, overrides: Partial<LaunchInput> = {}): LaunchInput {
  return {
    clientId: setup.clientId,
    deploymentId: setup.deploymentId,
    userId: 'student-1',
    roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    user: { name: 'Sam Student', email: 'sam@example.edu' },
    context: course,
    resourceLink: { id: 'link-1', title: 'Quiz 1' },
    ...overrides,
  };
}

async function launch(setup: Loopback, overrides: Partial<LaunchInput> = {}, method: 'GET' | 'POST' = 'GET') {
  const browser = setup.browser();
  const start = await setup.platform.launchResponse(launchInput(setup, overrides), { method });
  return { browser, ...(await browser.follow(start, setup.platformOrigin)) };
}

describe('tool and platform over loopback HTTP', () => {
  for (const method of ['GET', 'POST'] as const) {
    it(`completes a resource link launch with a ${method} login initiation`, async () => {
      loopback = await createLoopback();
      const result = await launch(loopback, {}, method);
      expect(result.response.status, result.body).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ messageType: 'LtiResourceLinkRequest', user: 'student-1' });
      expect(result.browser.visited).toEqual([
        `GET ${loopback.toolOrigin}/lti/login`.replace('GET', method),
        `GET ${loopback.platformOrigin}/lti/authorize`,
        `POST ${loopback.toolOrigin}/lti/launch`,
      ]);
      const [accepted] = loopback.launches;
      expect(accepted?.context?.title).toBe('Biology');
      expect(accepted?.ags?.lineitems).toBe(`${loopback.platformOrigin}/lti/contexts/course-1/lineitems`);
      expect(accepted?.nrps?.context_memberships_url).toBe(
        `${loopback.platformOrigin}/lti/contexts/course-1/memberships`,
      );
      expect(accepted?.toolPlatform?.product_family_code).toBe('passport');
      // The state cookie is cleared once used.
      expect(result.browser.cookieHeader(new URL(loopback.toolOrigin))).toBe('');
    });
  }

  it('completes a submission review launch with for_user and the line item', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    await setup.gradebook.saveLineItem({
      id: 'li-1',
      contextId: 'course-1',
      clientId: setup.clientId,
      label: 'Essay',
      scoreMaximum: 10,
      resourceLinkId: 'link-1',
    });
    const result = await launch(setup, {
      messageType: 'LtiSubmissionReviewRequest',
      userId: 'teacher-1',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
      forUser: { userId: 'student-1', name: 'Sam Student' },
      lineItemId: 'li-1',
    });
    expect(result.response.status, result.body).toBe(200);
    const [review] = setup.launches;
    expect(review?.messageType).toBe('LtiSubmissionReviewRequest');
    expect(review?.forUser).toMatchObject({ user_id: 'student-1', name: 'Sam Student' });
    expect(review?.ags?.lineitem).toBe(`${setup.platformOrigin}/lti/contexts/course-1/lineitems/li-1`);
  });

  it('refuses an id_token that outlived Moodle’s 60 s lifetime with LTI_TOKEN_EXPIRED', async () => {
    loopback = await createLoopback({ platform: { idTokenTtlSeconds: 60 } });
    const setup = loopback;
    const browser = setup.browser();
    const start = readAutoPostForm(
      await (await setup.platform.launchResponse(launchInput(setup), { method: 'POST' })).text(),
    );
    const toolLogin = await browser.request(start!.action, { method: 'POST', form: start!.fields });
    const authorize = await browser.request(toolLogin.headers.get('location')!);
    const form = readAutoPostForm(await authorize.text())!;
    setup.clock.advance(75);
    const response = await browser.request(form.action, { method: 'POST', form: form.fields });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('LTI_TOKEN_EXPIRED');
  });

  it('answers an unregistered redirect URI and an unknown client at the platform, never redirecting', async () => {
    loopback = await createLoopback();
    const browser = loopback.browser();
    const base = `${loopback.platformOrigin}/lti/authorize?scope=openid&response_type=id_token&response_mode=form_post&prompt=none&login_hint=u&nonce=n&state=s`;
    const unknown = await browser.request(
      `${base}&client_id=nobody&redirect_uri=${encodeURIComponent(`${loopback.toolOrigin}/lti/launch`)}`,
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('LTI_TOOL_UNKNOWN');
    const redirect = await browser.request(
      `${base}&client_id=${loopback.clientId}&redirect_uri=${encodeURIComponent('https://attacker.example/')}`,
    );
    expect(redirect.status).toBe(400);
    expect(await redirect.text()).toContain('LTI_REDIRECT_URI_INVALID');
  });

  it('sends a bad login hint back to the tool as an OIDC error, which the tool reports as LTI_PLATFORM_REFUSED_LOGIN', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    const browser = setup.browser();
    const started = await setup.platform.startLaunch(launchInput(setup));
    const login = new URL(started.loginUrl);
    for (const [name, value] of Object.entries({ ...started.parameters, lti_message_hint: 'forged-hint' }))
      login.searchParams.set(name, value);
    const result = await browser.follow(await browser.request(login.href), login.href);
    expect(result.response.status).toBe(400);
    expect(result.body).toContain('LTI_PLATFORM_REFUSED_LOGIN');
    expect(result.body).toContain('login_required');
  });
});

describe('deep linking over loopback HTTP', () => {
  const allItems: ContentItem[] = [
    {
      type: 'ltiResourceLink',
      title: 'Quiz 2',
      url: 'http://placeholder/',
      lineItem: { scoreMaximum: 10, label: 'Quiz 2', tag: 'quiz' },
      custom: { quiz: '2' },
      iframe: { width: 800, height: 600 },
    },
    { type: 'link', url: 'https://example.org/article', title: 'Article', window: { targetName: '_blank' } },
    { type: 'html', html: '<p>Hello</p>', title: 'Snippet' },
    { type: 'file', url: 'https://example.org/notes.pdf', title: 'Notes', mediaType: 'application/pdf' },
    { type: 'image', url: 'https://example.org/cell.png', title: 'Cell', width: 640, height: 480 },
  ];

  it('returns every content item type to the platform, signed, with data echoed, through the auto-post form', async () => {
    const received: ReceivedDeepLinkingResponse[] = [];
    loopback = await createLoopback({
      platform: {
        onDeepLinkingResponse: (response) => {
          received.push(response);
          return Response.json({ received: response.items.length });
        },
      },
    });
    const setup = loopback;
    setup.onLaunch(async (accepted) => {
      const items = allItems.map((item) =>
        item.type === 'ltiResourceLink' ? { ...item, url: `${setup.toolOrigin}/app/quiz-2` } : item,
      );
      const built = await createDeepLinkingResponse({
        launch: accepted,
        items,
        messages: { msg: 'Added 5 items', log: 'dl ok' },
        keyRing: setup.tool.keyRing,
        clock: setup.clock,
        generateId: setup.tool.generateId,
      });
      return built.response;
    });
    const result = await launch(setup, {
      messageType: 'LtiDeepLinkingRequest',
      resourceLink: undefined,
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
      deepLinking: {
        acceptTypes: ['ltiResourceLink', 'link', 'html', 'file', 'image'],
        acceptPresentationDocumentTargets: ['iframe', 'window'],
        acceptMultiple: true,
      },
    });
    expect(result.response.status, result.body).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ received: 5 });
    const [response] = received;
    expect(response?.items.map((item) => item.type)).toEqual([
      'ltiResourceLink',
      'link',
      'html',
      'file',
      'image',
    ]);
    expect(response?.items[0]).toMatchObject({
      lineItem: { scoreMaximum: 10, tag: 'quiz' },
      custom: { quiz: '2' },
    });
    expect(response?.msg).toBe('Added 5 items');
    expect(response?.contextId).toBe('course-1');
    expect(setup.launches[0]?.deepLinkingSettings?.data).toEqual(expect.any(String));
  });

  it('refuses items the request does not accept with LTI_CONTENT_ITEM_INVALID', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    const failures: string[] = [];
    setup.onLaunch(async (accepted) => {
      for (const items of [
        [allItems[2] as ContentItem],
        [allItems[1] as ContentItem, allItems[1] as ContentItem],
        [{ type: 'link', url: 'not a url' } as ContentItem],
      ]) {
        await createDeepLinkingResponse({
          launch: accepted,
          items,
          keyRing: setup.tool.keyRing,
          clock: setup.clock,
          generateId: setup.tool.generateId,
        }).catch((error: { code: string }) => failures.push(error.code));
      }
      return new Response('ok');
    });
    await launch(setup, {
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: {
        acceptTypes: ['link'],
        acceptPresentationDocumentTargets: ['iframe'],
        acceptMultiple: false,
      },
    });
    expect(failures).toEqual([
      'LTI_CONTENT_ITEM_INVALID',
      'LTI_CONTENT_ITEM_INVALID',
      'LTI_CONTENT_ITEM_INVALID',
    ]);
  });

  it('fills the url Blackboard requires on resource links without one', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    let jwtPayload: Record<string, unknown> = {};
    setup.onLaunch(async (accepted) => {
      const built = await createDeepLinkingResponse({
        launch: accepted,
        items: [{ type: 'ltiResourceLink', title: 'No url' }],
        messages: { msg: 'Added', log: 'added 1', errormsg: 'none failed', errorlog: 'no errors' },
        keyRing: setup.tool.keyRing,
        clock: setup.clock,
        generateId: setup.tool.generateId,
        defaultResourceLinkUrl: `${setup.toolOrigin}/app`,
      });
      jwtPayload = JSON.parse(Buffer.from(built.jwt.split('.')[1] ?? '', 'base64url').toString());
      return new Response('ok');
    });
    await launch(setup, { messageType: 'LtiDeepLinkingRequest' });
    expect(jwtPayload[claimUris.contentItems]).toEqual([
      { type: 'ltiResourceLink', title: 'No url', url: `${setup.toolOrigin}/app` },
    ]);
    expect(jwtPayload.iss).toBe(setup.clientId);
    expect(jwtPayload[claimUris.deepLinkingMessage]).toBe('Added');
    expect(jwtPayload[claimUris.deepLinkingLog]).toBe('added 1');
    expect(jwtPayload[claimUris.deepLinkingErrorMessage]).toBe('none failed');
    expect(jwtPayload[claimUris.deepLinkingErrorLog]).toBe('no errors');
    expect(jwtPayload[claimUris.messageType]).toBe('LtiDeepLinkingResponse');
    expect(typeof jwtPayload[claimUris.deepLinkingData]).toBe('string');
    expect(jwtPayload.aud).toBe(setup.platformOrigin);
  });

  it('refuses a tampered or replayed deep linking response with LTI_DEEP_LINKING_RESPONSE_INVALID', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    let jwt = '';
    setup.onLaunch(async (accepted) => {
      const built = await createDeepLinkingResponse({
        launch: accepted,
        items: [allItems[1] as ContentItem],
        keyRing: setup.tool.keyRing,
        clock: setup.clock,
        generateId: setup.tool.generateId,
      });
      jwt = built.jwt;
      return new Response('ok');
    });
    await launch(setup, {
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: { acceptTypes: ['link'], acceptPresentationDocumentTargets: ['window'] },
    });
    const browser = setup.browser();
    const [header, payload, signature] = jwt.split('.');
    const tamperedPayload = Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString()
        .replace('Article', 'Malware'),
    ).toString('base64url');
    const tampered = await browser.request(setup.platform.urls.deepLinkingReturn, {
      method: 'POST',
      form: { JWT: `${header}.${tamperedPayload}.${signature}` },
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('LTI_DEEP_LINKING_RESPONSE_INVALID');
    expect(
      (await browser.request(setup.platform.urls.deepLinkingReturn, { method: 'POST', form: { JWT: jwt } }))
        .status,
    ).toBe(200);
    const replayed = await browser.request(setup.platform.urls.deepLinkingReturn, {
      method: 'POST',
      form: { JWT: jwt },
    });
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('does not echo a deep linking request');
  });
});

describe('assignment and grade services over loopback HTTP', () => {
  async function agsFor(setup: Loopback) {
    await launch(setup);
    const accepted = setup.launches.at(-1)!;
    return setup.services.ags(accepted);
  }

  it('creates, lists with filters and paging, reads, updates and deletes line items', async () => {
    loopback = await createLoopback({ platform: { pageSize: 2 } });
    const ags = await agsFor(loopback);
    const created = [];
    for (let index = 1; index <= 5; index++) {
      created.push(
        await ags.createLineItem({
          label: `Quiz ${index}`,
          scoreMaximum: 10 * index,
          resourceLinkId: index % 2 === 0 ? 'link-1' : 'link-2',
          tag: index === 3 ? 'final' : 'quiz',
          resourceId: `r${index}`,
        }),
      );
    }
    expect(created[0]?.id).toMatch(
      new RegExp(`^${loopback.platformOrigin}/lti/contexts/course-1/lineitems/`),
    );
    expect((await ags.listLineItems()).map((item) => item.label)).toEqual([
      'Quiz 1',
      'Quiz 2',
      'Quiz 3',
      'Quiz 4',
      'Quiz 5',
    ]);
    expect((await ags.listLineItems({ resourceLinkId: 'link-1' })).map((item) => item.label)).toEqual([
      'Quiz 2',
      'Quiz 4',
    ]);
    expect((await ags.listLineItems({ tag: 'final' })).map((item) => item.label)).toEqual(['Quiz 3']);
    expect((await ags.listLineItems({ resourceId: 'r5' })).map((item) => item.label)).toEqual(['Quiz 5']);
    const first = created[0]!;
    expect(await ags.getLineItem(first.id)).toMatchObject({ label: 'Quiz 1', scoreMaximum: 10 });
    expect(await ags.updateLineItem(first.id, { label: 'Quiz one', scoreMaximum: 20 })).toMatchObject({
      label: 'Quiz one',
      scoreMaximum: 20,
    });
    await ags.deleteLineItem(first.id);
    await expect(ags.getLineItem(first.id)).rejects.toMatchObject({ code: 'LTI_SERVICE_REFUSED' });
  });

  it('posts scores and reads results, with one access token per platform and scope set', async () => {
    loopback = await createLoopback();
    const ags = await agsFor(loopback);
    const lineItem = await ags.createLineItem({ label: 'Essay', scoreMaximum: 50 });
    const timestamp = new Date().toISOString();
    await ags.submitScore(
      {
        userId: 'student-1',
        scoreGiven: 40,
        scoreMaximum: 50,
        comment: 'Good',
        timestamp,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      },
      lineItem.id,
    );
    await ags.submitScore(
      {
        userId: 'student-2',
        scoreGiven: 5,
        scoreMaximum: 10,
        timestamp,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      },
      lineItem.id,
    );
    const results = await ags.listResults({ lineItemUrl: lineItem.id });
    expect(
      results.map((result) => [result.userId, result.resultScore, result.resultMaximum, result.scoreOf]),
    ).toEqual([
      ['student-1', 40, 50, lineItem.id],
      ['student-2', 25, 50, lineItem.id],
    ]);
    expect(await ags.listResults({ lineItemUrl: lineItem.id, userId: 'student-2' })).toHaveLength(1);
    expect(loopback.outbound.filter((path) => path === '/lti/token')).toHaveLength(1);
    loopback.memberships.setContext(course, [{ userId: 'student-1', roles: ['Learner'] }]);
    await loopback.services.nrps(loopback.launches[0]!).members();
    expect(loopback.outbound.filter((path) => path === '/lti/token')).toHaveLength(2);
    loopback.clock.advance(3600);
    await ags.listLineItems();
    expect(loopback.outbound.filter((path) => path === '/lti/token')).toHaveLength(3);
  });

  it('puts /scores and /results before the query of Moodle-style line item URLs (?type_id=N)', async () => {
    loopback = await createLoopback({ platform: { quirks: { lineItemQuery: { type_id: '3' } } } });
    const ags = await agsFor(loopback);
    const lineItem = await ags.createLineItem({ label: 'Lab', scoreMaximum: 10 });
    expect(new URL(lineItem.id).search).toBe('?type_id=3');
    await ags.submitScore(
      {
        userId: 'student-1',
        scoreGiven: 7,
        scoreMaximum: 10,
        timestamp: new Date().toISOString(),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      },
      lineItem.id,
    );
    expect(await ags.listResults({ lineItemUrl: lineItem.id })).toMatchObject([
      { userId: 'student-1', resultScore: 7 },
    ]);
    expect(await ags.getLineItem(lineItem.id)).toMatchObject({ label: 'Lab' });
  });

  it('uses the launch line item by default and keeps the Canvas submission extension', async () => {
    loopback = await createLoopback();
    const setup = loopback;
    await setup.gradebook.saveLineItem({
      id: 'li-9',
      contextId: 'course-1',
      clientId: setup.clientId,
      label: 'Linked',
      scoreMaximum: 100,
      resourceLinkId: 'link-1',
    });
    await launch(setup, { lineItemId: 'li-9' });
    const ags = setup.services.ags(setup.launches[0]!);
    await ags.submitScore({
      userId: 'student-1',
      scoreGiven: 88,
      scoreMaximum: 100,
      timestamp: new Date().toISOString(),
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      'https://canvas.instructure.com/lti/submission': {
        new_submission: true,
        submission_type: 'online_url',
        submission_data: 'https://tool/submission/1',
      },
    });
    const stored = await setup.gradebook.getScore('li-9', 'student-1');
    expect(stored?.scoreGiven).toBe(88);
    expect(stored?.extensions?.['https://canvas.instructure.com/lti/submission']).toMatchObject({
      submission_type: 'online_url',
    });
  });

  it('maps Canvas refusals: stale timestamp, non-student, 403 throttling, 429', async () => {
    loopback = await createLoopback({
      platform: { quirks: { rejectStaleScores: true, rejectNonLearnerScores: true } },
    });
    const setup = loopback;
    setup.memberships.setContext(course, [
      { userId: 'student-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
      { userId: 'teacher-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] },
    ]);
    const ags = await agsFor(setup);
    const lineItem = await ags.createLineItem({ label: 'Essay', scoreMaximum: 10 });
    const score = (userId: string, timestamp: string) => ({
      userId,
      scoreGiven: 5,
      scoreMaximum: 10,
      timestamp,
      activityProgress: 'Completed' as const,
      gradingProgress: 'FullyGraded' as const,
    });
    await ags.submitScore(score('student-1', '2025-01-01T10:00:00.000Z'), lineItem.id);
    await expect(
      ags.submitScore(score('student-1', '2025-01-01T09:00:00.000Z'), lineItem.id),
    ).rejects.toMatchObject({ code: 'LTI_SCORE_TIMESTAMP_STALE' });
    await expect(
      ags.submitScore(score('teacher-1', '2025-01-01T10:00:00.000Z'), lineItem.id),
    ).rejects.toMatchObject({ code: 'LTI_SCORE_USER_NOT_GRADABLE' });
    setup.platform.throttle(1, 'canvas');
    await expect(ags.listLineItems()).rejects.toMatchObject({ code: 'LTI_SERVICE_RATE_LIMITED' });
    setup.platform.throttle(1, 'standard');
    const error = await ags.listLineItems().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LTI_SERVICE_RATE_LIMITED', detail: { retryAfter: '1' } });
    expect(await ags.listLineItems()).toHaveLength(1);
  });

  it('refuses a service the platform did not grant with LTI_SERVICE_UNAVAILABLE, before any request', async () => {
    loopback = await createLoopback({ toolScopes: [scopes.lineItemReadOnly] });
    const ags = await agsFor(loopback);
    const before = loopback.outbound.length;
    await expect(
      ags.submitScore(
        {
          userId: 'u',
          timestamp: new Date().toISOString(),
          activityProgress: 'Completed',
          gradingProgress: 'Pending',
        },
        'https://x/li',
      ),
    ).rejects.toMatchObject({ code: 'LTI_SERVICE_UNAVAILABLE' });
    expect(() => loopback!.services.nrps(loopback!.launches[0]!)).toThrowError(
      expect.objectContaining({ code: 'LTI_SERVICE_UNAVAILABLE' }),
    );
    expect(loopback.outbound.length).toBe(before);
  });
});

describe('names and roles over loopback HTTP', () => {
  const members = Array.from({ length: 5 }, (_, index) => ({
    userId: `user-${index}`,
    roles: [
      index === 0
        ? 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'
        : 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
    ],
    name: `User ${index}`,
    email: `user${index}@example.edu`,
    resourceLinkIds: index < 3 ? ['link-1'] : ['link-2'],
    updatedAt: new Date('2025-01-01T00:00:00Z'),
  }));

  it('pages through members, filters by role (full or short) and resource link, and follows differences', async () => {
    loopback = await createLoopback({ platform: { pageSize: 2 } });
    const setup = loopback;
    setup.memberships.setContext(course, members);
    await launch(setup);
    const nrps = setup.services.nrps(setup.launches[0]!);
    const all = await nrps.members();
    expect(all.members.map((member) => member.user_id)).toEqual([
      'user-0',
      'user-1',
      'user-2',
      'user-3',
      'user-4',
    ]);
    expect(all.members[0]).toMatchObject({ name: 'User 0', email: 'user0@example.edu', status: 'Active' });
    expect((await nrps.members({ role: 'Instructor' })).members.map((member) => member.user_id)).toEqual([
      'user-0',
    ]);
    expect(
      (await nrps.members({ role: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner' })).members,
    ).toHaveLength(4);
    expect(
      (await nrps.members({ resourceLinkId: 'link-2' })).members.map((member) => member.user_id),
    ).toEqual(['user-3', 'user-4']);
    expect(all.differences).toContain('since=');
    setup.memberships.setContext(course, [
      ...members.slice(0, 4),
      { ...members[4]!, status: 'Deleted', updatedAt: new Date(setup.clock.now().getTime() + 1000) },
    ]);
    const changes = await nrps.changesSince(all.differences!);
    expect(changes.members.map((member) => [member.user_id, member.status])).toEqual([['user-4', 'Deleted']]);
  });

  it('reads Moodle’s short role names into full role URIs', async () => {
    loopback = await createLoopback({ platform: { quirks: { shortRoleNames: true } } });
    const setup = loopback;
    setup.memberships.setContext(course, members.slice(0, 2));
    await launch(setup);
    const { members: read } = await setup.services.nrps(setup.launches[0]!).members();
    expect(read.map((member) => member.roles)).toEqual([['Instructor'], ['Learner']]);
    expect(read.map((member) => member.parsedRoles[0]?.uri)).toEqual([
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
    ]);
  });
});
