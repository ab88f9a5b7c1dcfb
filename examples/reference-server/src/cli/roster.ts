import type { Command } from 'commander';
import type { CliContext } from './context.ts';

/**
 * `passport roster validate|convert|generate`: the OneRoster commands of @passport/oneroster.
 * Registration point only: the roster commands replace this body (see `RegisterCommands` in `./context.ts`).
 */
export function registerRosterCommands(program: Command, context: CliContext): void {
  program
    .command('roster')
    .description('OneRoster 1.1 CSV packages: validate, convert, generate (not built yet)')
    .action(() => {
      context.io.stderr.write(
        'passport roster: the roster commands (validate, convert, generate) are not built yet\n',
      );
      context.setExitCode(1);
    });
}
