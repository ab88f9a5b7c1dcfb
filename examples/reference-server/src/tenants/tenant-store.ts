import { type Clock, systemClock } from '@passport/core';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { inTransaction, type Queryable } from '../db/database.ts';
import { ServerError } from '../errors.ts';

/** One district. Its id appears in URLs and CLI arguments, so it is short, lowercase and stable. */
export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

/** The tenants port: every write is audited in the same transaction. */
export interface TenantStore {
  /** Throws `SERVER_TENANT_INVALID` or `SERVER_TENANT_EXISTS`. */
  create(input: { id: string; name: string }, actor: string): Promise<Tenant>;
  get(id: string): Promise<Tenant | undefined>;
  /** Every tenant, ordered by id. */
  list(): Promise<Tenant[]>;
  /** Throws `SERVER_TENANT_INVALID` or `SERVER_TENANT_NOT_FOUND`. */
  rename(id: string, name: string, actor: string): Promise<Tenant>;
  /** Throws `SERVER_TENANT_NOT_FOUND`. */
  delete(id: string, actor: string): Promise<void>;
}

export const tenantIdSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit',
  );

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export interface TenantStoreOptions {
  db: Queryable;
  clock?: Clock;
}

/** The tenants store over the reference server's database (PGlite or PostgreSQL). */
export function createTenantStore(options: TenantStoreOptions): TenantStore {
  const { db } = options;
  const clock = options.clock ?? systemClock;

  return {
    async create(input, actor) {
      const id = validate(tenantIdSchema, input.id, 'tenant id');
      const name = validate(tenantNameSchema, input.name, 'tenant name');
      return await inTransaction(db, async (transaction) => {
        const row = await transaction
          .insertInto('tenants')
          .values({ id, name, created_at: clock.now() })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) {
          throw new ServerError('SERVER_TENANT_EXISTS', `Tenant ${id} already exists`, { status: 409 });
        }
        await recordAudit(
          transaction,
          { tenantId: id, actor, action: 'tenant.created', detail: { name } },
          clock,
        );
        return toTenant(row);
      });
    },

    async get(id) {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toTenant(row);
    },

    async list() {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
      return rows.map(toTenant);
    },

    async rename(id, newName, actor) {
      const name = validate(tenantNameSchema, newName, 'tenant name');
      return await inTransaction(db, async (transaction) => {
        const previous = await transaction
          .selectFrom('tenants')
          .select('name')
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (previous === undefined) throw notFound(id);
        const row = await transaction
          .updateTable('tenants')
          .set({ name })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(
          transaction,
          { tenantId: id, actor, action: 'tenant.renamed', detail: { from: previous.name, to: name } },
          clock,
        );
        return toTenant(row);
      });
    },

    async delete(id, actor) {
      await inTransaction(db, async (transaction) => {
        const row = await transaction
          .deleteFrom('tenants')
          .where('id', '=', id)
          .returning('name')
          .executeTakeFirst();
        if (row === undefined) throw notFound(id);
        await recordAudit(transaction, { tenantId: id, actor, action: 'tenant.deleted', detail: row }, clock);
      });
    },
  };
}

function toTenant(row: { id: string; name: string; created_at: Date }): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

function notFound(id: string): ServerError {
  return new ServerError('SERVER_TENANT_NOT_FOUND', `Tenant ${id} does not exist`, { status: 404 });
}

function validate<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'is invalid';
    throw new ServerError('SERVER_TENANT_INVALID', `The ${label} ${message} (got ${JSON.stringify(value)})`, {
      status: 400,
    });
  }
  return parsed.data;
}
