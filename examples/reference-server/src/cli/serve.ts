import type { Command } from 'commander';
import type { DemoSummary } from '../demo/demo.ts';
import { createLogger } from '../logger.ts';
import type { CliContext } from './context.ts';
import { dataDirOption, hostOption, logLevelOption, portOption, type ServeFlags } from './options.ts';

/** `passport serve`: what `npm start` runs. */
export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the reference server (what `npm start` runs); stop it with Ctrl+C or SIGTERM')
    .addOption(portOption())
    .addOption(hostOption())
    .addOption(dataDirOption())
    .addOption(logLevelOption())
    .option('--no-demo', 'start without demo data (PASSPORT_DEMO=false)')
    .addHelpText(
      'after',
      '\nEnvironment: PORT, HOST, PASSPORT_DATA_DIR, DATABASE_URL (postgres://...; replaces the embedded PGlite),' +
        '\nLOG_LEVEL, PASSPORT_DEMO. Logs are JSON lines on stdout; the banner goes to stderr.',
    )
    .action(async (flags: ServeFlags) => {
      const config = context.loadConfig({
        port: flags.port,
        host: flags.host,
        dataDir: flags.dataDir,
        logLevel: flags.logLevel,
        ...(flags.demo === false ? { demo: false } : {}),
      });
      const logger = createLogger({
        level: config.logLevel,
        write: (line) => context.io.stdout.write(`${line}\n`),
      });
      // Loaded on use: the whole platform is more than other commands need.
      const { startServer } = await import('../server.ts');
      const server = await startServer({ config, logger, environment: context.io.environment });
      // Listened for once running: until then a signal ends the process the default way (migrations are
      // transactional), so a start stuck on an unreachable database can still be interrupted.
      const shutdownSignal = context.io.waitForShutdownSignal();
      const { database } = server;
      const databaseLine =
        database.kind === 'pglite'
          ? `PGlite (embedded), data folder ${config.dataDir}`
          : `PostgreSQL at ${database.location}`;
      context.io.stderr.write(
        `\nPassport reference server: ${server.url}\n` +
          `  database: ${databaseLine}\n` +
          describeDemo(server.url, server.demo) +
          (server.demo === undefined
            ? ''
            : `    demo LMS:          ${server.url}/demo-lms (teacher and student above; register Passport at its admin page)\n` +
              (server.coursera === undefined ? '' : `    Coursera simulator: ${server.coursera.url}\n`)) +
          '  stop: Ctrl+C\n\n',
      );
      const signal = await shutdownSignal;
      logger.info('shutdown requested', { signal });
      const { forced } = await server.close();
      if (forced) context.setExitCode(1);
    });
}

/** The banner's demo lines: what is loaded and how to call the OneRoster API with the demo credentials. */
function describeDemo(url: string, demo: DemoSummary | undefined): string {
  if (demo === undefined) return '  demo: off\n';
  const lines = [
    `  demo: ${demo.tenantName} (tenant ${demo.tenantId})${demo.loadedNow ? ', loaded now' : ''}`,
  ];
  if (demo.accounts !== undefined && demo.accounts.length > 0) {
    lines.push(`    console:           ${url}/console (sign in as one of these; pick the district shown)`);
    for (const account of demo.accounts) {
      lines.push(
        `      ${`${account.role}:`.padEnd(19)}${account.username} / ${account.password}   (district ${account.district}, ${account.name})`,
      );
    }
  }
  lines.push(`    OneRoster 1.1 API: ${url}/ims/oneroster/v1p1`);
  if (demo.credentials) {
    const { clientId, clientSecret } = demo.credentials;
    lines.push(
      `    API client id:     ${clientId}`,
      `    API client secret: ${clientSecret}`,
      `    get a token:       curl -s -u ${clientId}:${clientSecret} -d grant_type=client_credentials ${url}/oauth/token`,
      `    then:              curl -s -H "Authorization: Bearer <access_token>" ${url}/ims/oneroster/v1p1/schools`,
    );
  } else {
    lines.push(
      `    API credentials:   passport credentials create --tenant ${demo.tenantId} --scopes roster.readonly (server stopped)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
