import type { SqlClient } from '@passport/core';
import type { Sealing } from '@passport/coursera-connector/postgres';
import { z } from 'zod';

/*
 * Each district's Coursera program access: the organization and OAuth client Coursera gave the district, where the
 * API lives (the simulator in demo mode and tests), and the redirect URI of the one-time admin consent. The client
 * secret is sealed at rest with the server's sealing key; the OAuth tokens live in the connector's own table.
 */

const httpUrl = z.url({ protocol: /^https?$/ });

export const courseraConnectionInputSchema = z.object({
  tenantId: z.string().min(1),
  organizationId: z.string().min(1, 'organizationId must not be empty'),
  clientId: z.string().min(1, 'clientId must not be empty'),
  clientSecret: z.string().min(1, 'clientSecret must not be empty'),
  /** Default `https://api.coursera.org`. */
  apiUrl: httpUrl.optional(),
  /** Default `https://accounts.coursera.org`. */
  accountsUrl: httpUrl.optional(),
  redirectUri: httpUrl,
  /**
   * The SSO hand-off of learners: the learner-facing site (the simulator's URL in demo mode) and the secret shared
   * with the platform for the organization. Without it students cannot be sent from a launch to their item.
   */
  handOff: z
    .object({ siteUrl: httpUrl, secret: z.string().min(16, 'the hand-off secret is too short') })
    .optional(),
});

export type CourseraConnectionInput = z.input<typeof courseraConnectionInputSchema>;

/** A district's Coursera connection, with its secret unsealed (never logged, never shown). */
export interface CourseraConnection {
  readonly tenantId: string;
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiUrl: string | undefined;
  readonly accountsUrl: string | undefined;
  readonly redirectUri: string;
  readonly handOff: { readonly siteUrl: string; readonly secret: string } | undefined;
  readonly updatedAt: Date;
}

interface ConnectionRow {
  tenant_id: string;
  organization_id: string;
  client_id: string;
  client_secret: string;
  api_url: string | null;
  accounts_url: string | null;
  redirect_uri: string;
  hand_off_url: string | null;
  hand_off_secret: string | null;
  updated_at: Date | string;
}

export interface CourseraConnectionStore {
  /** Inserts or replaces the tenant's connection. */
  save(input: CourseraConnectionInput): Promise<CourseraConnection>;
  get(tenantId: string): Promise<CourseraConnection | undefined>;
  list(): Promise<CourseraConnection[]>;
  remove(tenantId: string): Promise<boolean>;
}

export function createCourseraConnectionStore(sql: SqlClient, sealing: Sealing): CourseraConnectionStore {
  const toConnection = (row: ConnectionRow): CourseraConnection => ({
    tenantId: row.tenant_id,
    organizationId: row.organization_id,
    clientId: row.client_id,
    clientSecret: sealing.unseal(row.client_secret),
    apiUrl: row.api_url ?? undefined,
    accountsUrl: row.accounts_url ?? undefined,
    redirectUri: row.redirect_uri,
    handOff:
      row.hand_off_url === null || row.hand_off_secret === null
        ? undefined
        : { siteUrl: row.hand_off_url, secret: sealing.unseal(row.hand_off_secret) },
    updatedAt: new Date(row.updated_at),
  });
  const columns =
    'tenant_id, organization_id, client_id, client_secret, api_url, accounts_url, redirect_uri, hand_off_url, hand_off_secret, updated_at';
  return {
    async save(input) {
      const valid = courseraConnectionInputSchema.parse(input);
      const { rows } = await sql.query<ConnectionRow>(
        `insert into coursera_connections
           (tenant_id, organization_id, client_id, client_secret, api_url, accounts_url, redirect_uri,
            hand_off_url, hand_off_secret)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (tenant_id) do update set
           organization_id = excluded.organization_id, client_id = excluded.client_id,
           client_secret = excluded.client_secret, api_url = excluded.api_url,
           accounts_url = excluded.accounts_url, redirect_uri = excluded.redirect_uri,
           hand_off_url = excluded.hand_off_url, hand_off_secret = excluded.hand_off_secret, updated_at = now()
         returning ${columns}`,
        [
          valid.tenantId,
          valid.organizationId,
          valid.clientId,
          sealing.seal(valid.clientSecret),
          valid.apiUrl ?? null,
          valid.accountsUrl ?? null,
          valid.redirectUri,
          valid.handOff?.siteUrl ?? null,
          valid.handOff === undefined ? null : sealing.seal(valid.handOff.secret),
        ],
      );
      return toConnection(rows[0] as ConnectionRow);
    },
    async get(tenantId) {
      const { rows } = await sql.query<ConnectionRow>(
        `select ${columns} from coursera_connections where tenant_id = $1`,
        [tenantId],
      );
      return rows[0] === undefined ? undefined : toConnection(rows[0]);
    },
    async list() {
      const { rows } = await sql.query<ConnectionRow>(
        `select ${columns} from coursera_connections order by tenant_id`,
      );
      return rows.map(toConnection);
    },
    async remove(tenantId) {
      const { rows } = await sql.query<{ tenant_id: string }>(
        'delete from coursera_connections where tenant_id = $1 returning tenant_id',
        [tenantId],
      );
      return rows.length > 0;
    },
  };
}
