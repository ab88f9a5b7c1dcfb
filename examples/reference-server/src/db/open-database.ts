import { join } from 'node:path';
import { CompiledQuery, type DatabaseConnection, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import {
  latestMigration,
  listMigrations,
  type MigrationRun,
  type MigrationState,
  runMigrations,
} from './migrate.ts';
import { migratePackages } from './package-migrations.ts';
import { kyselySqlClient, type TransactionalSqlClient } from './sql-client.ts';
import { pgliteParsers, typeOids } from './type-parsers.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database, whichever backend runs underneath. */
export interface DatabaseHandle {
  readonly kind: DatabaseKind;
  /** The typed query builder. */
  readonly db: Kysely<Database>;
  /** Plain SQL for the packages' PostgreSQL adapters, through the same connections as `db`. */
  readonly sql: TransactionalSqlClient;
  /** The schema holding the tables (`public` unless isolated, as tests do). */
  readonly schema: string;
  /** Where the data lives, safe to print: the data folder, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Applies pending migrations. Throws `SERVER_MIGRATION_FAILED`. */
  migrate(): Promise<MigrationRun>;
  /** Every known migration with when it was applied. */
  migrations(): Promise<MigrationState[]>;
  /** The latest applied migration's name, or null before the first. */
  migrationVersion(): Promise<string | null>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Closes the connections (and releases the data folder). Safe to call twice. */
  close(): Promise<void>;
}

const schemaNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier (letters, digits, underscores)');

const databaseOptionsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pglite'),
    /** The data folder; the database lives in its `pgdata/` subfolder. */
    dataDir: z.string().min(1, 'must not be empty'),
    schema: schemaNameSchema.default('public'),
  }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
    schema: schemaNameSchema.default('public'),
    poolSize: z.number().int().min(1).max(1000).default(10),
    connectTimeoutMs: z.number().int().min(1).default(10_000),
  }),
]);

export type DatabaseOptions = z.input<typeof databaseOptionsSchema>;

/** The backend the configuration asks for: PostgreSQL when `DATABASE_URL` is set, else PGlite in the data folder. */
export function databaseOptionsFromConfig(config: Pick<Config, 'dataDir' | 'databaseUrl'>): DatabaseOptions {
  return config.databaseUrl === undefined
    ? { kind: 'pglite', dataDir: config.dataDir }
    : { kind: 'postgres', url: config.databaseUrl };
}

/**
 * Opens the database and checks that it answers. Does not migrate: call `migrate()`.
 * Throws `SERVER_DATABASE_OPTIONS_INVALID`, `SERVER_DATA_DIR_LOCKED` or `SERVER_DATABASE_UNAVAILABLE`.
 */
export async function openDatabase(
  options: DatabaseOptions,
  context: { logger?: Logger } = {},
): Promise<DatabaseHandle> {
  const parsed = databaseOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue?.path.join('.') || 'options';
    throw new ServerError(
      'SERVER_DATABASE_OPTIONS_INVALID',
      `Database option ${option} ${issue?.message ?? ''}`,
      {
        detail: parsed.error.issues,
      },
    );
  }
  const valid = parsed.data;
  return valid.kind === 'pglite' ? await openPglite(valid) : await openPostgres(valid, context.logger);
}

async function openPglite(options: { dataDir: string; schema: string }): Promise<DatabaseHandle> {
  const lock = await acquireDataDirLock(options.dataDir);
  const dataFolder = join(options.dataDir, 'pgdata');
  let db: Kysely<Database>;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dataFolder, { parsers: pgliteParsers });
    db = new Kysely<Database>({
      // Kysely's own PGlite dialect: one connection, queries and transactions serialized on it.
      dialect: new PGliteDialect({ pglite, onCreateConnection: searchPathSetter(options.schema) }),
    });
    await prepareSchema(db, options.schema);
  } catch (error) {
    await lock.release();
    throw new ServerError(
      'SERVER_DATABASE_UNAVAILABLE',
      `Cannot open the embedded database in ${dataFolder}: ${errorMessage(error)}`,
      { status: 503, cause: error },
    );
  }
  return createHandle('pglite', db, options.schema, options.dataDir, lock);
}

async function openPostgres(
  options: { url: string; schema: string; poolSize: number; connectTimeoutMs: number },
  logger: Logger | undefined,
): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  const location = redactUrl(options.url);
  type TypeId = Parameters<typeof pg.types.getTypeParser>[0];
  const parsers: Record<number, (value: string) => unknown> = {
    [typeOids.date]: (value) => value,
    [typeOids.dateArray]: pg.types.getTypeParser(typeOids.textArray as TypeId),
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server emits here; unhandled it would end the process.
  pool.on('error', (error) => logger?.warn('PostgreSQL connection lost', { error }));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool, onCreateConnection: searchPathSetter(options.schema) }),
  });
  try {
    await prepareSchema(db, options.schema);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new ServerError(
      'SERVER_DATABASE_UNAVAILABLE',
      `Cannot connect to PostgreSQL at ${location}: ${errorMessage(error)}`,
      { status: 503, cause: error },
    );
  }
  return createHandle('postgres', db, options.schema, location, undefined);
}

function searchPathSetter(schema: string) {
  if (schema === 'public') return undefined;
  return async (connection: DatabaseConnection) => {
    await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
  };
}

/** Checks the database answers, and creates an isolated schema when one is asked for. */
async function prepareSchema(db: Kysely<Database>, schema: string): Promise<void> {
  if (schema === 'public') await sql`select 1`.execute(db);
  else await db.schema.createSchema(schema).ifNotExists().execute();
}

function createHandle(
  kind: DatabaseKind,
  db: Kysely<Database>,
  schema: string,
  location: string,
  lock: DataDirLock | undefined,
): DatabaseHandle {
  let closing: Promise<void> | undefined;
  const sqlClient = kyselySqlClient(db as Kysely<unknown>);
  return {
    kind,
    db,
    sql: sqlClient,
    schema,
    location,
    migrate: async () => {
      const run = await runMigrations(db, schema);
      try {
        return { ...run, packages: await migratePackages(sqlClient, schema) };
      } catch (error) {
        throw new ServerError(
          'SERVER_MIGRATION_FAILED',
          `Migrating the packages' tables failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
    migrations: () => listMigrations(db, schema),
    migrationVersion: () => latestMigration(db, schema),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => {
      closing ??= (async () => {
        try {
          await db.destroy();
        } finally {
          await lock?.release();
        }
      })();
      return closing;
    },
  };
}

/** The URL without its password, fit for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}
