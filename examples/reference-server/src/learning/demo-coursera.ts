import { randomBytes } from 'node:crypto';
import { type SimulatorAdmin, startCourseraSimulator } from '@passport/coursera-connector/simulator';
import type { Logger } from '../logger.ts';
import type { LearningService } from './learning-service.ts';

/** The simulated world of demo mode: the same seed, the same organization, programs, courses and accounts. */
export const demoCourseraSeed = 1;

export interface DemoCoursera {
  /** Where the simulator serves the API, the consent page and the learner pages. */
  readonly url: string;
  /** The demo program (`Data Science Foundations` in the seeded world). */
  readonly program: { readonly id: string; readonly name: string };
  /** Existing simulator accounts a learner can link at first sign-on. */
  readonly accounts: readonly { readonly email: string; readonly password: string }[];
  /** The simulator's admin endpoints (results, learners, faults), for the demo's scripted steps and tests. */
  readonly admin: SimulatorAdmin;
  stop(): Promise<void>;
}

/**
 * Demo mode's Coursera: the simulator on loopback, connected as the demo district's Coursera program access,
 * with the one-time admin consent given. The simulator lives in memory, so every start connects again (its URL
 * and tokens are new); the seeded world, and so the program and course ids the demo's bindings name, stay the same.
 */
export async function startDemoCoursera(options: {
  learning: LearningService;
  tenantId: string;
  /** The consent redirect URI registered for the connection (the server's own callback). */
  redirectUri: string;
  logger: Logger;
  host?: string;
  port?: number;
}): Promise<DemoCoursera> {
  const simulator = await startCourseraSimulator({
    seed: demoCourseraSeed,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  try {
    const world = await simulator.admin.world();
    const organization = world.organizations[0];
    const client = world.oauthClients[0];
    const program = organization?.programs[0];
    if (organization === undefined || client === undefined || program === undefined)
      throw new Error('the Coursera simulator world has no organization, OAuth client or program');
    await options.learning.connect({
      tenantId: options.tenantId,
      organizationId: organization.id,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      apiUrl: simulator.url,
      accountsUrl: simulator.url,
      redirectUri: options.redirectUri,
      handOff: { siteUrl: simulator.url, secret: organization.handOffSecret },
    });
    const state = randomBytes(16).toString('base64url');
    const callback = await simulator.admin.approveConsent(
      await options.learning.authorizationUrl(options.tenantId, state),
    );
    const consent = await options.learning.completeAuthorization(options.tenantId, callback, state);
    options.logger.info('demo Coursera simulator connected', {
      tenant: options.tenantId,
      url: simulator.url,
      program: program.id,
      consent: consent.state,
    });
    return {
      url: simulator.url,
      program: { id: program.id, name: program.name },
      accounts: world.accounts
        .filter((account) => account.password)
        .map((account) => ({ email: account.email, password: account.password as string })),
      admin: simulator.admin,
      stop: () => simulator.stop(),
    };
  } catch (error) {
    await simulator.stop();
    throw error;
  }
}
