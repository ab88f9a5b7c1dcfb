import { type Clock, systemClock } from '@passport/core';
import { type OneRosterScope, oneRosterScopes, parseScope } from '@passport/oneroster';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { inTransaction, type PartnerAccessTable, type Queryable } from '../db/database.ts';
import { ServerError } from '../errors.ts';
import type { RosterService } from '../roster/roster-service.ts';

export interface Partner {
  id: string;
  name: string;
  appName: string;
  appDescription: string;
}

export type AccessStatus = PartnerAccessTable['status'];

/** A partner's standing with one district. */
export interface PartnerAccess {
  partnerId: string;
  tenantId: string;
  status: AccessStatus;
  requestedScopes: OneRosterScope[];
  grantedScopes: OneRosterScope[];
  /** The OneRoster credential issued for the grant, when the partner created one. */
  clientId: string | null;
  message: string;
  updatedAt: Date;
}

export interface UsageRow {
  tenantId: string;
  clientId: string;
  day: string;
  requests: number;
}

/**
 * Application partners and what districts grant them. A partner requests access to a district with the OneRoster
 * scopes it needs, or a district invites a partner; the district grants exactly the scopes it chooses (never more
 * than were asked for when answering a request); the partner then creates API credentials bound to that district
 * and those scopes. Revoking revokes the credential, so its tokens stop working at once. Every change is audited.
 */
export interface PartnerService {
  create(input: Partner, actor: string): Promise<Partner>;
  get(id: string): Promise<Partner | undefined>;
  list(): Promise<Partner[]>;
  accessOf(partnerId: string, tenantId: string): Promise<PartnerAccess | undefined>;
  listForTenant(tenantId: string): Promise<PartnerAccess[]>;
  listForPartner(partnerId: string): Promise<PartnerAccess[]>;
  /** The partner asks a district for scopes. */
  request(
    input: { partnerId: string; tenantId: string; scopes: string[]; message?: string },
    actor: string,
  ): Promise<PartnerAccess>;
  /** The district invites a partner, offering scopes. */
  invite(
    input: { partnerId: string; tenantId: string; scopes: string[] },
    actor: string,
  ): Promise<PartnerAccess>;
  /** The district grants scopes (answering a request, or directly). */
  grant(
    input: { partnerId: string; tenantId: string; scopes: string[] },
    actor: string,
  ): Promise<PartnerAccess>;
  /** The partner accepts a district's invitation: granted with the invited scopes. */
  acceptInvitation(partnerId: string, tenantId: string, actor: string): Promise<PartnerAccess>;
  decline(partnerId: string, tenantId: string, actor: string): Promise<PartnerAccess>;
  /** The district withdraws access; the credential is revoked. */
  revoke(partnerId: string, tenantId: string, actor: string): Promise<PartnerAccess>;
  /** Issues (or replaces) the partner's credential for a granted district; the secret is returned this once. */
  createCredential(
    partnerId: string,
    tenantId: string,
    actor: string,
  ): Promise<{ clientId: string; clientSecret: string; scopes: OneRosterScope[] }>;
  usage(partnerId: string, days?: number): Promise<UsageRow[]>;
}

const partnerSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lowercase letters, digits or hyphens'),
  name: z.string().trim().min(1).max(200),
  appName: z.string().trim().min(1).max(200),
  appDescription: z.string().trim().max(2000),
});

export function createPartnerService(options: {
  db: Queryable;
  roster: RosterService;
  clock?: Clock;
}): PartnerService {
  const { db, roster } = options;
  const clock = options.clock ?? systemClock;

  const selectAccess = (queryable: Queryable) => queryable.selectFrom('partner_access').selectAll();

  async function change(
    partnerId: string,
    tenantId: string,
    actor: string,
    action: string,
    decide: (current: PartnerAccess | undefined) => {
      status: AccessStatus;
      requestedScopes?: OneRosterScope[];
      grantedScopes?: OneRosterScope[];
      message?: string;
      clientId?: string | null;
    },
  ): Promise<PartnerAccess> {
    if ((await service.get(partnerId)) === undefined) {
      throw new ServerError('SERVER_PARTNER_NOT_FOUND', `No partner ${partnerId}.`, { status: 404 });
    }
    const tenant = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
    if (tenant === undefined) {
      throw new ServerError('SERVER_TENANT_NOT_FOUND', `No district ${tenantId}.`, { status: 404 });
    }
    return await inTransaction(db, async (transaction) => {
      const row = await selectAccess(transaction)
        .where('partner_id', '=', partnerId)
        .where('tenant_id', '=', tenantId)
        .forUpdate()
        .executeTakeFirst();
      const current = row === undefined ? undefined : toAccess(row);
      const next = decide(current);
      const values = {
        status: next.status,
        requested_scopes: JSON.stringify(next.requestedScopes ?? current?.requestedScopes ?? []),
        granted_scopes: JSON.stringify(next.grantedScopes ?? current?.grantedScopes ?? []),
        client_id: next.clientId === undefined ? (current?.clientId ?? null) : next.clientId,
        message: next.message ?? current?.message ?? '',
        updated_at: clock.now(),
      };
      const saved = await transaction
        .insertInto('partner_access')
        .values({ partner_id: partnerId, tenant_id: tenantId, ...values })
        .onConflict((conflict) => conflict.columns(['partner_id', 'tenant_id']).doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      const access = toAccess(saved);
      await recordAudit(
        transaction,
        {
          tenantId,
          actor,
          action,
          detail: {
            partnerId,
            from: current?.status ?? null,
            to: access.status,
            grantedScopes: access.grantedScopes,
          },
        },
        clock,
      );
      return access;
    });
  }

  const invalid = (message: string) => new ServerError('SERVER_ACCESS_INVALID', message, { status: 409 });

  const service: PartnerService = {
    async create(input, actor) {
      const parsed = partnerSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ServerError(
          'SERVER_PARTNER_INVALID',
          `The partner's ${issue?.path.join('.') ?? 'value'} ${issue?.message ?? 'is invalid'}`,
          { status: 400 },
        );
      }
      const partner = parsed.data;
      await inTransaction(db, async (transaction) => {
        const row = await transaction
          .insertInto('partners')
          .values({
            id: partner.id,
            name: partner.name,
            app_name: partner.appName,
            app_description: partner.appDescription,
            created_at: clock.now(),
          })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (row === undefined) {
          throw new ServerError('SERVER_PARTNER_INVALID', `A partner ${partner.id} already exists.`, {
            status: 409,
          });
        }
        await recordAudit(
          transaction,
          { tenantId: null, actor, action: 'partner.created', detail: partner },
          clock,
        );
      });
      return partner;
    },
    async get(id) {
      const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toPartner(row);
    },
    async list() {
      return (await db.selectFrom('partners').selectAll().orderBy('name').execute()).map(toPartner);
    },
    async accessOf(partnerId, tenantId) {
      const row = await selectAccess(db)
        .where('partner_id', '=', partnerId)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row === undefined ? undefined : toAccess(row);
    },
    async listForTenant(tenantId) {
      return (await selectAccess(db).where('tenant_id', '=', tenantId).orderBy('partner_id').execute()).map(
        toAccess,
      );
    },
    async listForPartner(partnerId) {
      return (await selectAccess(db).where('partner_id', '=', partnerId).orderBy('tenant_id').execute()).map(
        toAccess,
      );
    },
    request(input, actor) {
      const scopes = scopesOf(input.scopes);
      return change(input.partnerId, input.tenantId, actor, 'partner.access.requested', (current) => {
        if (current?.status === 'granted')
          throw invalid('Access is already granted: ask the district to change it.');
        return {
          status: 'requested',
          requestedScopes: scopes,
          message: (input.message ?? '').slice(0, 2000),
        };
      });
    },
    invite(input, actor) {
      const scopes = scopesOf(input.scopes);
      return change(input.partnerId, input.tenantId, actor, 'partner.access.invited', (current) => {
        if (current?.status === 'granted') throw invalid('The partner already has access.');
        return { status: 'invited', requestedScopes: scopes };
      });
    },
    async grant(input, actor) {
      const scopes = scopesOf(input.scopes);
      const before = await service.accessOf(input.partnerId, input.tenantId);
      if (before?.clientId) await roster.credentials.revoke(before.clientId, clock.now().toISOString());
      return change(input.partnerId, input.tenantId, actor, 'partner.access.granted', (current) => {
        if (current?.status === 'requested') {
          const beyond = scopes.filter((scope) => !current.requestedScopes.includes(scope));
          if (beyond.length > 0) {
            throw invalid(
              `The partner did not ask for ${beyond.join(', ')}: grant only scopes it requested.`,
            );
          }
        }
        // A credential keeps the scopes it was issued with: a new grant revokes it (below), and the partner creates
        // a new one with the scopes granted now.
        return { status: 'granted', grantedScopes: scopes, clientId: null };
      });
    },
    acceptInvitation(partnerId, tenantId, actor) {
      return change(partnerId, tenantId, actor, 'partner.access.accepted', (current) => {
        if (current?.status !== 'invited')
          throw invalid('There is no invitation from this district to accept.');
        return { status: 'granted', grantedScopes: current.requestedScopes };
      });
    },
    decline(partnerId, tenantId, actor) {
      return change(partnerId, tenantId, actor, 'partner.access.declined', (current) => {
        if (current === undefined || current.status === 'granted' || current.status === 'revoked') {
          throw invalid('Only a pending request or invitation can be declined.');
        }
        return { status: 'declined' };
      });
    },
    async revoke(partnerId, tenantId, actor) {
      // Only one credential is live per partner and district (a new one revokes the previous), so revoking the
      // current one ends API access; its tokens stop working at once.
      const before = await service.accessOf(partnerId, tenantId);
      const access = await change(partnerId, tenantId, actor, 'partner.access.revoked', (current) => {
        if (current?.status !== 'granted') throw invalid('Only granted access can be revoked.');
        return { status: 'revoked', grantedScopes: [], clientId: null };
      });
      if (before?.clientId) await roster.credentials.revoke(before.clientId, clock.now().toISOString());
      return access;
    },
    async createCredential(partnerId, tenantId, actor) {
      const access = await service.accessOf(partnerId, tenantId);
      if (access?.status !== 'granted' || access.grantedScopes.length === 0) {
        throw new ServerError('SERVER_FORBIDDEN', 'This district has not granted your application access.', {
          status: 403,
        });
      }
      if (access.clientId !== null)
        await roster.credentials.revoke(access.clientId, clock.now().toISOString());
      const issued = await roster.createCredential({
        tenantId,
        scopes: access.grantedScopes,
        name: `partner ${partnerId}`,
      });
      await change(partnerId, tenantId, actor, 'partner.credential.created', () => ({
        status: 'granted',
        clientId: issued.clientId,
      }));
      await recordAudit(
        db,
        {
          tenantId,
          actor,
          action: 'partner.credential.created',
          detail: { partnerId, clientId: issued.clientId },
        },
        clock,
      );
      return { clientId: issued.clientId, clientSecret: issued.clientSecret, scopes: access.grantedScopes };
    },
    async usage(partnerId, days = 14) {
      const since = new Date(clock.now().getTime() - days * 86_400_000).toISOString().slice(0, 10);
      const clientIds = await db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'partner.credential.created')
        .execute();
      const ids = clientIds
        .map((row) => row.detail as { partnerId?: string; clientId?: string })
        .filter((detail) => detail.partnerId === partnerId && typeof detail.clientId === 'string')
        .map((detail) => detail.clientId as string);
      if (ids.length === 0) return [];
      // This process's counts still in memory (other processes write theirs within seconds).
      await roster.flushUsage();
      const rows = await db
        .selectFrom('api_usage')
        .selectAll()
        .where('client_id', 'in', ids)
        .where('day', '>=', since)
        .orderBy('day', 'desc')
        .orderBy('tenant_id')
        .execute();
      return rows.map((row) => ({
        tenantId: row.tenant_id,
        clientId: row.client_id,
        day: row.day,
        requests: Number(row.requests),
      }));
    },
  };
  return service;
}

/** Parses scope names; refuses an unknown or empty list with `SERVER_ACCESS_INVALID`. */
export function scopesOf(texts: readonly string[]): OneRosterScope[] {
  const scopes: OneRosterScope[] = [];
  for (const text of texts) {
    const scope = parseScope(text.trim());
    if (scope === undefined) {
      throw new ServerError(
        'SERVER_ACCESS_INVALID',
        `Unknown OneRoster scope ${JSON.stringify(text)}; known: ${oneRosterScopes.join(', ')}.`,
        { status: 400 },
      );
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  if (scopes.length === 0) {
    throw new ServerError('SERVER_ACCESS_INVALID', 'Choose at least one scope.', { status: 400 });
  }
  return scopes;
}

function toPartner(row: { id: string; name: string; app_name: string; app_description: string }): Partner {
  return { id: row.id, name: row.name, appName: row.app_name, appDescription: row.app_description };
}

function toAccess(row: {
  partner_id: string;
  tenant_id: string;
  status: AccessStatus;
  requested_scopes: unknown;
  granted_scopes: unknown;
  client_id: string | null;
  message: string;
  updated_at: Date;
}): PartnerAccess {
  return {
    partnerId: row.partner_id,
    tenantId: row.tenant_id,
    status: row.status,
    requestedScopes: (row.requested_scopes ?? []) as OneRosterScope[],
    grantedScopes: (row.granted_scopes ?? []) as OneRosterScope[],
    clientId: row.client_id,
    message: row.message,
    updatedAt: row.updated_at,
  };
}
