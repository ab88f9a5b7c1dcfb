import { resolve } from 'node:path';
import { z } from 'zod';
import { ServerError } from './errors.ts';
import { type LogLevel, logLevels } from './logger.ts';

/** The reference server's configuration, read from environment variables and overridden by command-line flags. */
export interface Config {
  /** TCP port to listen on; 0 picks a free port. `PORT`, default 3000. */
  port: number;
  /** Interface to listen on. `HOST`, default 127.0.0.1. */
  host: string;
  /** Absolute path of the folder holding local state (the PGlite database). `PASSPORT_DATA_DIR`, default `./.passport`. */
  dataDir: string;
  /** PostgreSQL connection URL; when set, PostgreSQL replaces the embedded PGlite. `DATABASE_URL`. */
  databaseUrl: string | undefined;
  /** `LOG_LEVEL`, default info. */
  logLevel: LogLevel;
  /** Whether to load demo data on first start. `PASSPORT_DEMO`, default true. */
  demo: boolean;
  /** Where clients reach the server (`https://passport.district.example`), for links in API answers.
   * `PASSPORT_PUBLIC_URL`; default: each request's own origin. */
  publicUrl: string | undefined;
  /** The operator token for `/admin/...` endpoints (roster upload). `PASSPORT_ADMIN_TOKEN`; unset turns them off. */
  adminToken?: string | undefined;
  /**
   * How many proxies (load balancers) stand between clients and this server, each appending to `X-Forwarded-For`;
   * the client address (per-address sign-in limits) is read that many entries from the right. `PASSPORT_TRUSTED_PROXIES`,
   * default 0: the socket's address, and `X-Forwarded-For` is ignored (a client can write anything in it).
   */
  trustedProxies?: number;
  /**
   * Whether addresses district admins type (roster sources) may be on a private network (loopback, 10/8, ...).
   * `PASSPORT_ALLOW_PRIVATE_OUTBOUND`; default: true in demo mode, false otherwise.
   */
  allowPrivateOutbound?: boolean;
  /**
   * How long a OneRoster API token's credential is trusted without reading it again, in seconds (0 to 300).
   * `PASSPORT_CREDENTIAL_RECHECK_SECONDS`, default 0: read on every request, so a revoked credential is refused at
   * once on every process. With more, each API request costs one database query less, and a revocation takes
   * effect within that many seconds.
   */
  credentialRecheckSeconds?: number;
}

/** Values given on the command line; they win over the environment. */
export type ConfigOverrides = Partial<Pick<Config, 'port' | 'host' | 'dataDir' | 'logLevel' | 'demo'>>;

/** The environment variable behind each overridable setting. */
const variableOf = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'PASSPORT_DATA_DIR',
  logLevel: 'LOG_LEVEL',
  demo: 'PASSPORT_DEMO',
} as const satisfies Record<keyof ConfigOverrides, string>;

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .refine((port) => port <= 65_535, 'must be a whole number from 0 to 65535');

const booleanSchema = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const databaseUrlSchema = z
  .string()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value),
    'must be a postgres:// or postgresql:// URL',
  );

const environmentSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PASSPORT_DATA_DIR: z.string().min(1).default('./.passport'),
  DATABASE_URL: databaseUrlSchema.optional(),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  PASSPORT_DEMO: booleanSchema.default(true),
  PASSPORT_PUBLIC_URL: z
    .string()
    .refine(
      (value) => /^https?:\/\//.test(value) && URL.canParse(value),
      'must be an http:// or https:// URL',
    )
    .optional(),
  PASSPORT_ADMIN_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters (a long random secret)')
    .optional(),
  PASSPORT_ALLOW_PRIVATE_OUTBOUND: booleanSchema.optional(),
  PASSPORT_TRUSTED_PROXIES: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a whole number of proxies from 0 to 10')
    .transform(Number)
    .refine((count) => count <= 10, 'must be a whole number of proxies from 0 to 10')
    .default(0),
  PASSPORT_CREDENTIAL_RECHECK_SECONDS: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number of seconds from 0 to 300')
    .transform(Number)
    .refine((seconds) => seconds <= 300, 'must be a whole number of seconds from 0 to 300')
    .default(0),
  PASSPORT_SEALING_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64')
    .optional(),
});

/** Variables whose value must never be echoed in an error message. */
const secretVariables = new Set(['DATABASE_URL', 'PASSPORT_SEALING_KEY', 'PASSPORT_ADMIN_TOKEN']);

export interface LoadConfigOptions {
  environment?: Record<string, string | undefined>;
  overrides?: ConfigOverrides;
  /** Folder a relative `PASSPORT_DATA_DIR` is resolved against; default the working directory. */
  cwd?: string;
}

/**
 * Reads and validates the configuration. Every bad value is reported at once, each naming its variable:
 * throws `SERVER_CONFIG_INVALID` with `detail.issues: [{ variable, message }]`.
 * Empty variables count as unset. A setting given in `overrides` is not read from the environment.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const environment = options.environment ?? process.env;
  const overrides = options.overrides ?? {};
  const input: Record<string, string> = {};
  for (const variable of Object.keys(environmentSchema.shape)) {
    const value = environment[variable];
    if (value !== undefined && value !== '') input[variable] = value;
  }
  for (const [setting, value] of Object.entries(overrides)) {
    if (value !== undefined) delete input[variableOf[setting as keyof ConfigOverrides]];
  }
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const value = input[variable];
      const shown =
        value === undefined || secretVariables.has(variable) ? '' : ` (got ${JSON.stringify(value)})`;
      return { variable, message: `${variable} ${issue.message}${shown}` };
    });
    throw new ServerError(
      'SERVER_CONFIG_INVALID',
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}`,
      { detail: { issues } },
    );
  }
  const environmentValues = parsed.data;
  return {
    port: overrides.port ?? environmentValues.PORT,
    host: overrides.host ?? environmentValues.HOST,
    dataDir: resolve(options.cwd ?? process.cwd(), overrides.dataDir ?? environmentValues.PASSPORT_DATA_DIR),
    databaseUrl: environmentValues.DATABASE_URL,
    logLevel: overrides.logLevel ?? environmentValues.LOG_LEVEL,
    demo: overrides.demo ?? environmentValues.PASSPORT_DEMO,
    publicUrl: environmentValues.PASSPORT_PUBLIC_URL,
    adminToken: environmentValues.PASSPORT_ADMIN_TOKEN,
    trustedProxies: environmentValues.PASSPORT_TRUSTED_PROXIES,
    credentialRecheckSeconds: environmentValues.PASSPORT_CREDENTIAL_RECHECK_SECONDS,
    ...(environmentValues.PASSPORT_ALLOW_PRIVATE_OUTBOUND === undefined
      ? {}
      : { allowPrivateOutbound: environmentValues.PASSPORT_ALLOW_PRIVATE_OUTBOUND }),
  };
}

/** Parses a port given on the command line; throws a plain Error whose message suits a usage error. */
export function parsePort(value: string): number {
  const parsed = portSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`port must be a whole number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return parsed.data;
}
