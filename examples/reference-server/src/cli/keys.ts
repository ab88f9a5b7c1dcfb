import type { Command } from 'commander';
import { Option } from 'commander';
import type { RotatableKey } from '../secrets/rotate-keys.ts';
import type { CliContext } from './context.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

/** `passport keys rotate`: new signing keys for the SSO (OpenID) and the LTI tool; the old ones stay published a day. */
export function registerKeyCommands(program: Command, context: CliContext): void {
  const keys = program.command('keys').description('signing keys of the SSO and the LTI tool');
  const actor = `cli:${context.io.environment.USER ?? context.io.environment.USERNAME ?? 'unknown'}`;

  keys
    .command('rotate')
    .description(
      'a new key is published at once and signs 30 s later, once every server process publishes it; the old one ' +
        'signs meanwhile and stays published for a day so what it signed still verifies',
    )
    .addOption(new Option('--only <key>', 'rotate only this one').choices(['sso', 'lti']))
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: DatabaseFlags & { only?: RotatableKey; json?: boolean }) => {
      // Loaded here, not at start: the SSO and LTI modules would slow every other command.
      const [
        { createConsoleAccountStore },
        { createSsoService },
        { createLtiToolStores },
        roster,
        keys,
        secrets,
      ] = await Promise.all([
        import('../console/accounts.ts'),
        import('../identity/sso-service.ts'),
        import('../lti/lti-storage.ts'),
        import('../roster/roster-service.ts'),
        import('../secrets/rotate-keys.ts'),
        import('../secrets/sealing-key.ts'),
      ]);
      const { createRosterService } = roster;
      const { rotateSigningKeys } = keys;
      const { loadSealingKey } = secrets;
      await context.withDatabase({ dataDir: flags.dataDir }, async (database, config) => {
        const sealingKey = await loadSealingKey({
          environment: context.io.environment,
          dataDir: config.dataDir,
        });
        const roster = createRosterService({ database, sealingKey, recordUsage: false });
        const sso = createSsoService({
          database,
          roster,
          accounts: createConsoleAccountStore({ db: database.db }),
          sealingKey,
          // Rotation signs nothing; the URL only names the provider.
          publicUrl: () => config.publicUrl ?? `http://${config.host}:${config.port}`,
          logger: context.createLogger(config),
        });
        const rotation = await rotateSigningKeys({
          db: database.db,
          sso,
          ltiKeys: createLtiToolStores(database.sql).keys,
          ...(flags.only === undefined ? {} : { which: [flags.only] }),
          actor,
        });
        context.io.stdout.write(
          flags.json
            ? `${JSON.stringify(rotation)}\n`
            : [
                rotation.sso === undefined
                  ? undefined
                  : `SSO (OpenID): new signing key ${rotation.sso.created}; retired ${rotation.sso.retired.join(', ') || 'none'} (published one more day)`,
                rotation.lti === undefined
                  ? undefined
                  : `LTI tool: new signing key ${rotation.lti.created}; the previous one stays in /lti/jwks one more day`,
              ]
                .filter((line) => line !== undefined)
                .map((line) => `${line}\n`)
                .join(''),
        );
      });
    });
}
