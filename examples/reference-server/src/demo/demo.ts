import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedDistrict } from '@passport/oneroster';
import type { ConsoleAccountStore } from '../console/accounts.ts';
import type { DatabaseHandle } from '../db/open-database.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { Logger } from '../logger.ts';
import type { PartnerService } from '../partners/partner-service.ts';
import type { RosterService } from '../roster/roster-service.ts';
import { createTenantStore } from '../tenants/tenant-store.ts';
import { createDemoAccounts, type DemoAccount } from './demo-accounts.ts';

/** The demo district: a generated roster in its own tenant, and API credentials to read it. */
export const demoTenant = { id: 'demo', name: 'Springfield Demo District' } as const;
export const demoStudents = 400;
const demoSeed = 'passport-demo';
const demoScopes = [
  'roster.readonly',
  'gradebook.readonly',
  'gradebook.createput',
  'gradebook.delete',
  'resource.readonly',
];

export interface DemoSummary {
  tenantId: string;
  tenantName: string;
  /** Whether this start loaded the demo (first start), or found it from an earlier one. */
  loadedNow: boolean;
  /** Rows per file of the demo roster, when loaded now. */
  rows?: Record<string, number>;
  /** The demo API credentials, kept in the data folder so every start can print them again. */
  credentials?: { clientId: string; clientSecret: string };
  /** One person per role and how to sign in as them (operator, district admin, partner developer, teacher, student). */
  accounts?: DemoAccount[];
}

/**
 * Demo mode: on a database without the demo tenant, creates it, imports a generated district (the same every time)
 * and issues API credentials with every scope, saved beside the database as `demo-credentials.json` (owner-only).
 * On later starts it finds them again. Real tenants are never touched.
 */
export async function loadDemo(options: {
  database: DatabaseHandle;
  roster: RosterService;
  dataDir: string;
  logger: Logger;
  /** With these, the demo also creates one person per role (console accounts and roster passwords). */
  people?: { sso: SsoService; accounts: ConsoleAccountStore; partners: PartnerService };
}): Promise<DemoSummary> {
  const { database, roster, dataDir, logger } = options;
  const tenants = createTenantStore({ db: database.db });
  const credentialsFile = join(dataDir, 'demo-credentials.json');
  if ((await tenants.get(demoTenant.id)) !== undefined) {
    const saved = await readCredentials(credentialsFile);
    logger.info('demo data present', { tenant: demoTenant.id });
    return {
      tenantId: demoTenant.id,
      tenantName: demoTenant.name,
      loadedNow: false,
      ...(saved?.credentials ? { credentials: saved.credentials } : {}),
      ...(saved?.accounts ? { accounts: saved.accounts } : {}),
    };
  }

  const folder = await mkdtemp(join(tmpdir(), 'passport-demo-'));
  try {
    const packagePath = join(folder, 'demo-district.zip');
    await writeGeneratedDistrict(
      { students: demoStudents, seed: demoSeed, districtName: demoTenant.name },
      packagePath,
    );
    await tenants.create({ id: demoTenant.id, name: demoTenant.name }, 'demo');
    const result = await roster.importPackage(demoTenant.id, packagePath);
    if (result.status !== 'applied') {
      throw new Error(`the demo roster did not import (${result.status})`);
    }
    const issued = await roster.createCredential({
      tenantId: demoTenant.id,
      scopes: demoScopes,
      name: 'demo',
    });
    const credentials = { clientId: issued.clientId, clientSecret: issued.clientSecret };
    const accounts =
      options.people === undefined
        ? undefined
        : await createDemoAccounts({ tenantId: demoTenant.id, roster, ...options.people });
    await writeFile(
      credentialsFile,
      `${JSON.stringify({ ...credentials, ...(accounts === undefined ? {} : { accounts }) }, null, 2)}\n`,
      { mode: 0o600 },
    );
    const rows = Object.fromEntries(
      Object.entries(result.counts).map(([file, counts]) => [file, counts?.inserted ?? 0]),
    );
    logger.info('demo data loaded', { tenant: demoTenant.id, rows });
    return {
      tenantId: demoTenant.id,
      tenantName: demoTenant.name,
      loadedNow: true,
      rows,
      credentials,
      ...(accounts === undefined ? {} : { accounts }),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function readCredentials(
  path: string,
): Promise<{ credentials?: DemoSummary['credentials']; accounts?: DemoAccount[] } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {
      clientId?: unknown;
      clientSecret?: unknown;
      accounts?: unknown;
    };
    if (typeof parsed.clientId === 'string' && typeof parsed.clientSecret === 'string') {
      return {
        credentials: { clientId: parsed.clientId, clientSecret: parsed.clientSecret },
        ...(Array.isArray(parsed.accounts) ? { accounts: parsed.accounts as DemoAccount[] } : {}),
      };
    }
  } catch {
    // No file (another data folder created the demo, or it was deleted): the banner says how to make new ones.
  }
  return undefined;
}
