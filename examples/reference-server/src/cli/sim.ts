import { formatSimulatorBanner, startCourseraSimulator } from '@passport/coursera-connector/simulator';
import { type Command, InvalidArgumentError } from 'commander';
import { parsePort } from '../config.ts';
import type { CliContext } from './context.ts';

/** `passport sim coursera`: the simulators Passport develops, tests and demos against, as real HTTP services. */
export function registerSimCommands(program: Command, context: CliContext): void {
  const sim = program.command('sim').description('simulators of the platforms Passport talks to');

  sim
    .command('coursera')
    .description("run the Coursera simulator: Coursera's enterprise API, OAuth consent and learner pages")
    .option('-p, --port <number>', 'port to listen on; 0 picks a free one', toPort, 4010)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the simulated world: the same seed, the same world', toInteger, 1)
    .option('--admin-token <token>', 'require this bearer token on the /__admin endpoints')
    .action(async (flags: { port: number; host: string; seed: number; adminToken?: string }) => {
      const running = await startCourseraSimulator({
        port: flags.port,
        host: flags.host,
        seed: flags.seed,
        ...(flags.adminToken === undefined ? {} : { adminToken: flags.adminToken }),
      });
      context.io.stdout.write(formatSimulatorBanner(running.url, await running.admin.world()));
      await context.io.waitForShutdownSignal();
      await running.stop();
    });
}

function toPort(value: string): number {
  try {
    return parsePort(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function toInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError('must be a whole number');
  return number;
}
