import { InvalidArgumentError, Option } from 'commander';
import { parsePort } from '../config.ts';
import { type LogLevel, logLevels } from '../logger.ts';

/** Flags shared by several commands; each names the environment variable it overrides. */
export function dataDirOption(): Option {
  return new Option(
    '--data-dir <path>',
    'folder of the embedded database (PASSPORT_DATA_DIR, default ./.passport)',
  );
}

export function portOption(): Option {
  return new Option(
    '-p, --port <number>',
    'port to listen on; 0 picks a free one (PORT, default 3000)',
  ).argParser((value: string) => {
    try {
      return parsePort(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  });
}

export function hostOption(): Option {
  return new Option('--host <address>', 'interface to listen on (HOST, default 127.0.0.1)');
}

export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level (LOG_LEVEL, default info)').choices(logLevels);
}

export function jsonOption(): Option {
  return new Option('--json', 'print machine-readable JSON');
}

export interface DatabaseFlags {
  dataDir?: string;
}

export interface ServeFlags extends DatabaseFlags {
  port?: number;
  host?: string;
  logLevel?: LogLevel;
  demo: boolean;
}
