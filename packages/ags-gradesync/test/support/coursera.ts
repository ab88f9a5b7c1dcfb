import {
  createCourseraClient,
  createCourseraConnector,
  createMemoryTokenStore,
  type LearningPlatformConnector,
} from '@passport/coursera-connector';
import {
  createSimulatorAdmin,
  type RunningCourseraSimulator,
  type SimulatorAdmin,
  startCourseraSimulator,
} from '@passport/coursera-connector/simulator';

export const WEBHOOK_SECRET = 'gradesync-webhook-secret-0123456789';

export interface CourseraHarness {
  readonly simulator: RunningCourseraSimulator;
  /** The simulator's admin endpoints, retried on a reset connection (a keep-alive race under load). */
  readonly admin: SimulatorAdmin;
  readonly connector: LearningPlatformConnector;
  readonly programId: string;
  /** A course added for the test, with its gradable items. */
  readonly course: { id: string; items: Array<{ id: string }> };
  stop(): Promise<void>;
}

/** A fetch that retries a reset connection (a keep-alive race under load), for the simulator's admin endpoints. */
const retrying = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await globalThis.fetch(input, init);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}) as typeof fetch;

/**
 * A connector over the Coursera simulator at `url`, as a server process builds one: its own client and tokens, the
 * organization's consent given through the simulator's consent page. Any process can call it (the crash test's
 * worker processes do).
 */
export async function connectCoursera(url: string): Promise<{
  readonly admin: SimulatorAdmin;
  readonly connector: LearningPlatformConnector;
  readonly programId: string;
}> {
  const admin = createSimulatorAdmin(url, { fetch: retrying });
  const world = await admin.world();
  const organization = world.organizations[0]!;
  const client = createCourseraClient({
    organizationId: organization.id,
    clientId: world.oauthClients[0]!.clientId,
    clientSecret: world.oauthClients[0]!.clientSecret,
    redirectUri: 'http://127.0.0.1:9/coursera/callback',
    apiUrl: url,
    accountsUrl: url,
    tokens: createMemoryTokenStore(),
    webhook: { secret: WEBHOOK_SECRET },
  });
  const callback = await admin.approveConsent(client.authorizationUrl('state-1'));
  await client.completeAuthorization(callback, 'state-1');
  return { admin, connector: createCourseraConnector({ client }), programId: organization.programs[0]!.id };
}

/** The Coursera simulator on 127.0.0.1:0, consent given, a connector over it, and a fresh course with items. */
export async function startCoursera(
  options: {
    seed?: number;
    items?: Array<{ name: string; maxScore?: number | null; passingThreshold?: number | null }>;
  } = {},
): Promise<CourseraHarness> {
  const simulator = await startCourseraSimulator({ port: 0, host: '127.0.0.1', seed: options.seed ?? 11 });
  const { admin, connector, programId } = await connectCoursera(simulator.url);
  const course = await admin.addCourse(programId, {
    name: 'Applied Data Science',
    items: options.items ?? [
      { name: 'Quiz 1', maxScore: 10, passingThreshold: 0.8 },
      { name: 'Lab 1', maxScore: 20, passingThreshold: 0.5 },
    ],
  });
  return {
    simulator,
    admin,
    connector,
    programId,
    course,
    stop: () => simulator.stop(),
  };
}
