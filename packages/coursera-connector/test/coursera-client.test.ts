import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from '../src/adapters/memory/memory-token-store.ts';
import { createCourseraClient } from '../src/coursera/client.ts';
import {
  clientFor,
  connectedClient,
  consent,
  type Harness,
  type HostKind,
  REDIRECT_URI,
  startHarness,
} from './support/setup.ts';

const DAY = 24 * 60 * 60 * 1000;

// The same suite against the simulator on Node's http server (global fetch and an undici Agent) and in-process.
const hosts: HostKind[] = ['node-http', 'node-http+undici', 'in-process'];

describe.each(hosts)('Coursera client against the simulator (%s)', (host) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness(host);
  });
  afterEach(async () => {
    await harness.stop();
  });

  const tokenRequests = async () =>
    (await harness.admin.requests()).filter((r) => r.path === '/oauth2/v1/token');

  describe('OAuth consent and tokens', () => {
    it('stores tokens after the admin consents, refresh token valid 14 days', async () => {
      const client = await connectedClient(harness);
      const status = await client.consentStatus();
      expect(status.state).toBe('active');
      if (status.state !== 'active') return;
      expect(status.consentedAt).toEqual(harness.clock.now());
      expect(status.refreshTokenExpiresAt.getTime() - harness.clock.now().getTime()).toBe(14 * DAY);
      expect(status.accessTokenExpiresAt.getTime() - harness.clock.now().getTime()).toBe(1800 * 1000);
    });

    it('reports COURSERA_AUTHORIZATION_FAILED (access_denied) when the admin denies', async () => {
      const client = clientFor(harness);
      const { callbackUrl, state } = await consent(harness, client, 'deny');
      await expect(client.completeAuthorization(callbackUrl, state)).rejects.toMatchObject({
        code: 'COURSERA_AUTHORIZATION_FAILED',
        specError: 'access_denied',
      });
    });

    it('refuses a callback whose state does not match, and a replayed code', async () => {
      const client = clientFor(harness);
      const { callbackUrl, state } = await consent(harness, client);
      await expect(client.completeAuthorization(callbackUrl, 'other-state')).rejects.toMatchObject({
        code: 'COURSERA_AUTHORIZATION_FAILED',
      });
      await client.completeAuthorization(callbackUrl, state);
      await expect(client.completeAuthorization(callbackUrl, state)).rejects.toMatchObject({
        code: 'COURSERA_AUTHORIZATION_FAILED',
        specError: 'invalid_grant',
      });
    });

    it('asks for consent (COURSERA_CONSENT_REQUIRED) before any was given', async () => {
      const client = clientFor(harness);
      expect((await client.consentStatus()).state).toBe('missing');
      await expect(client.listPrograms().all()).rejects.toMatchObject({ code: 'COURSERA_CONSENT_REQUIRED' });
    });

    it('refreshes ahead of expiry (300 s before the 1800 s), not before', async () => {
      const client = await connectedClient(harness);
      harness.clock.advance(1499 * 1000);
      await client.listPrograms().all();
      expect(await tokenRequests()).toHaveLength(1); // the code exchange only
      harness.clock.advance(2 * 1000);
      await client.listPrograms().all();
      expect(await tokenRequests()).toHaveLength(2);
    });

    it('extends the refresh token on each refresh, so a connection in use never expires', async () => {
      const client = await connectedClient(harness);
      for (let day = 0; day < 3; day++) {
        harness.clock.advance(10 * DAY);
        await expect(client.listPrograms().all()).resolves.toHaveLength(2);
      }
      const status = await client.consentStatus();
      expect(
        status.state === 'active' && status.refreshTokenExpiresAt.getTime() - harness.clock.now().getTime(),
      ).toBe(14 * DAY);
    });

    it('tells an admin to renew consent after 14 days unused', async () => {
      const client = await connectedClient(harness);
      harness.clock.advance(14 * DAY + 1000);
      expect((await client.consentStatus()).state).toBe('expired');
      const error = await client
        .listPrograms()
        .all()
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'COURSERA_CONSENT_REQUIRED' });
      expect((error as { description: string }).description).toMatch(/administrator must .*connect again/);
    });

    it('turns a revoked consent into COURSERA_CONSENT_REQUIRED and forgets the dead tokens', async () => {
      const client = await connectedClient(harness);
      await harness.admin.revokeConsent();
      await expect(client.listPrograms().all()).rejects.toMatchObject({
        code: 'COURSERA_CONSENT_REQUIRED',
        specError: 'invalid_grant',
      });
      expect((await client.consentStatus()).state).toBe('missing');
    });

    it('refreshes once and retries when the API refuses an access token (401)', async () => {
      const client = await connectedClient(harness);
      harness.simulator.context.state.accessTokens.clear();
      await expect(client.listPrograms().all()).resolves.toHaveLength(2);
      const statuses = (await harness.admin.requests())
        .filter((r) => r.path.endsWith('/programs'))
        .map((r) => r.status);
      expect(statuses).toEqual([401, 200]);
    });

    it('rejects a page size above 1000 at construction (COURSERA_INVALID_OPTIONS)', () => {
      expect(() =>
        createCourseraClient({
          organizationId: 'o',
          clientId: 'c',
          clientSecret: 's',
          redirectUri: REDIRECT_URI,
          tokens: createMemoryTokenStore(),
          pageSize: 1001,
        }),
      ).toThrow(
        expect.objectContaining({
          code: 'COURSERA_INVALID_OPTIONS',
          message: expect.stringMatching(/pageSize/),
        }),
      );
    });
  });

  describe('documented endpoints', () => {
    it('lists programs with id, name, tagline, url and contentIds', async () => {
      const client = await connectedClient(harness);
      const programs = await client.listPrograms().all();
      expect(programs.map((program) => program.name)).toEqual([
        'Data Science Foundations',
        'Career Readiness: IT Support',
      ]);
      expect(programs[0]!.contentIds).toHaveLength(4);
      expect(programs[0]!.contentIds[3]).toMatchObject({ contentType: 'Specialization' });
      expect(programs[0]!.url).toMatch(/\/programs\/data-science-foundations$/);
    });

    it('pages contents byProgramIds with start/limit until paging.next is absent', async () => {
      const client = await connectedClient(harness, { pageSize: 2 });
      const contents = await client.listContents([harness.programIds.data, harness.programIds.it]).all();
      expect(contents).toHaveLength(7);
      expect(new Set(contents.map((content) => content.contentId)).size).toBe(7);
      const pages = (await harness.admin.requests()).filter((r) => r.path.endsWith('/contents'));
      expect(pages).toHaveLength(4);
    });

    it('invites idempotently: INVITATION_ALREADY_EXISTS and MEMBERSHIP_ALREADY_EXISTS are success with state', async () => {
      const client = await connectedClient(harness);
      const learner = {
        externalId: 'new.learner@school.example',
        fullName: 'New Learner',
        email: 'new.learner@school.example',
        sendEmail: true,
      };
      expect(await client.inviteLearner(harness.programIds.data, learner)).toMatchObject({
        state: 'INVITED',
      });
      expect(await client.inviteLearner(harness.programIds.data, learner)).toEqual({
        state: 'ALREADY_INVITED',
      });
      const member = harness.world.organizations[0]!.programs[0]!.members[0]!;
      expect(
        await client.inviteLearner(harness.programIds.data, {
          ...learner,
          externalId: member.externalId,
          email: member.email,
        }),
      ).toEqual({ state: 'ALREADY_MEMBER' });
    });

    it('rejects an invitation the API refuses with COURSERA_REJECTED and the wire code', async () => {
      const client = await connectedClient(harness);
      await expect(
        client.inviteLearner(harness.programIds.data, {
          externalId: 'x',
          fullName: 'X',
          email: 'not-an-email',
          sendEmail: false,
        }),
      ).rejects.toMatchObject({ code: 'COURSERA_REJECTED', specError: 'INVALID_REQUEST' });
    });

    it('lists memberships with {programId}~{externalId} ids and deletes idempotently', async () => {
      const client = await connectedClient(harness);
      const members = await client.listMemberships(harness.programIds.data).all();
      expect(members).toHaveLength(4);
      const first = members[0]!;
      expect(first.id).toBe(`${harness.programIds.data}~${first.externalId}`);
      expect(await client.removeMembership(harness.programIds.data, first.externalId)).toEqual({
        removed: true,
      });
      expect(await client.removeMembership(harness.programIds.data, first.externalId)).toEqual({
        removed: false,
      });
      expect(await client.listMemberships(harness.programIds.data).all()).toHaveLength(3);
    });

    it('reads enrollment reports, all or completed after a time', async () => {
      const client = await connectedClient(harness);
      const all = await client.listEnrollmentReports({ programId: harness.programIds.data }).all();
      expect(all).toHaveLength(4);
      expect(
        all.every((report) => typeof report.grade === 'string' && report.membershipState === 'MEMBER'),
      ).toBe(true);
      const program = harness.world.organizations[0]!.programs[0]!;
      const learner = program.members[1]!.externalId;
      await harness.admin.setResult({
        programId: program.id,
        externalId: learner,
        contentId: program.contents[2]!.id,
        grade: 91.5,
        isCompleted: true,
      });
      const recent = await client
        .listEnrollmentReports({
          programId: program.id,
          completedAtAfter: new Date(harness.clock.now().getTime() - 60_000),
        })
        .all();
      expect(recent).toEqual([
        expect.objectContaining({
          externalId: learner,
          contentId: program.contents[2]!.id,
          isCompleted: true,
          grade: '91.5',
        }),
      ]);
    });

    it('answers COURSERA_NOT_FOUND for an unknown program', async () => {
      const client = await connectedClient(harness);
      await expect(client.listMemberships('no-such-program').all()).rejects.toMatchObject({
        code: 'COURSERA_NOT_FOUND',
      });
    });
  });

  describe('modelled (not public) endpoints', () => {
    it('lists a course’s items in order with weights, thresholds and maximum scores', async () => {
      const client = await connectedClient(harness);
      const course = harness.world.organizations[0]!.programs[0]!.contents[0]!;
      const items = await client.listContentItems(course.id).all();
      expect(items.map((item) => [item.itemType, item.gradingWeight, item.order])).toEqual([
        ['UNGRADED', 0, 0],
        ['QUIZ', 20, 1],
        ['PROGRAMMING_ASSIGNMENT', 30, 2],
        ['PEER_REVIEW', 20, 3],
        ['EXAM', 30, 4],
      ]);
    });

    it('lists item grades updated after a time', async () => {
      const client = await connectedClient(harness);
      const program = harness.world.organizations[0]!.programs[0]!;
      const seeded = await client.listItemGrades({ programId: program.id }).all();
      expect(seeded.length).toBeGreaterThan(3);
      const quiz = program.contents[0]!.items[1]!;
      await harness.admin.setResult({
        programId: program.id,
        externalId: 'ada@school.example',
        itemId: quiz.id,
        score: 9,
      });
      const recent = await client
        .listItemGrades({ programId: program.id, updatedAfter: new Date(harness.clock.now().getTime() - 1) })
        .all();
      expect(recent).toEqual([
        expect.objectContaining({
          externalId: 'ada@school.example',
          itemId: quiz.id,
          score: 9,
          maxScore: 10,
          isPassed: true,
        }),
      ]);
    });
  });
});
