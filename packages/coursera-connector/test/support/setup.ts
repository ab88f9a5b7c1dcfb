import { createMemoryTokenStore } from '../../src/adapters/memory/memory-token-store.ts';
import {
  type CourseraClient,
  type CourseraClientOptions,
  createCourseraClient,
} from '../../src/coursera/client.ts';
import { createUndiciFetch } from '../../src/http/undici-fetch.ts';
import type { TokenStore } from '../../src/ports.ts';
import {
  createSimulatorAdmin,
  type SimulatorAdmin,
  type SimulatorWorld,
} from '../../src/simulator/admin-client.ts';
import { type CourseraSimulator, createCourseraSimulator } from '../../src/simulator/handler.ts';
import { startCourseraSimulator } from '../../src/simulator/start.ts';
import { createBrowser } from './browser.ts';
import { createTestClock, type TestClock } from './clock.ts';

export const REDIRECT_URI = 'http://127.0.0.1:9/coursera/callback';

/** Where the simulator runs: on Node's http server over loopback, or called in-process as a Fetch handler. */
export type HostKind = 'node-http' | 'node-http+undici' | 'in-process';

export interface Harness {
  url: string;
  fetch: typeof fetch;
  admin: SimulatorAdmin;
  simulator: CourseraSimulator;
  clock: TestClock;
  world: SimulatorWorld;
  organizationId: string;
  programIds: { data: string; it: string };
  stop(): Promise<void>;
}

export async function startHarness(host: HostKind = 'node-http', seed = 7): Promise<Harness> {
  const clock = createTestClock();
  if (host === 'in-process') {
    const simulator = createCourseraSimulator({ seed, clock });
    const url = 'http://simulator.invalid';
    const send = (async (input: string | URL | Request, init?: RequestInit) =>
      simulator.handler(new Request(input, init))) as typeof fetch;
    const admin = createSimulatorAdmin(url, { fetch: send });
    return finish({ url, fetch: send, admin, simulator, clock, stop: async () => simulator.stop() });
  }
  const running = await startCourseraSimulator({ seed, clock, port: 0, host: '127.0.0.1' });
  if (host === 'node-http+undici') {
    const undici = createUndiciFetch({ connections: 4 });
    return finish({
      url: running.url,
      fetch: undici.fetch,
      admin: running.admin,
      simulator: running.simulator,
      clock,
      stop: async () => {
        await undici.close();
        await running.stop();
      },
    });
  }
  return finish({
    url: running.url,
    fetch: globalThis.fetch,
    admin: running.admin,
    simulator: running.simulator,
    clock,
    stop: running.stop,
  });
}

async function finish(partial: Omit<Harness, 'world' | 'organizationId' | 'programIds'>): Promise<Harness> {
  const world = await partial.admin.world();
  const organization = world.organizations[0]!;
  return {
    ...partial,
    world,
    organizationId: organization.id,
    programIds: { data: organization.programs[0]!.id, it: organization.programs[1]!.id },
  };
}

export function clientFor(
  harness: Harness,
  overrides: Partial<CourseraClientOptions> & { tokens?: TokenStore } = {},
): CourseraClient {
  const oauthClient = harness.world.oauthClients[0]!;
  const organization = harness.world.organizations[0]!;
  return createCourseraClient({
    organizationId: harness.organizationId,
    clientId: oauthClient.clientId,
    clientSecret: oauthClient.clientSecret,
    redirectUri: REDIRECT_URI,
    apiUrl: harness.url,
    accountsUrl: harness.url,
    tokens: createMemoryTokenStore(),
    fetch: harness.fetch,
    clock: harness.clock,
    sleep: async () => {},
    random: () => 0.5,
    retry: { timeoutMs: 2_000 },
    handOff: { siteUrl: harness.url, secret: organization.handOffSecret },
    ...overrides,
  });
}

/** The admin's one-time consent, done through the simulator's consent page like a person would. */
export async function consent(
  harness: Harness,
  client: CourseraClient,
  decision: 'allow' | 'deny' = 'allow',
) {
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const browser = createBrowser(harness.url, harness.fetch);
  const consentPage = await browser.open(client.authorizationUrl(state));
  const answer = await browser.submit(consentPage, '/oauth2/v1/auth', {}, { decision });
  if (answer.leftTo === undefined)
    throw new Error(`consent did not redirect: ${answer.status} ${answer.html}`);
  return { callbackUrl: answer.leftTo, state };
}

export async function connectedClient(
  harness: Harness,
  overrides: Partial<CourseraClientOptions> = {},
): Promise<CourseraClient> {
  const client = clientFor(harness, overrides);
  const { callbackUrl, state } = await consent(harness, client);
  await client.completeAuthorization(callbackUrl, state);
  return client;
}
