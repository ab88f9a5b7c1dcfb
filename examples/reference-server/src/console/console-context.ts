import type { DatabaseHandle } from '../db/open-database.ts';
import type { LmsInstanceStore } from '../gradesync/lms-instances.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { Logger } from '../logger.ts';
import type { PartnerService } from '../partners/partner-service.ts';
import type { RosterService } from '../roster/roster-service.ts';
import type { ConsoleAccountStore } from './accounts.ts';
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
}

/** The actor recorded in the audit log for a console user. */
export const actorOf = (account: { username: string }) => `console:${account.username}`;
