import type { Command } from 'commander';
import { createTenantStore, type Tenant } from '../tenants/tenant-store.ts';
import type { CliContext } from './context.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

/** `passport tenant create|list`. */
export function registerTenantCommands(program: Command, context: CliContext): void {
  const tenant = program.command('tenant').description('tenants: one per district');
  const actor = `cli:${context.io.environment.USER ?? context.io.environment.USERNAME ?? 'unknown'}`;

  tenant
    .command('create')
    .description('create a tenant')
    .argument('<id>', 'short lowercase id used in URLs and commands (letters, digits, hyphens)')
    .requiredOption('--name <name>', "the district's display name")
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (id: string, flags: DatabaseFlags & { name: string; json?: boolean }) => {
      await context.withDatabase({ dataDir: flags.dataDir }, async (database) => {
        const created = await createTenantStore({ db: database.db }).create({ id, name: flags.name }, actor);
        context.io.stdout.write(
          flags.json
            ? `${JSON.stringify(toJson(created))}\n`
            : `Created tenant ${created.id} (${created.name})\n`,
        );
      });
    });

  tenant
    .command('list')
    .description('list tenants')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      await context.withDatabase({ dataDir: flags.dataDir }, async (database) => {
        const tenants = await createTenantStore({ db: database.db }).list();
        if (flags.json) {
          context.io.stdout.write(`${JSON.stringify(tenants.map(toJson))}\n`);
        } else if (tenants.length === 0) {
          context.io.stdout.write(
            'No tenants yet. Create one with: passport tenant create <id> --name <name>\n',
          );
        } else {
          const width = Math.max(...tenants.map((each) => each.id.length), 2);
          const lines = [`${'ID'.padEnd(width)}  CREATED                   NAME`];
          for (const each of tenants) {
            lines.push(`${each.id.padEnd(width)}  ${each.createdAt.toISOString()}  ${each.name}`);
          }
          context.io.stdout.write(`${lines.join('\n')}\n`);
        }
      });
    });
}

function toJson(tenant: Tenant): { id: string; name: string; createdAt: string } {
  return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
}
