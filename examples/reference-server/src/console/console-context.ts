import type { DatabaseHandle } from '../db/open-database.ts';
import { ServerError } from '../errors.ts';
import type { LmsInstanceStore } from '../gradesync/lms-instances.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { Logger } from '../logger.ts';
import type { PartnerService } from '../partners/partner-service.ts';
import type { RosterPullJobs } from '../roster/pull-jobs.ts';
import type { RosterService } from '../roster/roster-service.ts';
import type { RosterSourceStore } from '../roster/roster-sources.ts';
import type { KeyRotation } from '../secrets/rotate-keys.ts';
import {
  type ConsoleAccount,
  type ConsoleAccountStore,
  consoleUserId,
  signInDistrictOf,
} from './accounts.ts';
import type { ConsoleAuth } from './console-auth.ts';

/** What every console page module needs. */
export interface ConsoleContext {
  database: DatabaseHandle;
  logger: Logger;
  roster: RosterService;
  sso: SsoService;
  accounts: ConsoleAccountStore;
  auth: ConsoleAuth;
  partners: PartnerService;
  /** The LMS instances launches came from (grade sync), for assigning each to its district. */
  lmsInstances?: LmsInstanceStore;
  /** Scheduled roster imports (a OneRoster API or a package URL per source), when the server runs them. */
  rosterSources?: { sources: RosterSourceStore; jobs: RosterPullJobs };
  /** Rotates the SSO's and the LTI tool's signing keys (operators, on the operations page). */
  rotateKeys?: (actor: string) => Promise<KeyRotation>;
}

/** The actor recorded in the audit log for a console user. */
export const actorOf = (account: { username: string }) => `console:${account.username}`;

/**
 * Creates a console account from a posted form (`username`, `displayName`, `password` of at least 12 characters)
 * and gives it its Passport password in the district it signs in to. Throws `SERVER_ACCOUNT_INVALID`.
 */
export async function createAccountFromForm(
  context: ConsoleContext,
  form: FormData,
  scope: { role: 'district_admin'; tenantId: string } | { role: 'partner_developer'; partnerId: string },
  actor: string,
): Promise<ConsoleAccount> {
  const password = String(form.get('password') ?? '');
  if (password.length < 12) {
    throw new ServerError('SERVER_ACCOUNT_INVALID', 'The password must have at least 12 characters.', {
      status: 400,
    });
  }
  const account = await context.accounts.create(
    {
      ...scope,
      username: String(form.get('username') ?? ''),
      displayName: String(form.get('displayName') ?? ''),
    },
    actor,
  );
  await context.sso.setPassword({
    districtId: signInDistrictOf(account),
    username: account.username,
    userId: consoleUserId(account.id),
    password,
  });
  return account;
}
