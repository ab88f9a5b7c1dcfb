import type { Sealing } from '@passport/coursera-connector/postgres';
import { z } from 'zod';
import type { Queryable, RosterSourcesTable } from '../db/database.ts';
import { ServerError } from '../errors.ts';

/*
 * Where a district's roster comes from without anyone uploading it: a OneRoster 1.1 API (the SIS's, or another
 * broker's) read with OAuth 2.0 client credentials or OAuth 1.0a, or a CSV package the SIS publishes at a URL. A
 * source may run on a schedule (cron, in the district's time zone). Secrets are sealed at rest and never shown again.
 */

export type RosterSourceKind = RosterSourcesTable['kind'];
export type RosterSourceAuth = RosterSourcesTable['auth'];

/** What a source's form or API call gives; validated by `parseRosterSourceInput`. */
export interface RosterSourceInput {
  name: string;
  kind: RosterSourceKind;
  url: string;
  auth: RosterSourceAuth;
  tokenUrl?: string | undefined;
  clientId?: string | undefined;
  /** Client secret, consumer secret, bearer token or Basic password. Absent on an edit: keep the stored one. */
  secret?: string | undefined;
  /** A five-field cron expression; absent: runs only when asked. */
  schedule?: string | undefined;
  timeZone?: string | undefined;
  /** Apply a run the safety guard would hold (an unattended source normally should not). Default false. */
  confirmHeld?: boolean | undefined;
}

/** A source as stored, with its secret unsealed (never logged, never shown). */
export interface RosterSource {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly kind: RosterSourceKind;
  readonly url: string;
  readonly auth: RosterSourceAuth;
  readonly tokenUrl: string | undefined;
  readonly clientId: string | undefined;
  readonly secret: string | undefined;
  readonly schedule: string | undefined;
  readonly timeZone: string;
  readonly confirmHeld: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastRunAt: Date | undefined;
  readonly lastImportId: string | undefined;
  readonly lastStatus: string | undefined;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on the machine itself (a local SIS export, the demo, tests): credentials never cross a network in clear. */
const sourceUrl = (field: string) =>
  z
    .string()
    .trim()
    .min(1, `${field} is required`)
    .refine((value) => URL.canParse(value), `${field} must be an absolute URL`)
    .refine((value) => {
      if (!URL.canParse(value)) return true; // said by the check above
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
    }, `${field} must use https (http only on localhost)`);

const cronField = /^[\d*/,-]+$/;

const inputSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100, 'name is longer than 100 characters'),
    kind: z.enum(['oneroster-api', 'package-url'], { error: 'kind must be oneroster-api or package-url' }),
    url: sourceUrl('url'),
    auth: z.enum(['oauth2', 'oauth1', 'bearer', 'basic', 'none'], {
      error: 'auth must be oauth2, oauth1, bearer, basic or none',
    }),
    tokenUrl: sourceUrl('tokenUrl').optional(),
    clientId: z.string().trim().min(1).max(500).optional(),
    secret: z.string().min(1).max(2000).optional(),
    schedule: z
      .string()
      .trim()
      .refine((value) => {
        const fields = value.split(/\s+/);
        return fields.length === 5 && fields.every((field) => cronField.test(field));
      }, 'schedule must be a cron expression of five fields (minute hour day month weekday), such as "0 2 * * *"')
      .optional(),
    timeZone: z
      .string()
      .trim()
      .refine((value) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: value });
          return true;
        } catch {
          return false;
        }
      }, 'timeZone must be an IANA time zone such as America/Chicago')
      .optional(),
    confirmHeld: z.boolean().optional(),
  })
  .superRefine((input, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (input.kind === 'oneroster-api') {
      if (!['oauth2', 'oauth1'].includes(input.auth)) {
        issue(
          'auth',
          'a OneRoster API is read with OAuth 2.0 client credentials (oauth2) or OAuth 1.0a (oauth1)',
        );
      }
      if (input.auth === 'oauth2' && input.tokenUrl === undefined)
        issue('tokenUrl', 'tokenUrl is required for oauth2');
      if (input.clientId === undefined) issue('clientId', 'clientId is required for a OneRoster API');
    } else {
      if (input.auth === 'oauth2' || input.auth === 'oauth1') {
        issue('auth', 'a package URL is read with bearer, basic or no authentication');
      }
      if (input.auth === 'basic' && input.clientId === undefined)
        issue('clientId', 'a user name is required for basic');
    }
  });

/** Validates a source's input; throws `SERVER_ROSTER_SOURCE_INVALID` naming the field and why. */
export function parseRosterSourceInput(
  input: unknown,
  options: { secretRequired: boolean },
): RosterSourceInput {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError('SERVER_ROSTER_SOURCE_INVALID', issue?.message ?? 'The source is not valid.', {
      status: 400,
      ...(issue === undefined ? {} : { detail: { field: issue.path.join('.') } }),
    });
  }
  const value = parsed.data;
  if (options.secretRequired && value.auth !== 'none' && value.secret === undefined) {
    throw new ServerError('SERVER_ROSTER_SOURCE_INVALID', `secret is required for ${value.auth}`, {
      status: 400,
      detail: { field: 'secret' },
    });
  }
  return value;
}

export interface RosterSourceStore {
  create(tenantId: string, input: RosterSourceInput): Promise<RosterSource>;
  /** Changes a source; a missing `secret` keeps the stored one. */
  update(tenantId: string, id: string, input: RosterSourceInput): Promise<RosterSource>;
  get(tenantId: string, id: string): Promise<RosterSource | undefined>;
  /** Any tenant's source (the job runner; the job carries the tenant it was scheduled for and checks it). */
  find(id: string): Promise<RosterSource | undefined>;
  list(tenantId: string): Promise<RosterSource[]>;
  /** Every source with a schedule, for putting schedules back in place at start. */
  listScheduled(): Promise<RosterSource[]>;
  remove(tenantId: string, id: string): Promise<boolean>;
  recordRun(id: string, run: { at: Date; importId: string; status: string }): Promise<void>;
}

type Row = RosterSourcesTable & {
  time_zone: string;
  confirm_held: boolean;
  created_at: Date;
  updated_at: Date;
};

export function createRosterSourceStore(db: Queryable, sealing: Sealing): RosterSourceStore {
  const toSource = (row: Row): RosterSource => ({
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    kind: row.kind,
    url: row.url,
    auth: row.auth,
    tokenUrl: row.token_url ?? undefined,
    clientId: row.client_id ?? undefined,
    secret: row.secret === null ? undefined : sealing.unseal(row.secret),
    schedule: row.schedule ?? undefined,
    timeZone: row.time_zone,
    confirmHeld: row.confirm_held,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRunAt: row.last_run_at ?? undefined,
    lastImportId: row.last_import_id ?? undefined,
    lastStatus: row.last_status ?? undefined,
  });
  const columns = (input: RosterSourceInput) => ({
    name: input.name,
    kind: input.kind,
    url: input.url,
    auth: input.auth,
    token_url: input.auth === 'oauth2' ? (input.tokenUrl ?? null) : null,
    client_id: input.clientId ?? null,
    schedule: input.schedule ?? null,
    time_zone: input.timeZone ?? 'UTC',
    confirm_held: input.confirmHeld ?? false,
  });
  const get = async (tenantId: string, id: string) => {
    const row = await db
      .selectFrom('roster_sources')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toSource(row as Row);
  };
  return {
    async create(tenantId, input) {
      const id = crypto.randomUUID();
      await db
        .insertInto('roster_sources')
        .values({
          id,
          tenant_id: tenantId,
          ...columns(input),
          secret: input.auth === 'none' || input.secret === undefined ? null : sealing.seal(input.secret),
        })
        .execute();
      return (await get(tenantId, id)) as RosterSource;
    },
    async update(tenantId, id, input) {
      const result = await db
        .updateTable('roster_sources')
        .set({
          ...columns(input),
          ...(input.auth === 'none'
            ? { secret: null }
            : input.secret === undefined
              ? {}
              : { secret: sealing.seal(input.secret) }),
          updated_at: new Date(),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw new ServerError('SERVER_ROSTER_SOURCE_NOT_FOUND', 'No such roster source in this district.', {
          status: 404,
        });
      }
      return (await get(tenantId, id)) as RosterSource;
    },
    get,
    async find(id) {
      const row = await db.selectFrom('roster_sources').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toSource(row as Row);
    },
    async list(tenantId) {
      const rows = await db
        .selectFrom('roster_sources')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => toSource(row as Row));
    },
    async listScheduled() {
      const rows = await db
        .selectFrom('roster_sources')
        .selectAll()
        .where('schedule', 'is not', null)
        .execute();
      return rows.map((row) => toSource(row as Row));
    },
    async remove(tenantId, id) {
      const result = await db
        .deleteFrom('roster_sources')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async recordRun(id, run) {
      await db
        .updateTable('roster_sources')
        .set({ last_run_at: run.at, last_import_id: run.importId, last_status: run.status })
        .where('id', '=', id)
        .execute();
    },
  };
}
