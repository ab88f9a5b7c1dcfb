import type { Command } from 'commander';
import { createRosterService } from '../roster/roster-service.ts';
import { loadSealingKey } from '../secrets/sealing-key.ts';
import type { CliContext } from './context.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

/** `passport credentials create`: OneRoster API credentials for one tenant and a set of scopes. */
export function registerCredentialCommands(program: Command, context: CliContext): void {
  const credentials = program
    .command('credentials')
    .description('OneRoster API credentials (OAuth 2.0 and 1.0a)');

  credentials
    .command('create')
    .description('issue a client id and secret for one tenant; the secret is shown once and stored hashed')
    .requiredOption('--tenant <id>', 'the tenant (district) the credentials may read')
    .requiredOption(
      '--scopes <list>',
      'comma-separated scopes: roster.readonly, roster-core.readonly, roster-demographics.readonly, ' +
        'gradebook.readonly, gradebook.createput, gradebook.delete, resource.readonly (or their 1.1 URIs)',
    )
    .option('--name <name>', 'a label for the application using them')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(
      async (flags: DatabaseFlags & { tenant: string; scopes: string; name?: string; json?: boolean }) => {
        const scopes = flags.scopes
          .split(',')
          .map((scope) => scope.trim())
          .filter(Boolean);
        await context.withDatabase({ dataDir: flags.dataDir }, async (database, config) => {
          const roster = createRosterService({
            database,
            sealingKey: await loadSealingKey({
              environment: context.io.environment,
              dataDir: config.dataDir,
            }),
          });
          const issued = await roster.createCredential({
            tenantId: flags.tenant,
            scopes,
            ...(flags.name === undefined ? {} : { name: flags.name }),
          });
          context.io.stdout.write(
            flags.json
              ? `${JSON.stringify({ clientId: issued.clientId, clientSecret: issued.clientSecret })}\n`
              : `Client id:     ${issued.clientId}\nClient secret: ${issued.clientSecret}\n` +
                  `Tenant ${flags.tenant}, scopes ${scopes.join(', ')}. The secret is not shown again: keep it now.\n` +
                  'Token endpoint: POST /oauth/token (client credentials, HTTP Basic or form fields).\n',
          );
        });
      },
    );
}
