/**
 * The write counters list totals are remembered under (`oneroster_versions`, see list-cache.ts). Every write to a
 * tenant's rows of a file raises that file's counter in the same transaction (an import for each file it applies,
 * a gradebook put or delete in the same statement), so a reader never sees new rows under an old counter.
 */
import { qualify } from './sql.ts';
import { versionsTable } from './tables.ts';

/**
 * SQL raising the counters of the files in the text[] parameter `files` for the tenant parameter `tenant`.
 * `from` (optional) is a relation the raise reads first, so a data-modifying CTE's row locks are taken before the
 * counter's.
 */
export function raiseVersionsSql(
  schema: string | undefined,
  tenant: string,
  files: string,
  from?: string,
): string {
  const table = qualify(schema, versionsTable);
  const source =
    from === undefined
      ? `unnest(${files}::text[]) as f(file)`
      : `unnest(${files}::text[]) as f(file) where exists (select 1 from ${from})`;
  return (
    `insert into ${table} (tenant_id, file, version) select ${tenant}::text, f.file, 1 from ${source} ` +
    `on conflict (tenant_id, file) do update set version = ${table}.version + 1`
  );
}

/**
 * SQL of the stamp of the files in the text[] parameter `files` for the tenant parameter `tenant`: the sum of their
 * counters, as text. Counters only grow, so any write to one of the files changes it.
 */
export function versionStampSql(schema: string | undefined, tenant: string, files: string): string {
  return `(select coalesce(sum(v.version), 0)::text from ${qualify(schema, versionsTable)} v where v.tenant_id = ${tenant}::text and v.file = any(${files}::text[]))`;
}
