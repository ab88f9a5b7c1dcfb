import { parseArgs } from 'node:util';
import type { SimulatorWorld } from './admin-client.ts';
import { type RunningCourseraSimulator, startCourseraSimulator } from './start.ts';

export interface SimulatorCliIo {
  stdout: { write(text: string): unknown };
  /** Stops the simulator when aborted (the CLI wires SIGINT and SIGTERM to it). */
  signal: AbortSignal;
}

const usage = `Usage: passport sim coursera [--port N] [--host 127.0.0.1] [--seed N] [--admin-token TOKEN]

Runs the Coursera simulator: the business API, OAuth consent and tokens, the learner pages for the SSO hand-off,
and the admin endpoints under /__admin. Same seed, same world.
`;

/**
 * `passport sim coursera`: starts the simulator and prints what a developer needs to point Passport at it. Resolves
 * once `io.signal` aborts and the simulator has stopped. Throws on a bad argument, with the usage.
 */
export async function runCourseraSimulatorCli(args: string[], io: SimulatorCliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(usage);
    return;
  }
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0..65535\n\n${usage}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number\n\n${usage}`);
  const running: RunningCourseraSimulator = await startCourseraSimulator({
    port,
    host: values.host,
    seed,
    ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
  });
  io.stdout.write(formatSimulatorBanner(running.url, await running.admin.world()));
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await running.stop();
}

/** What to configure in Passport to use the simulator, and who can sign on. */
export function formatSimulatorBanner(url: string, world: SimulatorWorld): string {
  const organization = world.organizations[0]!;
  const client = world.oauthClients[0]!;
  const lines = [
    `Coursera simulator (seed ${world.seed}) at ${url}`,
    '',
    `  API and accounts URL   ${url}`,
    `  organization id        ${organization.id}  (${organization.name})`,
    `  OAuth client           ${client.clientId} / ${client.clientSecret}`,
    `  SSO hand-off secret    ${organization.handOffSecret}`,
    '',
    '  programs:',
    ...organization.programs.map(
      (program) =>
        `    ${program.id}  ${program.name}  (${program.usedSeats} of ${program.seats} seats used)`,
    ),
    '',
    '  existing learner accounts (for "link my account"):',
    ...world.accounts
      .filter((account) => account.password)
      .map((account) => `    ${account.email} / ${account.password}`),
    '',
    `  admin: ${url}/__admin/world`,
    '',
  ];
  return lines.join('\n');
}
