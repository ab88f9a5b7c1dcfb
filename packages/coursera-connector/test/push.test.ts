import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LearningPlatformConnector } from '../src/connector/connector.ts';
import type { LearnerResult } from '../src/connector/types.ts';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { type NodeServer, serveNode } from '../src/http/serve-node.ts';
import { connectedClient, type Harness, startHarness } from './support/setup.ts';

const SECRET = 'webhook-secret-0123456789';

describe('pushed result changes (modelled webhooks, over loopback HTTP both ways)', () => {
  let harness: Harness;
  let connector: LearningPlatformConnector;
  let receiver: NodeServer;
  let received: LearnerResult[];
  let refused: unknown[];
  beforeEach(async () => {
    harness = await startHarness('node-http');
    connector = createCourseraConnector({
      client: await connectedClient(harness, { webhook: { secret: SECRET } }),
      clock: harness.clock,
    });
    received = [];
    refused = [];
    // Passport's side: an endpoint that hands each pushed request to the connector.
    receiver = await serveNode(async (request) => {
      try {
        received.push(...(await connector.results.receivePush!(request)));
        return new Response(null, { status: 204 });
      } catch (error) {
        refused.push(error);
        return new Response(null, { status: 400 });
      }
    });
  });
  afterEach(async () => {
    await receiver.close();
    await harness.stop();
  });

  it('an item grade set on Coursera arrives as an item result and a course result', async () => {
    expect(connector.capabilities.push).toBe(true);
    await harness.admin.setWebhook(`${receiver.url}/coursera/events`, SECRET);
    const program = harness.world.organizations[0]!.programs[0]!;
    const quiz = program.contents[0]!.items[1]!;
    await harness.admin.setResult({
      programId: program.id,
      externalId: 'ada@school.example',
      itemId: quiz.id,
      score: 7,
    });
    const deliveries = await harness.admin.webhookDeliveries();
    expect(deliveries.map((delivery) => [delivery.type, delivery.status])).toEqual([
      ['itemGrade.updated', 204],
      ['enrollment.updated', 204],
    ]);
    expect(received).toEqual([
      expect.objectContaining({
        learnerExternalId: 'ada@school.example',
        itemId: quiz.id,
        grade: { kind: 'points', points: 7, maximum: 10 },
        passed: false,
      }),
      expect.objectContaining({
        learnerExternalId: 'ada@school.example',
        itemId: undefined,
        courseId: program.contents[0]!.id,
      }),
    ]);
  });

  it('refuses a push signed with another secret, or too old (CONNECTOR_PUSH_INVALID)', async () => {
    await harness.admin.setWebhook(`${receiver.url}/coursera/events`, 'not-the-shared-secret-at-all');
    const program = harness.world.organizations[0]!.programs[0]!;
    await harness.admin.setResult({
      programId: program.id,
      externalId: 'a@school.example',
      contentId: program.contents[1]!.id,
      grade: 50,
    });
    expect((await harness.admin.webhookDeliveries()).map((delivery) => delivery.status)).toEqual([400]);
    expect(refused).toEqual([
      expect.objectContaining({ code: 'CONNECTOR_PUSH_INVALID', specError: 'COURSERA_WEBHOOK_INVALID' }),
    ]);

    await harness.admin.setWebhook(`${receiver.url}/coursera/events`, SECRET);
    harness.clock.advance(10 * 60 * 1000); // Passport's clock runs ahead of the signature time
    harness.simulator.context.state.advanceClock(-10 * 60 * 1000);
    await harness.admin.setResult({
      programId: program.id,
      externalId: 'a@school.example',
      contentId: program.contents[1]!.id,
      grade: 60,
    });
    await harness.admin.webhookDeliveries();
    expect(refused).toHaveLength(2);
    expect(received).toEqual([]);
  });

  it('a connector without a webhook secret does not accept pushes', async () => {
    const plain = createCourseraConnector({ client: await connectedClient(harness), clock: harness.clock });
    expect(plain.capabilities.push).toBe(false);
    expect(plain.results.receivePush).toBeUndefined();
  });
});
