import { PassportError } from '@passport/core';
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { type CliIo, createCliContext, processIo } from './context.ts';
import { registerCredentialCommands } from './credentials.ts';
import { registerDbCommands } from './db.ts';
import { exitCodes, UsageError } from './exit-codes.ts';
import { registerKeyCommands } from './keys.ts';
import { registerLtiCommands } from './lti.ts';
import { registerRosterCommands } from './roster.ts';
import { registerServeCommand } from './serve.ts';
import { registerSimCommands } from './sim.ts';
import { registerTenantCommands } from './tenant.ts';

export { exitCodes } from './exit-codes.ts';

/**
 * The `passport` command line. Returns the exit code: 0 done, 1 failed (or, for a check, found problems),
 * 2 usage error (unknown command or option, missing argument, bad flag value).
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { ...processIo(), ...io };
  let exitCode: number = exitCodes.ok;
  const context = createCliContext(fullIo, packageJson.version, (code) => {
    exitCode = code;
  });

  const program = new Command('passport')
    .description('Passport: rosters, LTI 1.3, SSO and grade sync between schools and learning apps')
    .version(packageJson.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => fullIo.stdout.write(text),
      writeErr: (text) => fullIo.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  // Settings above are inherited by every command registered below.
  registerServeCommand(program, context);
  registerDbCommands(program, context);
  registerTenantCommands(program, context);
  registerRosterCommands(program, context);
  registerCredentialCommands(program, context);
  registerSimCommands(program, context);
  registerLtiCommands(program, context);
  registerKeyCommands(program, context);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    if (
      error instanceof UsageError ||
      (PassportError.is(error) && error.code === 'ONEROSTER_PACKAGE_NOT_FOUND')
    ) {
      fullIo.stderr.write(`passport: ${error.message}\n(add --help for usage)\n`);
      return exitCodes.usage;
    }
    if (PassportError.is(error)) {
      // The code too: it is what an operator searches the docs and logs for.
      fullIo.stderr.write(`passport: ${error.message} (${error.code})\n`);
    } else {
      const detail =
        fullIo.environment.LOG_LEVEL === 'debug' && error instanceof Error ? `\n${error.stack}` : '';
      fullIo.stderr.write(
        `passport: unexpected failure: ${(error as Error)?.message ?? String(error)}${detail}\n`,
      );
    }
    return exitCodes.failure;
  }
}
