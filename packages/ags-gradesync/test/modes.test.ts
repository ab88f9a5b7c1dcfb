import { afterEach, describe, expect, it } from 'vitest';
import { type Integration, startIntegration } from './support/integration.ts';

let integration: Integration | undefined;
afterEach(async () => {
  await integration?.stop();
  integration = undefined;
});

const urlOf = (integration: Integration, id: string) =>
  `${integration.lms.origin}/lti/contexts/${integration.binding.contextId}/lineitems/${id}`;

describe('granular option B over HTTP', () => {
  it('creates a tagged, resourceId-keyed line item per Coursera item once, and one more when the course gains an item', async () => {
    integration = await startIntegration({ mode: 'granular-created' });
    const { engine, lms, binding, coursera } = integration;
    await integration.itemScore('ada@school.example', 0, 9);
    await integration.itemScore('ada@school.example', 1, 15);
    await integration.itemScore('cy@school.example', 1, 4);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ lineItemsCreated: 2, considered: 3, queued: 3 });
    await engine.drain(binding.lmsId);
    const lineItems = await lms.lineItems(binding.contextId);
    expect(
      lineItems.map((lineItem) => [lineItem.label, lineItem.scoreMaximum, lineItem.tag, lineItem.resourceId]),
    ).toEqual([
      ['Quiz 1', 10, 'passport-item', `passport:item:${binding.courseId}:${coursera.course.items[0]!.id}`],
      ['Lab 1', 20, 'passport-item', `passport:item:${binding.courseId}:${coursera.course.items[1]!.id}`],
    ]);
    expect((await lms.scores(urlOf(integration, lineItems[0]!.id))).get('lms-ada')).toMatchObject({
      scoreGiven: 9,
      scoreMaximum: 10,
    });
    expect((await lms.scores(urlOf(integration, lineItems[1]!.id))).get('lms-cy')).toMatchObject({
      scoreGiven: 4,
      scoreMaximum: 20,
    });

    expect((await engine.sync(binding.id)).statistics.lineItemsCreated).toBe(0);
    await coursera.admin.addItem(binding.courseId, { name: 'Final exam', maxScore: 50 });
    expect((await engine.sync(binding.id)).statistics.lineItemsCreated).toBe(1);
    expect((await engine.sync(binding.id)).statistics.lineItemsCreated).toBe(0);
    expect((await lms.lineItems(binding.contextId)).map((lineItem) => lineItem.label)).toEqual([
      'Quiz 1',
      'Lab 1',
      'Final exam',
    ]);
    expect(lms.requests.filter((request) => request === 'POST lineitems 201')).toHaveLength(3);
  });

  it('recreates a line item the instructor deleted, and sends its scores again', async () => {
    integration = await startIntegration({ mode: 'granular-created' });
    const { engine, lms, binding } = integration;
    await integration.itemScore('ada@school.example', 0, 7);
    await integration.itemScore('bob@school.example', 0, 8);
    await engine.sync(binding.id);
    await engine.drain(binding.lmsId);
    const [quiz] = await lms.lineItems(binding.contextId);
    await lms.deleteLineItem(binding.contextId, urlOf(integration, quiz!.id));
    await integration.itemScore('ada@school.example', 0, 10);
    await engine.sync(binding.id);
    const report = await engine.drain(binding.lmsId);
    expect(report).toMatchObject({ recreated: 1, deadLettered: 0 });
    const lineItems = await lms.lineItems(binding.contextId);
    const recreated = lineItems.find((lineItem) => lineItem.label === 'Quiz 1')!;
    expect(recreated.id).not.toBe(quiz!.id);
    const scores = await lms.scores(urlOf(integration, recreated.id));
    expect(scores.get('lms-ada')).toMatchObject({ scoreGiven: 10 });
    expect(scores.get('lms-bob')).toMatchObject({ scoreGiven: 8 });
    expect(await engine.listDeadLetters()).toEqual([]);
  });
});

describe('granular option A over HTTP', () => {
  it('sends each deep-linked item to its activity’s line item; items not linked are reported', async () => {
    integration = await startIntegration({ mode: 'granular-linked' });
    const { engine, lms, binding, coursera } = integration;
    // The instructor deep-linked Quiz 1 as an activity: the LMS created its line item, bound to the resource link.
    await lms.gradebook.saveLineItem({
      id: 'activity-quiz-1',
      contextId: binding.contextId,
      clientId: lms.clientId,
      label: 'Quiz 1 (Coursera)',
      scoreMaximum: 100,
      resourceLinkId: 'resource-link-quiz-1',
    });
    await engine.bind({
      ...binding,
      itemLineItems: { [coursera.course.items[0]!.id]: urlOf(integration, 'activity-quiz-1') },
    });
    await integration.itemScore('ada@school.example', 0, 8);
    await integration.itemScore('ada@school.example', 1, 20);
    const run = await engine.sync(binding.id);
    expect(run.statistics).toMatchObject({ considered: 2, queued: 1, notLinked: 1, lineItemsCreated: 0 });
    expect(run.statistics.findings).toMatchObject([
      { code: 'GRADESYNC_ITEM_NOT_LINKED', itemId: coursera.course.items[1]!.id },
    ]);
    await engine.drain(binding.lmsId);
    expect((await lms.scores(urlOf(integration, 'activity-quiz-1'))).get('lms-ada')).toMatchObject({
      scoreGiven: 80,
      scoreMaximum: 100,
    });
    expect(await lms.lineItems(binding.contextId)).toHaveLength(1);
  });

  it('a deleted activity line item is not recreated: its scores go to the dead letters', async () => {
    integration = await startIntegration({ mode: 'granular-linked' });
    const { engine, lms, binding, coursera } = integration;
    await lms.gradebook.saveLineItem({
      id: 'activity-quiz-1',
      contextId: binding.contextId,
      clientId: lms.clientId,
      label: 'Quiz 1 (Coursera)',
      scoreMaximum: 10,
      resourceLinkId: 'resource-link-quiz-1',
    });
    await engine.bind({
      ...binding,
      itemLineItems: { [coursera.course.items[0]!.id]: urlOf(integration, 'activity-quiz-1') },
    });
    await integration.itemScore('ada@school.example', 0, 8);
    await engine.sync(binding.id);
    await lms.deleteLineItem(binding.contextId, urlOf(integration, 'activity-quiz-1'));
    expect(await engine.drain(binding.lmsId)).toMatchObject({ deadLettered: 1, recreated: 0 });
    expect(await engine.listDeadLetters()).toMatchObject([{ reason: 'GRADESYNC_LINE_ITEM_DELETED' }]);
    expect(await lms.lineItems(binding.contextId)).toEqual([]);
  });
});
