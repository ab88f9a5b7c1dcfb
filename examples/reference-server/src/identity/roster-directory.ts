import { parseFilter, type RosterStore, resolveFilter, type StoredEntity } from '@passport/oneroster';
import type { RosterDirectory, RosterMatchAttribute, RosterRole, RosterUser } from '@passport/sso-idp';
import { type ConsoleAccountStore, consoleUserId, signInDistrictOf } from '../console/accounts.ts';

/**
 * Who can sign in: the people of each district's OneRoster roster (user id `roster:<tenant>:<sourcedId>`) and the
 * console accounts (`console:<id>`). The SSO reads everyone through this one port; the roster stays the source of
 * truth for names, roles, schools, grades and enrolled classes.
 */
export function createServerRosterDirectory(options: {
  roster: RosterStore;
  accounts: ConsoleAccountStore;
}): RosterDirectory {
  const { roster, accounts } = options;

  async function rosterUser(tenantId: string, entity: StoredEntity): Promise<RosterUser> {
    const classes = await roster.list(tenantId, {
      file: 'classes',
      membership: { type: 'classesOfUser', userSourcedId: entity.sourcedId },
      limit: 1000,
      offset: 0,
      includeDeleted: false,
    });
    const classIds = classes.entities.map((item) => item.sourcedId);
    const sisId = (entity.identifier as string | undefined) || undefined;
    return {
      userId: rosterUserId(tenantId, entity.sourcedId),
      districtId: tenantId,
      sourcedId: entity.sourcedId,
      ...(sisId === undefined ? {} : { sisId }),
      ...(typeof entity.username === 'string' && entity.username !== '' ? { username: entity.username } : {}),
      ...(typeof entity.email === 'string' && entity.email !== '' ? { email: entity.email } : {}),
      givenName: String(entity.givenName ?? ''),
      familyName: String(entity.familyName ?? ''),
      role: String(entity.role ?? 'student') as RosterRole,
      enabled:
        entity.status !== 'tobedeleted' && entity.enabledUser !== false && entity.enabledUser !== 'false',
      schoolIds: refIds(entity.orgs),
      grades: Array.isArray(entity.grades) ? entity.grades.map(String) : [],
      classIds,
    };
  }

  return {
    async findUser(userId) {
      const console = /^console:(.+)$/.exec(userId);
      if (console !== null) {
        const account = await accounts.get(console[1] ?? '');
        if (account === undefined) return undefined;
        const [givenName, ...rest] = account.displayName.split(' ');
        return {
          userId: consoleUserId(account.id),
          districtId: signInDistrictOf(account),
          sourcedId: consoleUserId(account.id),
          username: account.username,
          givenName: givenName ?? account.displayName,
          familyName: rest.join(' '),
          role: 'administrator',
          enabled: true,
          schoolIds: [],
          grades: [],
          classIds: [],
        };
      }
      const parsed = parseRosterUserId(userId);
      if (parsed === undefined) return undefined;
      const entity = await roster.get(parsed.tenantId, 'users', parsed.sourcedId);
      if (entity === undefined) return undefined;
      return rosterUser(parsed.tenantId, entity);
    },

    async findUsersBy(districtId, attribute, value) {
      const field = filterFieldOf[attribute];
      // Email compares case-insensitively (the port's contract): OneRoster filters are exact, so ask for the value
      // as given and lowercased, then compare here.
      const values = attribute === 'email' ? [...new Set([value, value.toLowerCase()])] : [value];
      const expression = values.map((item) => `${field}='${quote(item)}'`).join(' OR ');
      let entities: StoredEntity[];
      try {
        entities = (
          await roster.list(districtId, {
            file: 'users',
            where: resolveFilter('users', parseFilter(expression)),
            limit: 50,
            offset: 0,
            includeDeleted: false,
          })
        ).entities;
      } catch {
        return [];
      }
      const matching = entities.filter((entity) =>
        attribute === 'email'
          ? String(entity.email ?? '').toLowerCase() === value.toLowerCase()
          : String(entity[field] ?? '') === value,
      );
      return Promise.all(matching.map((entity) => rosterUser(districtId, entity)));
    },
  };
}

const filterFieldOf: Record<RosterMatchAttribute, string> = {
  email: 'email',
  sisId: 'identifier',
  sourcedId: 'sourcedId',
  username: 'username',
};

export const rosterUserId = (tenantId: string, sourcedId: string) => `roster:${tenantId}:${sourcedId}`;

export function parseRosterUserId(userId: string): { tenantId: string; sourcedId: string } | undefined {
  const match = /^roster:([a-z0-9-]+):(.+)$/.exec(userId);
  return match === null ? undefined : { tenantId: match[1] ?? '', sourcedId: match[2] ?? '' };
}

/** A value inside a single-quoted OneRoster filter value: a quote is written twice (`'O''Brien'`). */
function quote(value: string): string {
  return value.replaceAll("'", "''");
}

function refId(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'sourcedId' in value) {
    const id = (value as { sourcedId: unknown }).sourcedId;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

function refIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map(refId).filter((id): id is string => id !== undefined) : [];
}
