import { type Clock, systemClock } from '@passport/core';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { type ConsoleAccountsTable, inTransaction, type Queryable } from '../db/database.ts';
import { ServerError } from '../errors.ts';

export type ConsoleRole = ConsoleAccountsTable['role'];

/** The district every operator and partner developer signs in to (their sign-in is not a district's). */
export const staffDistrictId = 'passport';

/** Someone who administers Passport: an operator (everything), a district admin (one tenant) or a partner developer. */
export type ConsoleAccount =
  | { id: string; username: string; displayName: string; role: 'operator' }
  | { id: string; username: string; displayName: string; role: 'district_admin'; tenantId: string }
  | { id: string; username: string; displayName: string; role: 'partner_developer'; partnerId: string };

export type NewConsoleAccount =
  | { username: string; displayName: string; role: 'operator' }
  | { username: string; displayName: string; role: 'district_admin'; tenantId: string }
  | { username: string; displayName: string; role: 'partner_developer'; partnerId: string };

/** The SSO user id of a console account: the RosterDirectory tells them from roster users by this prefix. */
export const consoleUserId = (accountId: string) => `console:${accountId}`;

/** The district a console account signs in to: the tenant for district admins, `passport` for everyone else. */
export const signInDistrictOf = (account: ConsoleAccount) =>
  account.role === 'district_admin' ? account.tenantId : staffDistrictId;

const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,62}$/, 'must be 2 to 63 lowercase letters, digits, dots, @, _ or -');

export interface ConsoleAccountStore {
  /** Throws `SERVER_ACCOUNT_INVALID` or `SERVER_ACCOUNT_EXISTS`. */
  create(input: NewConsoleAccount, actor: string): Promise<ConsoleAccount>;
  get(id: string): Promise<ConsoleAccount | undefined>;
  findByUsername(username: string): Promise<ConsoleAccount | undefined>;
  list(filter?: { tenantId?: string; partnerId?: string }): Promise<ConsoleAccount[]>;
}

export function createConsoleAccountStore(options: {
  db: Queryable;
  clock?: Clock;
  generateId?: () => string;
}): ConsoleAccountStore {
  const { db } = options;
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => crypto.randomUUID());

  const select = () => db.selectFrom('console_accounts').selectAll();
  return {
    async create(input, actor) {
      const parsed = usernameSchema.safeParse(input.username);
      if (!parsed.success) {
        throw new ServerError(
          'SERVER_ACCOUNT_INVALID',
          `The username ${parsed.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(input.username)})`,
          { status: 400 },
        );
      }
      const displayName = input.displayName.trim();
      if (displayName === '' || displayName.length > 200) {
        throw new ServerError('SERVER_ACCOUNT_INVALID', 'The display name must be 1 to 200 characters.', {
          status: 400,
        });
      }
      const id = generateId();
      return await inTransaction(db, async (transaction) => {
        const row = await transaction
          .insertInto('console_accounts')
          .values({
            id,
            username: parsed.data,
            display_name: displayName,
            role: input.role,
            tenant_id: input.role === 'district_admin' ? input.tenantId : null,
            partner_id: input.role === 'partner_developer' ? input.partnerId : null,
            created_at: clock.now(),
          })
          .onConflict((conflict) => conflict.column('username').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) {
          throw new ServerError('SERVER_ACCOUNT_EXISTS', `The username ${parsed.data} is taken.`, {
            status: 409,
          });
        }
        await recordAudit(
          transaction,
          {
            tenantId: row.tenant_id,
            actor,
            action: 'account.created',
            detail: { accountId: id, username: row.username, role: row.role },
          },
          clock,
        );
        return toAccount(row);
      });
    },
    async get(id) {
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toAccount(row);
    },
    async findByUsername(username) {
      const row = await select().where('username', '=', username.toLowerCase()).executeTakeFirst();
      return row === undefined ? undefined : toAccount(row);
    },
    async list(filter = {}) {
      let query = select().orderBy('username');
      if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
      if (filter.partnerId !== undefined) query = query.where('partner_id', '=', filter.partnerId);
      return (await query.execute()).map(toAccount);
    },
  };
}

function toAccount(row: {
  id: string;
  username: string;
  display_name: string;
  role: ConsoleRole;
  tenant_id: string | null;
  partner_id: string | null;
}): ConsoleAccount {
  const base = { id: row.id, username: row.username, displayName: row.display_name };
  if (row.role === 'district_admin')
    return { ...base, role: 'district_admin', tenantId: row.tenant_id ?? '' };
  if (row.role === 'partner_developer') {
    return { ...base, role: 'partner_developer', partnerId: row.partner_id ?? '' };
  }
  return { ...base, role: 'operator' };
}
