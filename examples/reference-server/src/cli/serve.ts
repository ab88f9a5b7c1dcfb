import type { Command } from 'commander';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
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
      const server = await startServer({ config, logger });
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
          `  demo: ${config.demo ? 'not built yet, starting empty' : 'off'}\n` +
          '  stop: Ctrl+C\n\n',
      );
      const signal = await shutdownSignal;
      logger.info('shutdown requested', { signal });
      const { forced } = await server.close();
      if (forced) context.setExitCode(1);
    });
}
