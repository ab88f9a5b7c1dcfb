import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deepLink,
  type GradePath,
  joinProgram,
  learners,
  scoresOn,
  startGradePath,
  tenantId,
  until,
} from './gradesync-harness.ts';

const [ada, bob] = learners;

/** Delivers until nothing is due (retries wait out a short backoff), or fails after the deadline. */
async function drainUntilSettled(path: GradePath, lmsId: string, condition: () => Promise<boolean>) {
  await until('the outbox to settle', async () => {
    await path.gradeSync.drain(lmsId);
    return await condition();
  });
}

describe('grade sync on the server database (PGlite)', { timeout: 60_000 }, () => {
  let path: GradePath;
  beforeAll(async () => {
    path = await startGradePath('pglite');
  }, 120_000);
  afterAll(async () => {
    await path?.close();
  });

  it("a sync run reads the simulator's results and posts scores to the LMS's AGS endpoint; a second run sends nothing new", async () => {
    const { binding, programId, courseId } = await deepLink(path, {
      context: { id: 'course-final', title: 'Biology' },
      choice: 'final-grade',
    });
    await joinProgram(path, programId);
    await path.coursera.admin.setResult({
      programId,
      externalId: ada.email,
      contentId: courseId,
      grade: 91,
      overallProgress: 100,
      isCompleted: true,
    });
    await path.coursera.admin.setResult({
      programId,
      externalId: bob.email,
      contentId: courseId,
      grade: 78.5,
      overallProgress: 100,
      isCompleted: true,
    });

    const run = await path.gradeSync.sync(binding.id);
    expect(run).toMatchObject({ tenantId, trigger: 'on-demand' });
    expect(run.error).toBeUndefined();
    expect(run.statistics).toMatchObject({ queued: 2, lineItemsCreated: 0 });
    // The seeded program's own learners are not in this LMS course: reported unmatched, never guessed.
    const unmatched = run.statistics.findings.map((finding) => finding.learnerExternalId);
    expect(unmatched).toHaveLength(run.statistics.unmatched);
    expect(unmatched).not.toContain(ada.email);
    expect(unmatched).not.toContain(bob.email);
    expect(await path.gradeSync.drain(binding.lmsId)).toMatchObject({ delivered: 2, stoppedBy: 'empty' });

    // The grade column the LMS made from the deep link receives the course grades, from Coursera's completion.
    const [lineItem, ...others] = (await path.gradebook.listLineItems('course-final')).filter(
      (candidate) => candidate.tag === 'passport-final-grade',
    );
    expect(others).toEqual([]);
    const scores = await scoresOn(path, lineItem!.id);
    expect(scores.get(ada.userId)).toMatchObject({
      scoreGiven: 91,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(scores.get(bob.userId)).toMatchObject({ scoreGiven: 78.5, scoreMaximum: 100 });
    const posted = path.gradebook.saved.length;
    expect(posted).toBe(2);

    const second = await path.gradeSync.sync(binding.id);
    expect(second.statistics).toMatchObject({ queued: 0, unchanged: 2 });
    expect(await path.gradeSync.drain(binding.lmsId)).toMatchObject({ delivered: 0 });
    expect(path.gradebook.saved).toHaveLength(posted);

    const overview = await path.gradeSync.overview({ tenantId });
    const runs = overview.runs.filter((entry) => entry.run.bindingId === binding.id);
    expect(runs.map((entry) => entry.totals.queued)).toEqual([0, 2]); // latest first
    expect(runs[1]?.totals).toMatchObject({ delivered: 2 });
  });

  it('option A: each deep-linked item fills its own grade column once the LMS syncs in that mode', async () => {
    const { binding, programId, itemIds } = await deepLink(path, {
      context: { id: 'course-items', title: 'Biology items' },
      deploymentId: 'deployment-2',
      choice: 'granular-linked',
      itemCount: 2,
    });
    const change = await path.gradeSync.setMode(binding.lmsId, 'granular-linked', 'test:district-admin');
    expect(change).toMatchObject({ from: 'final-grade', to: 'granular-linked' });
    await joinProgram(path, programId);
    const [first, second] = itemIds as [string, string];
    await path.coursera.admin.setResult({ programId, externalId: ada.email, itemId: first, score: 8 });
    await path.coursera.admin.setResult({ programId, externalId: bob.email, itemId: second, score: 15 });

    const run = await path.gradeSync.sync(binding.id);
    expect(run.statistics).toMatchObject({ queued: 2, notLinked: 0 });
    await path.gradeSync.drain(binding.lmsId);
    const lineItems = await path.gradebook.listLineItems('course-items');
    const columnOf = (itemId: string) =>
      lineItems.find((lineItem) => lineItem.resourceId === `passport:item:${binding.courseId}:${itemId}`)!;
    expect((await scoresOn(path, columnOf(first).id)).get(ada.userId)).toMatchObject({ scoreGiven: 8 });
    expect((await scoresOn(path, columnOf(second).id)).get(bob.userId)).toMatchObject({ scoreGiven: 15 });
    const overview = await path.gradeSync.overview();
    expect(overview.bindings.find((entry) => entry.binding.id === binding.id)).toMatchObject({
      mode: 'granular-linked',
      pendingItems: [],
    });
  });

  it('a failing LMS shows the failure and its retry', async () => {
    const { binding, programId, courseId } = await deepLink(path, {
      context: { id: 'course-failing', title: 'Biology failing' },
      deploymentId: 'deployment-3',
      choice: 'final-grade',
      courseIndex: 2, // a course no other test gave results on
    });
    await joinProgram(path, programId);
    await path.coursera.admin.setResult({
      programId,
      externalId: ada.email,
      contentId: courseId,
      grade: 64,
      isCompleted: true,
    });
    const [lineItem] = await path.gradebook.listLineItems('course-failing');

    // A passing outage: the LMS answers 503 twice; the score waits with its error, then goes.
    path.faults.push({
      on: 'scores',
      times: 2,
      respond: () => new Response('maintenance', { status: 503 }),
    });
    await path.gradeSync.sync(binding.id);
    const first = await path.gradeSync.drain(binding.lmsId);
    expect(first.delivered).toBe(0);
    expect(first.retried).toBeGreaterThanOrEqual(1);
    const waiting = (await path.gradeSync.overview()).waiting.filter(
      (entry) => entry.lmsId === binding.lmsId,
    );
    expect(waiting).toEqual([
      expect.objectContaining({
        userId: ada.userId,
        attempts: expect.any(Number),
        lastError: expect.any(String),
      }),
    ]);
    await drainUntilSettled(path, binding.lmsId, async () =>
      (await scoresOn(path, lineItem!.id)).has(ada.userId),
    );
    expect(path.faults.at(-1)?.times).toBe(0);

    // A refusal: the LMS says no (400); the score becomes a failure an admin sees, with its reason, and retries.
    path.faults.push({
      on: 'scores',
      times: 1,
      respond: () =>
        Response.json({ error: 'invalid_score', message: 'user not in course' }, { status: 400 }),
    });
    await path.coursera.admin.setResult({
      programId,
      externalId: ada.email,
      contentId: courseId,
      grade: 72,
      isCompleted: true,
    });
    expect((await path.gradeSync.sync(binding.id)).statistics).toMatchObject({ queued: 1 });
    expect(await path.gradeSync.drain(binding.lmsId)).toMatchObject({ delivered: 0, deadLettered: 1 });
    const [failure, ...more] = (await path.gradeSync.overview({ tenantId })).failures.filter(
      (letter) => letter.entry.lmsId === binding.lmsId,
    );
    expect(more).toEqual([]);
    expect(failure).toMatchObject({ reason: 'GRADESYNC_SCORE_REJECTED', entry: { userId: ada.userId } });
    expect((await scoresOn(path, lineItem!.id)).get(ada.userId)).toMatchObject({ scoreGiven: 64 });

    await path.gradeSync.retryFailure(failure!.id, 'test:district-admin');
    expect((await path.gradeSync.overview()).failures.filter((letter) => letter.id === failure!.id)).toEqual(
      [],
    );
    expect(await path.gradeSync.drain(binding.lmsId)).toMatchObject({ delivered: 1 });
    expect((await scoresOn(path, lineItem!.id)).get(ada.userId)).toMatchObject({ scoreGiven: 72 });
  });
});
