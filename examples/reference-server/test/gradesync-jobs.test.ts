import { afterEach, describe, expect, it } from 'vitest';
import {
  deepLink,
  type GradePath,
  joinProgram,
  learners,
  scoresOn,
  startGradePath,
  until,
} from './gradesync-harness.ts';
import { skipPostgres } from './support/postgres.ts';

const [ada] = learners;

let path: GradePath | undefined;
afterEach(async () => {
  await path?.close();
  path = undefined;
});

function defineJobSuite(kind: 'pglite' | 'postgres', options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip === true)(`grade sync jobs (pg-boss) on ${kind}`, { timeout: 90_000 }, () => {
    it('a requested sync runs as jobs: the score reaches the LMS, and shutdown lets the delivery in flight finish', async () => {
      path = await startGradePath(kind);
      const { binding, programId, courseId } = await deepLink(path, {
        context: { id: 'course-jobs', title: 'Biology jobs' },
        choice: 'final-grade',
      });
      await joinProgram(path, programId);
      await path.coursera.admin.setResult({
        programId,
        externalId: ada.email,
        contentId: courseId,
        grade: 88,
        isCompleted: true,
      });
      await path.gradeSync.start();
      // pg-boss keeps its own tables beside the server's: the tenant's periodic sync is scheduled there.
      const schedules = await path.database.sql.query<{ key: string }>(
        `select key from ${path.database.schema === 'public' ? 'pgboss' : `${path.database.schema}_pgboss`}.schedule where name = 'gradesync-tenant'`,
      );
      expect(schedules.rows.map((row) => row.key)).toEqual(['lincoln']);

      const [lineItem] = await path.gradebook.listLineItems('course-jobs');
      await path.gradeSync.requestSync(binding.id);
      await until('the score in the LMS', async () => (await scoresOn(path!, lineItem!.id)).has(ada.userId));
      expect((await scoresOn(path, lineItem!.id)).get(ada.userId)).toMatchObject({ scoreGiven: 88 });

      // A slow LMS: the next score is in flight when shutdown starts, and shutdown waits for it.
      path.scoreDelay.ms = 1500;
      await path.coursera.admin.setResult({
        programId,
        externalId: ada.email,
        contentId: courseId,
        grade: 95,
        isCompleted: true,
      });
      await path.gradeSync.requestSync(binding.id);
      await until('a score post in flight', async () => path!.scoresInFlight.count > 0);
      await path.gradeSync.stop({ timeoutMs: 10_000 });
      expect(path.scoresInFlight.count).toBe(0);
      expect((await scoresOn(path, lineItem!.id)).get(ada.userId)).toMatchObject({ scoreGiven: 95 });
      const overview = await path.gradeSync.overview();
      expect(overview.waiting).toEqual([]);
      expect(overview.failures).toEqual([]);
    });
  });
}

defineJobSuite('pglite');
defineJobSuite('postgres', { skip: skipPostgres });
