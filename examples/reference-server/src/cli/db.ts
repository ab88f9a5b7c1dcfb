import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

/** `passport db migrate|status`. */
export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program
    .command('db')
    .description('the database: PGlite in PASSPORT_DATA_DIR, or PostgreSQL at DATABASE_URL');

  db.command('migrate')
    .description('apply pending migrations (the server also does this on start)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      await context.withDatabase(
        { dataDir: flags.dataDir },
        async (database) => {
          const { applied } = await database.migrate();
          const version = await database.migrationVersion();
          if (flags.json) {
            context.io.stdout.write(`${JSON.stringify({ kind: database.kind, applied, version })}\n`);
          } else if (applied.length === 0) {
            context.io.stdout.write(
              `${describe(database.kind)}: already up to date (${version ?? 'no migrations'})\n`,
            );
          } else {
            context.io.stdout.write(`${describe(database.kind)}: applied ${applied.join(', ')}\n`);
          }
        },
        { migrate: false },
      );
    });

  db.command('status')
    .description('show the database kind and which migrations are applied')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      await context.withDatabase(
        { dataDir: flags.dataDir },
        async (database) => {
          const migrations = await database.migrations();
          if (flags.json) {
            const body = {
              kind: database.kind,
              location: database.location,
              migrations: migrations.map((migration) => ({
                name: migration.name,
                appliedAt: migration.appliedAt?.toISOString() ?? null,
              })),
            };
            context.io.stdout.write(`${JSON.stringify(body)}\n`);
            return;
          }
          const lines = [`database: ${describe(database.kind)} (${database.location})`, 'migrations:'];
          for (const migration of migrations) {
            const state =
              migration.appliedAt === null ? 'pending' : `applied ${migration.appliedAt.toISOString()}`;
            lines.push(`  ${migration.name}  ${state}`);
          }
          context.io.stdout.write(`${lines.join('\n')}\n`);
        },
        { migrate: false },
      );
    });
}

function describe(kind: 'pglite' | 'postgres'): string {
  return kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
}
