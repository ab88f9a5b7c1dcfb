import type { ClassDirectory, PartnerAuthenticator } from '@passport/ags-gradesync';
import { PassportError } from '@passport/core';
import type { DatabaseHandle } from '../db/open-database.ts';
import type { Handler } from '../http/handler.ts';
import type { RosterService } from '../roster/roster-service.ts';
import type { GradeSyncService } from './gradesync-service.ts';

/** Where the partner gradebook API answers. */
export const partnerGradebookPath = '/gradebook/v1';

/**
 * The partner gradebook API on this server: partners call it with the OneRoster API credentials a district granted
 * them (an OAuth 2.0 bearer token from `/oauth/token`, or OAuth 1.0a), so the credential's district and gradebook
 * scopes bound what they may write. A roster class is found in the LMS course whose LTI context id is the class's
 * sourcedId (as LMSes rostered from the SIS name them), in an LMS of the same district.
 */
export function createPartnerGradebookRoute(options: {
  database: DatabaseHandle;
  roster: RosterService;
  gradeSync: GradeSyncService;
}): Handler {
  const { database, roster } = options;
  const authenticator: PartnerAuthenticator = {
    async authenticate(request) {
      try {
        const principal = await roster.authenticator.authenticate(request);
        return {
          partnerId: principal.clientId,
          districtIds: [principal.tenantId],
          scopes: [...principal.scopes],
        };
      } catch (error) {
        if (PassportError.is(error) && error.status === 401) return null;
        throw error;
      }
    },
  };
  const directory: ClassDirectory = {
    async classTarget(classId) {
      const { rows } = await database.sql.query<{ lms_id: string; context_id: string; tenant_id: string }>(
        `select s.lms_id, s.context_id, i.tenant_id from lms_course_services s
           join lms_instances i on i.lms_id = s.lms_id
          where s.context_id = $1 and i.tenant_id is not null
          order by s.lms_id limit 1`,
        [classId],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : { lmsId: row.lms_id, contextId: row.context_id, tenantId: row.tenant_id };
    },
    async rosterUser(userId) {
      const { rows } = await database.sql.query<{ id: string }>('select id from tenants order by id', []);
      for (const tenant of rows) {
        const user = await roster.store.get(tenant.id, 'users', userId);
        if (user !== undefined) {
          const email = typeof user.email === 'string' && user.email !== '' ? user.email : undefined;
          return { sourcedId: user.sourcedId, ...(email === undefined ? {} : { email }) };
        }
      }
      return undefined;
    },
  };
  return options.gradeSync.partnerApi({ authenticator, directory });
}
