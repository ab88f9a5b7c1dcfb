/**
 * OneRoster's OAuth scopes and what each one lets a consumer do.
 *
 * Scopes are accepted in three spellings: the short names of OneRoster 1.2 (`roster-core.readonly`), and the URIs of
 * 1.1 and 1.2 (`https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly`). `roster.readonly` is the
 * union of `roster-core.readonly` and `roster-demographics.readonly`, as both versions define it, so demographics
 * are readable with either `roster.readonly` or `roster-demographics.readonly` and hidden otherwise.
 */

export const oneRosterScopes = [
  'roster.readonly',
  'roster-core.readonly',
  'roster-demographics.readonly',
  'resource.readonly',
  'gradebook.readonly',
  'gradebook.createput',
  'gradebook.delete',
] as const;
export type OneRosterScope = (typeof oneRosterScopes)[number];

const scopeUriPattern = /^https:\/\/purl\.imsglobal\.org\/spec\/or\/v1p[12]\/scope\/([a-z.-]+)$/;
const known: ReadonlySet<string> = new Set(oneRosterScopes);

/** The scope a short name or URI names, or `undefined` when it is not a OneRoster scope. */
export function parseScope(text: string): OneRosterScope | undefined {
  const name = scopeUriPattern.exec(text)?.[1] ?? text;
  return known.has(name) ? (name as OneRosterScope) : undefined;
}

/** A scope as the URI of OneRoster 1.1 (the default) or 1.2. */
export function scopeUri(scope: OneRosterScope, version: 'v1p1' | 'v1p2' = 'v1p1'): string {
  return `https://purl.imsglobal.org/spec/or/${version}/scope/${scope}`;
}

/** What an endpoint needs. */
export type Permission =
  | 'roster-core'
  | 'roster-demographics'
  | 'resources'
  | 'gradebook-read'
  | 'gradebook-write'
  | 'gradebook-delete';

const grantedBy: Record<Permission, readonly OneRosterScope[]> = {
  'roster-core': ['roster.readonly', 'roster-core.readonly'],
  'roster-demographics': ['roster.readonly', 'roster-demographics.readonly'],
  resources: ['resource.readonly'],
  'gradebook-read': ['gradebook.readonly'],
  'gradebook-write': ['gradebook.createput'],
  'gradebook-delete': ['gradebook.delete'],
};

/** Whether a set of scopes grants a permission. */
export function grants(scopes: ReadonlySet<OneRosterScope>, permission: Permission): boolean {
  return grantedBy[permission].some((scope) => scopes.has(scope));
}

/** The scopes that would grant a permission (for error messages). */
export function scopesGranting(permission: Permission): readonly OneRosterScope[] {
  return grantedBy[permission];
}

/** The scopes a set implies: `roster.readonly` covers `roster-core.readonly` and `roster-demographics.readonly`. */
export function impliedScopes(scopes: Iterable<OneRosterScope>): Set<OneRosterScope> {
  const implied = new Set(scopes);
  if (implied.has('roster.readonly')) {
    implied.add('roster-core.readonly');
    implied.add('roster-demographics.readonly');
  }
  return implied;
}
