import { afterEach, describe, expect, it } from 'vitest';
import { type Integration, learners, startIntegration } from './support/integration.ts';

let integration: Integration | undefined;
afterEach(async () => {
  await integration?.stop();
  integration = undefined;
});

const scorePosts = (requests: readonly string[]) =>
  requests.filter((request) => request.startsWith('POST scores'));

describe('final-grade mode over HTTP (Coursera simulator → engine → lti13 platform)', () => {
  it('sends each course grade once; nothing changed → nothing sent', async () => {
    integration = await startIntegration({ mode: 'final-grade' });
    const { engine, lms, binding } = integration;
    await integration.courseGrade('ada@school.example', 91);
    await integration.courseGrade('bob@school.example', 78.5);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 2, queued: 2, lineItemsCreated: 1 });
    expect(await engine.drain(binding.lmsId)).toMatchObject({ delivered: 2, stoppedBy: 'empty' });

    const [lineItem] = await lms.lineItems(binding.contextId);
    expect(lineItem).toMatchObject({
      label: 'Applied Data Science (Coursera)',
      scoreMaximum: 100,
      tag: 'passport-final-grade',
      resourceId: `passport:course:${binding.courseId}`,
    });
    const lineItemUrl = `${lms.origin}/lti/contexts/${binding.contextId}/lineitems/${lineItem!.id}`;
    const scores = await lms.scores(lineItemUrl);
    expect(scores.get('lms-ada')).toMatchObject({
      scoreGiven: 91,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    expect(scores.get('lms-bob')).toMatchObject({ scoreGiven: 78.5 });
    expect(scorePosts(lms.requests)).toHaveLength(2);

    // Again, with nothing changed on Coursera: nothing is sent.
    const again = await engine.sync(binding.id);
    expect(again.statistics).toMatchObject({ queued: 0 });
    expect(await engine.drain(binding.lmsId)).toMatchObject({ claimed: 0 });
    expect(await engine.sync(binding.id, { reread: true })).toMatchObject({
      statistics: { queued: 0, unchanged: 2 },
    });
    expect(scorePosts(lms.requests)).toHaveLength(2);
    expect(lms.gradebook.saved).toHaveLength(2);

    // One grade changes: exactly one score goes.
    await integration.courseGrade('bob@school.example', 88);
    expect((await engine.sync(binding.id)).statistics).toMatchObject({ queued: 1 });
    await engine.drain(binding.lmsId);
    expect(scorePosts(lms.requests)).toHaveLength(3);
    expect((await lms.scores(lineItemUrl)).get('lms-bob')).toMatchObject({ scoreGiven: 88 });
    expect(learners).toHaveLength(3);
  });
});
