import { afterEach, describe, expect, it } from 'vitest';
import { launchRecordOf } from '../src/adapters/lti13/lti-gradebook.ts';
import { type Integration, learners, startIntegration } from './support/integration.ts';
import { instructorRole, learnerRole } from './support/lti-platform.ts';

let integration: Integration | undefined;
afterEach(async () => {
  await integration?.stop();
  integration = undefined;
});

async function finalGradeLineItemUrl(integration: Integration) {
  const [lineItem] = await integration.lms.lineItems(integration.binding.contextId);
  return `${integration.lms.origin}/lti/contexts/${integration.binding.contextId}/lineitems/${lineItem!.id}`;
}

describe('matching learners over HTTP', () => {
  it('without SSO: by NRPS email or lis_person_sourcedid; ambiguities reported, never guessed, until an admin links one', async () => {
    integration = await startIntegration();
    const { engine, lms, binding, stores } = integration;
    lms.memberships.setContext({ id: binding.contextId }, [
      ...learners.map((learner) => ({ ...learner, roles: [learnerRole] })),
      { userId: 'lms-dan', lisPersonSourcedId: 'sis-dan', roles: [learnerRole] },
      // Two LMS accounts share an email (a duplicate account): the engine must not choose.
      { userId: 'lms-eve-1', email: 'eve@school.example', roles: [learnerRole] },
      { userId: 'lms-eve-2', email: 'eve@school.example', roles: [learnerRole] },
      { userId: 'lms-teacher', email: 'teacher@school.example', roles: [instructorRole] },
    ]);
    await integration.courseGrade('ada@school.example', 90);
    await integration.courseGrade('sis-dan', 70);
    await integration.courseGrade('eve@school.example', 60);
    await integration.courseGrade('teacher@school.example', 100);
    await integration.courseGrade('nobody@school.example', 50);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 5, queued: 2, ambiguous: 1, unmatched: 2 });
    expect(run.statistics.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'GRADESYNC_LEARNER_AMBIGUOUS',
          learnerExternalId: 'eve@school.example',
          candidates: ['lms-eve-1', 'lms-eve-2'],
        }),
        expect.objectContaining({
          code: 'GRADESYNC_LEARNER_UNMATCHED',
          learnerExternalId: 'teacher@school.example',
        }),
        expect.objectContaining({
          code: 'GRADESYNC_LEARNER_UNMATCHED',
          learnerExternalId: 'nobody@school.example',
        }),
      ]),
    );
    await engine.drain(binding.lmsId);
    const scores = await lms.scores(await finalGradeLineItemUrl(integration));
    expect([...scores.keys()].sort()).toEqual(['lms-ada', 'lms-dan']);

    // The admin says which account is Eve's (the link an SSO hand-off would have made): her grade goes.
    await stores.learnerLinks.recordAccountLink({
      lmsId: binding.lmsId,
      userId: 'lms-eve-2',
      platform: 'coursera',
      externalId: 'eve@school.example',
      at: new Date(),
    });
    const resolved = await engine.sync(binding.id, { reread: true });
    expect(resolved.statistics).toMatchObject({ queued: 1, ambiguous: 0 });
    await engine.drain(binding.lmsId);
    expect((await lms.scores(await finalGradeLineItemUrl(integration))).get('lms-eve-2')).toMatchObject({
      scoreGiven: 60,
    });
  });

  it('with SSO: the account linked at first sign-on and the launch’s email match learners the roster does not name', async () => {
    integration = await startIntegration();
    const { engine, lms, binding, stores } = integration;
    // The LMS hides emails from NRPS (a common privacy setting).
    lms.memberships.setContext({ id: binding.contextId }, [
      { userId: 'lms-fay', roles: [learnerRole] },
      { userId: 'lms-gus', roles: [learnerRole] },
    ]);
    const launch = {
      user: { id: 'lms-gus', email: 'gus@school.example' },
      lis: { person_sourcedid: 'sis-gus' },
    } as unknown as Parameters<typeof launchRecordOf>[1];
    const at = new Date();
    await stores.learnerLinks.recordLaunch(launchRecordOf(binding.lmsId, launch, at)!);
    await stores.learnerLinks.recordAccountLink({
      lmsId: binding.lmsId,
      userId: 'lms-fay',
      platform: 'coursera',
      externalId: 'coursera-fay-77',
      at,
    });
    expect(await stores.learnerLinks.listLaunches(binding.lmsId)).toEqual([
      { lmsId: binding.lmsId, userId: 'lms-gus', email: 'gus@school.example', sourcedId: 'sis-gus', at },
    ]);
    await integration.courseGrade('coursera-fay-77', 81);
    await integration.courseGrade('gus@school.example', 64);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ queued: 2, unmatched: 0 });
    await engine.drain(binding.lmsId);
    const scores = await lms.scores(await finalGradeLineItemUrl(integration));
    expect(scores.get('lms-fay')).toMatchObject({ scoreGiven: 81 });
    expect(scores.get('lms-gus')).toMatchObject({ scoreGiven: 64 });
  });
});
