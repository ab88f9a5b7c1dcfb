import { createHash } from 'node:crypto';
import type { SqlClient } from '@passport/core';
import type { AgsEndpointClaim, LtiLaunch, NrpsClaim } from '@passport/lti13';

/*
 * The LMS instances that launch the tool: one per (issuer, client id, deployment), as grade sync keys its mode,
 * limits and breaker. Each belongs to a district (the tenant whose Coursera connection the content picker reads and
 * whose bindings grade sync runs), and keeps, per course, the AGS and NRPS endpoints of its latest launch.
 */

export interface LmsInstance {
  readonly lmsId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly tenantId: string | undefined;
  readonly name: string | undefined;
  readonly lastLaunchAt: Date;
}

export interface LmsCourseServices {
  readonly lmsId: string;
  readonly contextId: string;
  readonly title: string | undefined;
  readonly ags: AgsEndpointClaim | undefined;
  readonly nrps: NrpsClaim | undefined;
}

/** The grade sync id of an LMS instance: stable, short, and free of the URLs it is made from. */
export function lmsIdOf(platform: { issuer: string; clientId: string; deploymentId: string }): string {
  const digest = createHash('sha256')
    .update(`${platform.issuer}\n${platform.clientId}\n${platform.deploymentId}`)
    .digest('hex');
  return `lms-${digest.slice(0, 16)}`;
}

interface InstanceRow {
  lms_id: string;
  issuer: string;
  client_id: string;
  deployment_id: string;
  tenant_id: string | null;
  name: string | null;
  last_launch_at: Date | string;
}

const instanceColumns = 'lms_id, issuer, client_id, deployment_id, tenant_id, name, last_launch_at';

const toInstance = (row: InstanceRow): LmsInstance => ({
  lmsId: row.lms_id,
  issuer: row.issuer,
  clientId: row.client_id,
  deploymentId: row.deployment_id,
  tenantId: row.tenant_id ?? undefined,
  name: row.name ?? undefined,
  lastLaunchAt: new Date(row.last_launch_at),
});

export interface LmsInstanceStore {
  /** Records the launch's LMS instance and its course's service endpoints; resolves the instance. */
  recordLaunch(launch: LtiLaunch): Promise<LmsInstance>;
  get(lmsId: string): Promise<LmsInstance | undefined>;
  list(filter?: { tenantId?: string }): Promise<LmsInstance[]>;
  /** Puts the LMS instance in a district; resolves it, or undefined when unknown. */
  assignTenant(lmsId: string, tenantId: string): Promise<LmsInstance | undefined>;
  courseServices(lmsId: string, contextId: string): Promise<LmsCourseServices | undefined>;
}

export function createLmsInstanceStore(sql: SqlClient): LmsInstanceStore {
  return {
    async recordLaunch(launch) {
      const lmsId = lmsIdOf(launch);
      const name = launch.registration.name ?? launch.toolPlatform?.name ?? null;
      const { rows } = await sql.query<InstanceRow>(
        `insert into lms_instances (lms_id, issuer, client_id, deployment_id, name)
         values ($1, $2, $3, $4, $5)
         on conflict (lms_id) do update set last_launch_at = now(),
           name = coalesce(excluded.name, lms_instances.name)
         returning ${instanceColumns}`,
        [lmsId, launch.issuer, launch.clientId, launch.deploymentId, name],
      );
      if (launch.context !== undefined) {
        await sql.query(
          `insert into lms_course_services (lms_id, context_id, title, ags, nrps)
           values ($1, $2, $3, $4, $5)
           on conflict (lms_id, context_id) do update set
             title = coalesce(excluded.title, lms_course_services.title),
             ags = coalesce(excluded.ags, lms_course_services.ags),
             nrps = coalesce(excluded.nrps, lms_course_services.nrps),
             updated_at = now()`,
          [
            lmsId,
            launch.context.id,
            launch.context.title ?? launch.context.label ?? null,
            launch.ags === undefined ? null : JSON.stringify(launch.ags),
            launch.nrps === undefined ? null : JSON.stringify(launch.nrps),
          ],
        );
      }
      return toInstance(rows[0] as InstanceRow);
    },
    async get(lmsId) {
      const { rows } = await sql.query<InstanceRow>(
        `select ${instanceColumns} from lms_instances where lms_id = $1`,
        [lmsId],
      );
      return rows[0] === undefined ? undefined : toInstance(rows[0]);
    },
    async list(filter = {}) {
      const { rows } =
        filter.tenantId === undefined
          ? await sql.query<InstanceRow>(
              `select ${instanceColumns} from lms_instances order by issuer, lms_id`,
            )
          : await sql.query<InstanceRow>(
              `select ${instanceColumns} from lms_instances where tenant_id = $1 order by issuer, lms_id`,
              [filter.tenantId],
            );
      return rows.map(toInstance);
    },
    async assignTenant(lmsId, tenantId) {
      const { rows } = await sql.query<InstanceRow>(
        `update lms_instances set tenant_id = $2 where lms_id = $1 returning ${instanceColumns}`,
        [lmsId, tenantId],
      );
      return rows[0] === undefined ? undefined : toInstance(rows[0]);
    },
    async courseServices(lmsId, contextId) {
      const { rows } = await sql.query<{
        lms_id: string;
        context_id: string;
        title: string | null;
        ags: AgsEndpointClaim | null;
        nrps: NrpsClaim | null;
      }>(
        'select lms_id, context_id, title, ags, nrps from lms_course_services where lms_id = $1 and context_id = $2',
        [lmsId, contextId],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        lmsId: row.lms_id,
        contextId: row.context_id,
        title: row.title ?? undefined,
        ags: row.ags ?? undefined,
        nrps: row.nrps ?? undefined,
      };
    },
  };
}
