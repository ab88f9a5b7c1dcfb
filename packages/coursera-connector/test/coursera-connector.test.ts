import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LearningPlatformConnector } from '../src/connector/connector.ts';
import type { LearnerResult, ResultPage, ResultQuery } from '../src/connector/types.ts';
import { createCourseraConnector, ENROLLMENT_REPORT_LAG_MS } from '../src/coursera/coursera-connector.ts';
import { clientFor, connectedClient, type Harness, startHarness } from './support/setup.ts';

async function readAll(connector: LearningPlatformConnector, query: ResultQuery) {
  const results: LearnerResult[] = [];
  const pages: ResultPage[] = [];
  for await (const page of connector.results.read(query)) {
    pages.push(page);
    results.push(...page.results);
  }
  return { results, pages, watermark: pages.at(-1)!.watermark };
}

describe('the Coursera connector behind the neutral interface (over loopback HTTP)', () => {
  let harness: Harness;
  let connector: LearningPlatformConnector;
  beforeEach(async () => {
    harness = await startHarness('node-http');
    connector = createCourseraConnector({ client: await connectedClient(harness), clock: harness.clock });
  });
  afterEach(async () => {
    await harness.stop();
  });

  describe('catalog', () => {
    it('maps programs, courses (a specialization is a collection) and gradable items', async () => {
      const programs = await connector.catalog.listPrograms();
      expect(programs.map((program) => [program.name, program.courseIds.length])).toEqual([
        ['Data Science Foundations', 4],
        ['Career Readiness: IT Support', 3],
      ]);
      const courses = await connector.catalog.listCourses(harness.programIds.data);
      expect(courses.map((course) => course.kind)).toEqual(['course', 'course', 'course', 'collection']);
      expect(courses[0]).toMatchObject({ programId: harness.programIds.data, platformType: 'Course' });
      const items = await connector.catalog.listItems(courses[0]!.id);
      expect(
        items.map((item) => [item.type, item.weight, item.passingThreshold, item.maximumPoints, item.order]),
      ).toEqual([
        ['quiz', 0.2, 0.8, 10, 1],
        ['programming', 0.3, 0.7, 100, 2],
        ['peer-review', 0.2, 0.8, 12, 3],
        ['exam', 0.3, 0.8, 20, 4],
      ]);
    });

    it('answers CONNECTOR_NOT_FOUND for an unknown course', async () => {
      await expect(connector.catalog.listItems('no-such-course')).rejects.toMatchObject({
        code: 'CONNECTOR_NOT_FOUND',
        platform: 'coursera',
      });
    });
  });

  describe('learners', () => {
    const ada = { externalId: 'ada@school.example', email: 'ada@school.example', fullName: 'Ada Lovelace' };

    it('invites idempotently and says what happened', async () => {
      expect(await connector.learners.invite(harness.programIds.data, ada)).toBe('invited');
      expect(await connector.learners.invite(harness.programIds.data, ada)).toBe('already-invited');
      const member = harness.world.organizations[0]!.programs[0]!.members[0]!;
      expect(
        await connector.learners.invite(harness.programIds.data, { ...ada, externalId: member.externalId }),
      ).toBe('already-member');
    });

    it('adds without an email (a pre-provisioned invitation until the learner signs on)', async () => {
      expect(await connector.learners.add(harness.programIds.it, ada)).toBe('invited');
      const invitation = harness.simulator.context.state.invitations.get(
        `${harness.programIds.it}~${ada.externalId}`,
      );
      expect(invitation?.sendEmail).toBe(false);
    });

    it('lists members and removes them idempotently', async () => {
      const members = [];
      for await (const member of connector.learners.listMembers(harness.programIds.data))
        members.push(member);
      expect(members).toHaveLength(4);
      expect(members[0]).toMatchObject({ state: 'member', joinedAt: expect.any(Date) });
      expect(await connector.learners.remove(harness.programIds.data, members[0]!.externalId)).toBe(true);
      expect(await connector.learners.remove(harness.programIds.data, members[0]!.externalId)).toBe(false);
    });
  });

  describe('results since a watermark', () => {
    it('course level: a full read, then an incremental one that overlaps by the 24 h report lag', async () => {
      const full = await readAll(connector, { programId: harness.programIds.data, level: 'course' });
      expect(full.results).toHaveLength(4);
      expect(full.watermark).toBe(
        new Date(harness.clock.now().getTime() - ENROLLMENT_REPORT_LAG_MS).toISOString(),
      );
      const graded = full.results.find((result) => result.grade !== undefined)!;
      expect(graded.grade).toMatchObject({ kind: 'fraction', value: expect.any(Number) });
      expect(graded.progress).toBeGreaterThan(0);
      expect(graded.progress).toBeLessThanOrEqual(1);

      harness.clock.advance(60 * 60 * 1000);
      const program = harness.world.organizations[0]!.programs[0]!;
      const learner = program.members[2]!.externalId;
      await harness.admin.setResult({
        programId: program.id,
        externalId: learner,
        contentId: program.contents[1]!.id,
        grade: 88,
        isCompleted: true,
      });
      const next = await readAll(connector, {
        programId: program.id,
        level: 'course',
        since: full.watermark,
      });
      expect(next.results).toEqual([
        expect.objectContaining({
          learnerExternalId: learner,
          courseId: program.contents[1]!.id,
          itemId: undefined,
          grade: { kind: 'fraction', value: 0.88 },
          passed: true,
          progress: 1,
          completedAt: harness.clock.now(),
        }),
      ]);
    });

    it('item level: points with a maximum, and the next read starts at the newest change', async () => {
      const program = harness.world.organizations[0]!.programs[0]!;
      const full = await readAll(connector, { programId: program.id, level: 'item' });
      expect(full.results.length).toBeGreaterThan(3);
      expect(
        full.results.every((result) => result.itemId !== undefined && result.grade?.kind === 'points'),
      ).toBe(true);
      const newest = Math.max(...full.results.map((result) => result.updatedAt.getTime()));
      expect(full.watermark).toBe(new Date(newest - 1).toISOString());

      const exam = program.contents[0]!.items[4]!;
      await harness.admin.setResult({
        programId: program.id,
        externalId: 'ada@school.example',
        itemId: exam.id,
        score: 12,
      });
      const next = await readAll(connector, { programId: program.id, level: 'item', since: full.watermark });
      const ada = next.results.filter((result) => result.learnerExternalId === 'ada@school.example');
      expect(ada).toEqual([
        expect.objectContaining({
          itemId: exam.id,
          grade: { kind: 'points', points: 12, maximum: 20 },
          passed: false,
          progress: 1,
        }),
      ]);
      expect(next.results.every((result) => result.updatedAt.getTime() > newest - 1)).toBe(true);
    });

    it('an empty read still yields one page carrying the watermark', async () => {
      const { pages } = await readAll(connector, {
        programId: harness.programIds.it,
        level: 'item',
        since: '2025-03-01T00:00:00.000Z',
      });
      expect(pages).toEqual([{ results: [], watermark: '2025-03-01T00:00:00.000Z' }]);
    });

    it('refuses a watermark it did not write (CONNECTOR_INVALID_OPTIONS)', async () => {
      await expect(
        readAll(connector, { programId: harness.programIds.data, level: 'course', since: 'yesterday-ish' }),
      ).rejects.toMatchObject({ code: 'CONNECTOR_INVALID_OPTIONS' });
    });
  });

  it('tells the consumer an admin must consent (CONNECTOR_CONSENT_REQUIRED) with a message to show', async () => {
    const unconnected = createCourseraConnector({ client: clientFor(harness), clock: harness.clock });
    const error = await unconnected.catalog.listPrograms().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'CONNECTOR_CONSENT_REQUIRED',
      status: 503,
      specError: 'COURSERA_CONSENT_REQUIRED',
    });
    expect((error as { description: string }).description).toMatch(/Coursera administrator must/);
  });
});
