import { type Command, InvalidArgumentError } from 'commander';
import type { Config, ConfigOverrides } from '../config.ts';
import type { DatabaseHandle } from '../db/open-database.ts';
import { ltiPaths } from '../lti/lti-routes.ts';
import { migrateLtiStorage } from '../lti/lti-storage.ts';
import {
  activatePlatform,
  addDeployment,
  addPlatform,
  type LtiPlatformEntry,
  listPlatforms,
  removePlatform,
} from '../lti/platforms.ts';
import type { CliContext } from './context.ts';
import { exitCodes } from './exit-codes.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

interface AddFlags extends DatabaseFlags {
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deploymentId: string[];
  name?: string;
  tokenAudience?: string;
  json?: boolean;
}

interface RemoveFlags extends DatabaseFlags {
  issuer: string;
  clientId: string;
  json?: boolean;
}

/**
 * `passport lti platform add|list|remove`: the LMS platforms the server's LTI 1.3 tool accepts launches from, keyed by
 * issuer and client id, each with its deployment ids. Exit codes: 0 done, 1 refused (already registered, not
 * found) or failed, 2 usage error.
 */
export function registerLtiCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const lti = program
    .command('lti')
    .description('LTI 1.3: the LMS platforms this server accepts launches from');
  const platform = lti
    .command('platform')
    .description('LMS platforms (issuer and client id) and their deployment ids');

  /** Opens the database with the LTI tables in place (created here until `db migrate` creates them too). */
  const withLtiDatabase = <T>(
    overrides: ConfigOverrides,
    work: (database: DatabaseHandle, config: Config) => Promise<T>,
  ): Promise<T> =>
    context.withDatabase(overrides, async (database, config) => {
      await migrateLtiStorage(database);
      return await work(database, config);
    });

  platform
    .command('add')
    .description('register a platform by hand, with the values the LMS shows for the tool')
    .requiredOption('--issuer <url>', "the platform's issuer (the iss of its launches)", issuerUrl)
    .requiredOption('--client-id <id>', 'the client id the platform gave the tool', nonEmpty)
    .requiredOption('--auth-url <url>', "the platform's OIDC authorization endpoint", httpUrl)
    .requiredOption('--token-url <url>', "the platform's OAuth 2.0 token endpoint", httpUrl)
    .requiredOption('--jwks-url <url>', "the platform's public key set URL", httpUrl)
    .requiredOption(
      '--deployment-id <id>',
      'a deployment id the platform launches with (repeat for several)',
      collectDeploymentIds,
    )
    .option('--name <name>', 'a display name (e.g. the LMS product)', nonEmpty)
    .option(
      '--token-audience <url>',
      'the aud of client assertions, when not the token URL (D2L Brightspace)',
      nonEmpty,
    )
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: AddFlags) => {
      await withLtiDatabase({ dataDir: flags.dataDir }, async (database) => {
        const result = await addPlatform(database.sql, {
          issuer: flags.issuer,
          clientId: flags.clientId,
          authorizationEndpoint: flags.authUrl,
          tokenEndpoint: flags.tokenUrl,
          jwksUri: flags.jwksUrl,
          deploymentIds: flags.deploymentId,
          ...(flags.name === undefined ? {} : { name: flags.name }),
          ...(flags.tokenAudience === undefined ? {} : { tokenAudience: flags.tokenAudience }),
        });
        if (result.outcome === 'exists') {
          io.stderr.write(
            `passport: platform ${flags.issuer} with client id ${flags.clientId} is already registered ` +
              `(deployments: ${result.platform.deploymentIds.join(', ') || 'none'}); nothing changed.\n` +
              `To replace it, remove it first: passport lti platform remove --issuer ${flags.issuer} --client-id ${flags.clientId}\n`,
          );
          context.setExitCode(exitCodes.failure);
          return;
        }
        const added = result.platform;
        io.stdout.write(
          flags.json
            ? `${JSON.stringify(added)}\n`
            : `Added platform ${added.issuer} (client id ${added.clientId}) with ${plural(added.deploymentIds.length, 'deployment')}: ${added.deploymentIds.join(', ')}\n` +
                `In the LMS, give the tool: login URL <server>${ltiPaths.login}, redirect URI <server>${ltiPaths.launch}, key set URL <server>${ltiPaths.jwks}\n`,
        );
      });
    });

  platform
    .command('list')
    .description('list the registered platforms with their deployment ids')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      await withLtiDatabase({ dataDir: flags.dataDir }, async (database) => {
        const platforms = await listPlatforms(database.sql);
        if (flags.json) io.stdout.write(`${JSON.stringify(platforms)}\n`);
        else if (platforms.length === 0) {
          io.stdout.write(
            'No LTI platforms yet. Add one with: passport lti platform add --issuer <url> --client-id <id> ' +
              '--auth-url <url> --token-url <url> --jwks-url <url> --deployment-id <id>\n',
          );
        } else io.stdout.write(platformTable(platforms));
      });
    });

  /** A command that acts on one registered platform, named by issuer and client id; exit 1 when there is none. */
  const platformCommand = (
    name: string,
    description: string,
    act: (
      sql: DatabaseHandle['sql'],
      key: { issuer: string; clientId: string },
    ) => Promise<LtiPlatformEntry | undefined>,
    done: (platform: LtiPlatformEntry) => string,
  ) =>
    platform
      .command(name)
      .description(description)
      .requiredOption('--issuer <url>', "the platform's issuer", nonEmpty)
      .requiredOption('--client-id <id>', "the tool's client id on that platform", nonEmpty)
      .addOption(dataDirOption())
      .addOption(jsonOption())
      .action(async (flags: RemoveFlags) => {
        await withLtiDatabase({ dataDir: flags.dataDir }, async (database) => {
          const result = await act(database.sql, { issuer: flags.issuer, clientId: flags.clientId });
          if (result === undefined) {
            io.stderr.write(
              `passport: no platform ${flags.issuer} with client id ${flags.clientId} is registered ` +
                '(see passport lti platform list)\n',
            );
            context.setExitCode(exitCodes.failure);
            return;
          }
          io.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${done(result)}\n`);
        });
      });

  platformCommand(
    'remove',
    'remove a platform and its deployment ids: its launches are refused from then on',
    removePlatform,
    (removed) =>
      `Removed platform ${removed.issuer} (client id ${removed.clientId}) and ${plural(removed.deploymentIds.length, 'deployment')}`,
  );
  platform
    .command('add-deployment')
    .description(
      'add a deployment id to a registered platform (Canvas registers itself without one; its first launch ' +
        'names the deployment its admin created)',
    )
    .requiredOption('--issuer <url>', "the platform's issuer", nonEmpty)
    .requiredOption('--client-id <id>', "the tool's client id on that platform", nonEmpty)
    .requiredOption('--deployment-id <id>', 'the deployment id the LMS shows', nonEmpty)
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: RemoveFlags & { deploymentId: string }) => {
      await withLtiDatabase({ dataDir: flags.dataDir }, async (database) => {
        const key = { issuer: flags.issuer, clientId: flags.clientId };
        const result = await addDeployment(database.sql, key, flags.deploymentId);
        if (result === undefined) {
          io.stderr.write(
            `passport: no platform ${flags.issuer} with client id ${flags.clientId} is registered ` +
              '(see passport lti platform list)\n',
          );
          context.setExitCode(exitCodes.failure);
          return;
        }
        io.stdout.write(
          flags.json
            ? `${JSON.stringify(result)}\n`
            : `Platform ${result.issuer} (client id ${result.clientId}) accepts deployments ${result.deploymentIds.join(', ')}\n`,
        );
      });
    });
  platformCommand(
    'activate',
    'accept launches from a platform that registered itself (dynamic registration) and waits as pending',
    activatePlatform,
    (activated) =>
      `Activated platform ${activated.issuer} (client id ${activated.clientId}): its launches are accepted now`,
  );
}

function platformTable(platforms: readonly LtiPlatformEntry[]): string {
  const rows = platforms.map((each) => [
    each.issuer,
    each.clientId,
    each.status,
    each.deploymentIds.join(','),
    each.name ?? '',
  ]);
  const header = ['ISSUER', 'CLIENT ID', 'STATUS', 'DEPLOYMENTS', 'NAME'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(format).join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value;
}

function httpUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InvalidArgumentError(`must be an http or https URL (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** An issuer is compared exactly with the `iss` of launches, so it is kept as given; it must be a plain URL. */
function issuerUrl(value: string): string {
  httpUrl(value);
  const parsed = new URL(value);
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new InvalidArgumentError(`must be a URL without query or fragment (got ${JSON.stringify(value)})`);
  }
  return value;
}

function collectDeploymentIds(value: string, previous: string[] | undefined): string[] {
  nonEmpty(value);
  return previous === undefined ? [value] : [...previous, value];
}
