/**
 * The CSV binding's multi-valued cells: lists are comma-separated inside one cell (`"09,10"`, `"t1,t2"`), and
 * `userIds` items are written `{type:identifier}` (`"{LDAP:12},{SIS:abc}"`). These are the rules in their strict,
 * normalized form: the reader, the validator, the writer and the CSV ⇄ JSON conversions all use them.
 *
 * - A blank cell is the empty list; a list never holds an empty item.
 * - Items are not trimmed: a normalized item has no surrounding whitespace, and no item can contain a comma.
 * - A `userIds` item splits at its first `:`; the type cannot contain `:`, and neither part can contain a comma.
 */

export const listSeparator = ',';

/** Why a value cannot be an item of a comma-separated cell, or `undefined` when it can. */
export type ListItemProblem = 'empty' | 'comma' | 'surrounding-whitespace';

export function listItemProblem(item: string): ListItemProblem | undefined {
  if (item === '') return 'empty';
  if (item.includes(listSeparator)) return 'comma';
  if (item.trim() !== item) return 'surrounding-whitespace';
  return undefined;
}

/** `''` → `[]`; `'09,10'` → `['09', '10']`. Items are returned as written (the validator reports bad ones). */
export function splitList(cell: string): string[] {
  return cell === '' ? [] : cell.split(listSeparator);
}

/**
 * `['09', '10']` → `'09,10'`. Throws a `RangeError` naming the item when one could not be read back as itself
 * (empty, holding a comma, or with surrounding whitespace); callers turn that into their own error.
 */
export function joinList(items: readonly string[]): string {
  for (const item of items) {
    const problem = listItemProblem(item);
    if (problem !== undefined) throw new RangeError(`list item ${JSON.stringify(item)}: ${problem}`);
  }
  return items.join(listSeparator);
}

/** One of a user's other identifiers, as the JSON binding spells it (`{type: 'LDAP', identifier: '12'}`). */
export interface UserIdentifier {
  type: string;
  identifier: string;
}

const userIdPattern = /^\{([^:]*):(.*)\}$/s;

/** `'{LDAP:12}'` → `{type: 'LDAP', identifier: '12'}`; `undefined` when the item is not `{type:identifier}`. */
export function parseUserIdItem(item: string): UserIdentifier | undefined {
  const match = userIdPattern.exec(item);
  if (!match) return undefined;
  const [, type = '', identifier = ''] = match;
  return { type, identifier };
}

/** Why a user identifier cannot be written as a `{type:identifier}` item, or `undefined` when it can. */
export type UserIdProblem =
  | 'empty-type'
  | 'empty-identifier'
  | 'colon-in-type'
  | 'comma'
  | 'surrounding-whitespace';

export function userIdProblem(userId: UserIdentifier): UserIdProblem | undefined {
  if (userId.type === '') return 'empty-type';
  if (userId.identifier === '') return 'empty-identifier';
  if (userId.type.includes(':')) return 'colon-in-type';
  if (userId.type.includes(listSeparator) || userId.identifier.includes(listSeparator)) return 'comma';
  if (userId.type.trim() !== userId.type || userId.identifier.trim() !== userId.identifier) {
    return 'surrounding-whitespace';
  }
  return undefined;
}

/** `{type: 'LDAP', identifier: '12'}` → `'{LDAP:12}'`. */
export function formatUserIdItem(userId: UserIdentifier): string {
  return `{${userId.type}:${userId.identifier}}`;
}

/**
 * A whole `userIds` cell: `'{LDAP:12},{SIS:abc}'` → two identifiers. Returns `undefined` when any item is not of
 * the `{type:identifier}` form (the validator reports which, with `splitList` and `parseUserIdItem`).
 */
export function parseUserIds(cell: string): UserIdentifier[] | undefined {
  const userIds: UserIdentifier[] = [];
  for (const item of splitList(cell)) {
    const userId = parseUserIdItem(item);
    if (userId === undefined) return undefined;
    userIds.push(userId);
  }
  return userIds;
}

/** The inverse of `parseUserIds`. Throws a `RangeError` when an identifier could not be read back as itself. */
export function formatUserIds(userIds: readonly UserIdentifier[]): string {
  for (const userId of userIds) {
    const problem = userIdProblem(userId);
    if (problem !== undefined) throw new RangeError(`userIds item ${JSON.stringify(userId)}: ${problem}`);
  }
  return userIds.map(formatUserIdItem).join(listSeparator);
}
