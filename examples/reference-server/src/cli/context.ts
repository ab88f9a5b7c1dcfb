import type { Command } from 'commander';
import { type Config, type ConfigOverrides, loadConfig } from '../config.ts';
import { type DatabaseHandle, databaseOptionsFromConfig, openDatabase } from '../db/open-database.ts';
import { createLogger, type Logger } from '../logger.ts';

/** Where a command writes; `isTTY` lets a command show progress only on a terminal. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything a command touches outside itself, so commands run the same in the `passport` binary and in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  environment: Record<string, string | undefined>;
  cwd: string;
  /** Resolves with the signal's name when the process is asked to stop (SIGINT, SIGTERM). */
  waitForShutdownSignal(): Promise<string>;
}

/** What each command group receives when it registers its commands. */
export interface CliContext {
  readonly io: CliIo;
  readonly version: string;
  /** The exit code `passport` ends with when the command returns normally (0 unless set; 1 for "invalid"). */
  setExitCode(code: number): void;
  /** The configuration from the environment, with the command's flags winning. */
  loadConfig(overrides?: ConfigOverrides): Config;
  /** A logger writing JSON lines to stderr (stdout is for the command's own output). */
  createLogger(config: Config): Logger;
  /**
   * Opens the configured database (PGlite in the data folder, or `DATABASE_URL`), applies pending migrations
   * unless `migrate: false`, runs `work`, and closes the database whatever happens.
   */
  withDatabase<T>(
    overrides: ConfigOverrides,
    work: (database: DatabaseHandle, config: Config) => Promise<T>,
    options?: { migrate?: boolean },
  ): Promise<T>;
}

/** The shape of each command group's registration function (`registerTenantCommands`, `registerRosterCommands`). */
export type RegisterCommands = (program: Command, context: CliContext) => void;

export function createCliContext(
  io: CliIo,
  version: string,
  setExitCode: (code: number) => void,
): CliContext {
  const context: CliContext = {
    io,
    version,
    setExitCode,
    loadConfig: (overrides = {}) => loadConfig({ environment: io.environment, overrides, cwd: io.cwd }),
    createLogger: (config) =>
      createLogger({
        // Commands other than `serve` stay quiet unless LOG_LEVEL asks for more.
        level: io.environment.LOG_LEVEL ? config.logLevel : 'warn',
        write: (line) => io.stderr.write(`${line}\n`),
      }),
    async withDatabase(overrides, work, options = {}) {
      const config = context.loadConfig(overrides);
      const database = await openDatabase(databaseOptionsFromConfig(config), {
        logger: context.createLogger(config),
      });
      try {
        if (options.migrate !== false) await database.migrate();
        return await work(database, config);
      } finally {
        await database.close();
      }
    },
  };
  return context;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    environment: process.env,
    cwd: process.cwd(),
    waitForShutdownSignal: () =>
      new Promise((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          // Later signals (a terminal's Ctrl+C reaches every process of the group) are ignored while shutting down;
          // the shutdown deadline bounds how long that takes.
          process.on('SIGINT', ignore);
          process.on('SIGTERM', ignore);
          resolve(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }),
  };
}

function ignore(): void {}
