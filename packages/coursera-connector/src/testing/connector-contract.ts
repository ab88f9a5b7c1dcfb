import { describe, expect, it } from 'vitest';
import type { LearningPlatformConnector } from '../connector/connector.ts';
import type { LearnerResult, ResultLevel } from '../connector/types.ts';

export interface ConnectorContractSetup {
  connector: LearningPlatformConnector;
  /** Called after each case. */
  close?: () => Promise<void>;
}

async function readResults(
  connector: LearningPlatformConnector,
  programId: string,
  level: ResultLevel,
  since?: string,
) {
  const results: LearnerResult[] = [];
  let watermark: string | undefined;
  for await (const page of connector.results.read({
    programId,
    level,
    ...(since === undefined ? {} : { since }),
  })) {
    expect(typeof page.watermark).toBe('string');
    results.push(...page.results);
    watermark = page.watermark;
  }
  expect(watermark, 'a read yields at least one page').toBeDefined();
  return { results, watermark: watermark! };
}

const resultKey = (result: LearnerResult) =>
  `${result.learnerExternalId}\u0000${result.courseId}\u0000${result.itemId ?? ''}`;

/**
 * What every learning-platform connector must do, whatever the platform: a new connector (a third platform) runs
 * this suite against a world with at least one program, one course and one result. `setup` gives a fresh connector.
 */
export function describeConnectorContract(name: string, setup: () => Promise<ConnectorContractSetup>): void {
  describe(`LearningPlatformConnector contract: ${name}`, () => {
    const withConnector = (test: (connector: LearningPlatformConnector) => Promise<void>) => async () => {
      const { connector, close } = await setup();
      try {
        await test(connector);
      } finally {
        await close?.();
      }
    };

    it(
      'programs list their courses, and courses say which program they are in',
      withConnector(async (connector) => {
        const programs = await connector.catalog.listPrograms();
        expect(programs.length).toBeGreaterThan(0);
        for (const program of programs) {
          const courses = await connector.catalog.listCourses(program.id);
          expect(courses.map((course) => course.id).sort()).toEqual([...program.courseIds].sort());
          for (const course of courses) {
            expect(course.programId).toBe(program.id);
            expect(['course', 'collection']).toContain(course.kind);
            expect(course.title.length).toBeGreaterThan(0);
          }
        }
      }),
    );

    it(
      'gradable items belong to their course, weigh 0..1 in total, and have distinct positions',
      withConnector(async (connector) => {
        const [program] = await connector.catalog.listPrograms();
        const courses = (await connector.catalog.listCourses(program!.id)).filter(
          (course) => course.kind === 'course',
        );
        if (!connector.capabilities.itemCatalog) {
          await expect(connector.catalog.listItems(courses[0]!.id)).rejects.toMatchObject({
            code: 'CONNECTOR_NOT_SUPPORTED',
          });
          return;
        }
        for (const course of courses) {
          const items = await connector.catalog.listItems(course.id);
          const total = items.reduce((sum, item) => sum + item.weight, 0);
          expect(total).toBeLessThanOrEqual(1 + 1e-9);
          expect(new Set(items.map((item) => item.order)).size).toBe(items.length);
          for (const item of items) {
            expect(item.courseId).toBe(course.id);
            expect(item.weight).toBeGreaterThanOrEqual(0);
            if (item.passingThreshold !== undefined) expect(item.passingThreshold).toBeLessThanOrEqual(1);
            if (item.maximumPoints !== undefined) expect(item.maximumPoints).toBeGreaterThan(0);
          }
        }
      }),
    );

    it(
      'an unknown course is CONNECTOR_NOT_FOUND',
      withConnector(async (connector) => {
        if (!connector.capabilities.itemCatalog) return;
        await expect(connector.catalog.listItems('no-such-course-anywhere')).rejects.toMatchObject({
          code: 'CONNECTOR_NOT_FOUND',
        });
      }),
    );

    for (const level of ['course', 'item'] as const) {
      it(
        `${level} results are in range, and a read from the last watermark brings nothing unseen`,
        withConnector(async (connector) => {
          if (level === 'item' && !connector.capabilities.itemResults) return;
          const [program] = await connector.catalog.listPrograms();
          const full = await readResults(connector, program!.id, level);
          expect(full.results.length).toBeGreaterThan(0);
          for (const result of full.results) {
            expect(result.programId).toBe(program!.id);
            expect(result.itemId === undefined).toBe(level === 'course');
            expect(Number.isNaN(result.updatedAt.getTime())).toBe(false);
            if (result.progress !== undefined) expect(result.progress).toBeGreaterThanOrEqual(0);
            if (result.progress !== undefined) expect(result.progress).toBeLessThanOrEqual(1);
            if (result.grade?.kind === 'fraction') expect(result.grade.value).toBeLessThanOrEqual(1);
            if (result.grade?.kind === 'points')
              expect(result.grade.points).toBeLessThanOrEqual(result.grade.maximum);
          }
          const seen = new Set(full.results.map(resultKey));
          const again = await readResults(connector, program!.id, level, full.watermark);
          for (const result of again.results) expect(seen.has(resultKey(result))).toBe(true);
        }),
      );
    }

    it(
      'membership changes work, or say CONNECTOR_NOT_SUPPORTED',
      withConnector(async (connector) => {
        const [program] = await connector.catalog.listPrograms();
        const learner = {
          externalId: 'contract.learner@school.example',
          email: 'contract.learner@school.example',
          fullName: 'Contract Learner',
        };
        if (connector.capabilities.manageMembership) {
          expect(['invited', 'added']).toContain(await connector.learners.invite(program!.id, learner));
          expect(['already-invited', 'already-member']).toContain(
            await connector.learners.invite(program!.id, learner),
          );
          expect(await connector.learners.remove(program!.id, 'nobody.at.all@school.example')).toBe(false);
        } else {
          await expect(connector.learners.invite(program!.id, learner)).rejects.toMatchObject({
            code: 'CONNECTOR_NOT_SUPPORTED',
          });
        }
      }),
    );

    it(
      'accepts pushed events exactly when it says it does',
      withConnector(async (connector) => {
        expect(typeof connector.results.receivePush === 'function').toBe(connector.capabilities.push);
      }),
    );

    it(
      'hands off to a URL for a course',
      withConnector(async (connector) => {
        const [program] = await connector.catalog.listPrograms();
        const url = connector.handOff.buildUrl({
          programId: program!.id,
          courseId: program!.courseIds[0]!,
          learner: { externalId: 'a@school.example', email: 'a@school.example', fullName: 'A' },
          returnUrl: 'https://lms.example/return',
          state: 'contract',
        });
        expect(url.protocol).toMatch(/^https?:$/);
      }),
    );
  });
}
