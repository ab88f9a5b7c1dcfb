/**
 * The roster store on PostgreSQL or PGlite, over the `SqlClient` port (a `pg` Pool or Client, or a PGlite
 * instance, as they are). Queries are built from the filter module's SQL compiler, so every value travels as a
 * bind parameter, and they answer exactly as the in-memory evaluation would (the contract suite checks both).
 *
 * Run `migrateOneRosterStore` (or the host's migrator over `oneRosterMigrations`) first.
 */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@passport/core';
import {
  compileFilter,
  compileOrderBy,
  type FieldSqlResolver,
  jsonbFieldSql,
  SqlParameters,
} from '../../filter/compile-sql.ts';
import type { FileName } from '../../model/files.ts';
import type {
  ListRequest,
  ListResult,
  Membership,
  RosterStore,
  StoredEntity,
  WritableFile,
} from '../../store/roster-store.ts';
import {
  defaultListCache,
  ListCache,
  type ListCacheOptions,
  type ListTotals,
  pageStart,
} from './list-cache.ts';
import { ensurePartitions, partitionOf } from './partitions.ts';
import { createImportSession } from './postgres-import.ts';
import { checkSchemaName, qualify } from './sql.ts';
import { tableSql } from './table-sql.ts';
import { type TableSpec, tableSpecs } from './tables.ts';
import { raiseVersionsSql, versionStampSql } from './versions.ts';

export interface PostgresRosterStoreOptions {
  client: SqlClient;
  /** The schema holding the tables. Default: the connection's search path. */
  schema?: string;
  /**
   * List totals, keyset bookmarks and (for at most `maxIds` matching rows) sourcedIds remembered per query, exact
   * while the files it reads are unchanged (see list-cache.ts). Default
   * `{ maxEntries: 512, bookmarkInterval: 256, maxIds: 10000 }`; `false` counts every page.
   */
  listCache?: ListCacheOptions | false;
}

/** sourcedIds per batch of `storedIds`. */
const storedIdsBatch = 50_000;

/** The files a list reads rows of: its own, and the one its membership follows. */
function filesRead(request: ListRequest): FileName[] {
  const membershipFile: Record<Membership['type'], FileName> = {
    usersInClass: 'enrollments',
    classesOfUser: 'enrollments',
    termsOfSchool: 'classes',
    resultsOfClass: 'lineItems',
    resourcesOfClass: 'classResources',
    resourcesOfCourse: 'courseResources',
  };
  const files: FileName[] = [request.file];
  if (request.membership !== undefined) files.push(membershipFile[request.membership.type]);
  return files;
}

/** Whether rows come in sourcedId order (the default), which keyset bookmarks follow. */
function inSourcedIdOrder(sort: ListRequest['sort']): boolean {
  return sort === undefined || (sort.field.path === 'sourcedId' && sort.direction === 'asc');
}

/**
 * Filter and sort fields on the table's typed columns where it has them, on its JSONB otherwise (no index answers
 * those: `onJsonb` is told).
 */
function fieldResolver(spec: TableSpec, alias: string, onJsonb: () => void = () => {}): FieldSqlResolver {
  return (field, parameters) => {
    switch (field.path) {
      case 'sourcedId':
        return { value: `${alias}.sourced_id`, text: `${alias}.sourced_id` };
      case 'status':
        return { value: `${alias}.status`, text: `${alias}.status` };
      case 'dateLastModified':
        return { value: `${alias}.date_last_modified`, text: `(${alias}.data->>'dateLastModified')` };
    }
    const key = spec.keys.find((candidate) => candidate.path === field.path);
    if (key !== undefined) return { value: `${alias}.${key.name}`, text: `${alias}.${key.name}` };
    onJsonb();
    return jsonbFieldSql(field, `${alias}.data`, parameters);
  };
}

const derivedProperty: Partial<Record<FileName, string>> = {
  orgs: 'children',
  academicSessions: 'children',
  classes: 'resources',
  courses: 'resources',
};

function guidRefs(type: string, idColumn: string): string {
  return `jsonb_agg(jsonb_build_object('href', '', 'sourcedId', ${idColumn}, 'type', '${type}') order by ${idColumn})`;
}

export function createPostgresRosterStore(options: PostgresRosterStoreOptions): RosterStore {
  const { client } = options;
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const table = (file: FileName) => qualify(schema, tableSpecs[file].table);
  const cache =
    options.listCache === false ? undefined : new ListCache({ ...defaultListCache, ...options.listCache });
  /** The tenants' partitions known to exist (see partitions.ts). */
  const partitions = new Set<string>();

  /** The SQL of the derived field of a row aliased `t`, or undefined when the file has none. */
  function derivedSql(file: FileName): string | undefined {
    switch (file) {
      case 'orgs':
        return `(select ${guidRefs('org', 'c.sourced_id')} from ${table('orgs')} c where c.tenant_id = t.tenant_id and c.parent_sourced_id = t.sourced_id and c.status = 'active')`;
      case 'academicSessions':
        return `(select ${guidRefs('academicSession', 'c.sourced_id')} from ${table('academicSessions')} c where c.tenant_id = t.tenant_id and c.parent_sourced_id = t.sourced_id and c.status = 'active')`;
      case 'classes':
        return `(select ${guidRefs('resource', 'l.resource_sourced_id')} from ${table('classResources')} l where l.tenant_id = t.tenant_id and l.class_sourced_id = t.sourced_id and l.status = 'active')`;
      case 'courses':
        return `(select ${guidRefs('resource', 'l.resource_sourced_id')} from ${table('courseResources')} l where l.tenant_id = t.tenant_id and l.course_sourced_id = t.sourced_id and l.status = 'active')`;
      default:
        return undefined;
    }
  }

  function membershipSql(membership: Membership, parameters: SqlParameters): string {
    // The tenant as the bind parameter, not t.tenant_id: an uncorrelated subquery is planned once, as a semi-join.
    const tenant = '$1';
    switch (membership.type) {
      case 'usersInClass': {
        const role =
          membership.role === undefined ? '' : ` and e.role = ${parameters.add(membership.role)}::text`;
        const school =
          membership.schoolSourcedId === undefined
            ? ''
            : ` and e.school_sourced_id = ${parameters.add(membership.schoolSourcedId)}::text`;
        return `t.sourced_id in (select e.user_sourced_id from ${table('enrollments')} e where e.tenant_id = ${tenant} and e.class_sourced_id = ${parameters.add(membership.classSourcedId)}::text and e.status = 'active'${role}${school})`;
      }
      case 'classesOfUser':
        return `t.sourced_id in (select e.class_sourced_id from ${table('enrollments')} e where e.tenant_id = ${tenant} and e.user_sourced_id = ${parameters.add(membership.userSourcedId)}::text and e.status = 'active')`;
      case 'termsOfSchool':
        return `t.sourced_id in (select unnest(c.term_sourced_ids) from ${table('classes')} c where c.tenant_id = ${tenant} and c.school_sourced_id = ${parameters.add(membership.schoolSourcedId)}::text and c.status = 'active')`;
      case 'resultsOfClass':
        return `t.line_item_sourced_id in (select li.sourced_id from ${table('lineItems')} li where li.tenant_id = ${tenant} and li.class_sourced_id = ${parameters.add(membership.classSourcedId)}::text and li.status = 'active')`;
      case 'resourcesOfClass':
        return `t.sourced_id in (select l.resource_sourced_id from ${table('classResources')} l where l.tenant_id = ${tenant} and l.class_sourced_id = ${parameters.add(membership.classSourcedId)}::text and l.status = 'active')`;
      case 'resourcesOfCourse':
        return `t.sourced_id in (select l.resource_sourced_id from ${table('courseResources')} l where l.tenant_id = ${tenant} and l.course_sourced_id = ${parameters.add(membership.courseSourcedId)}::text and l.status = 'active')`;
    }
  }

  function withDerived(file: FileName, row: { data: StoredEntity; derived?: unknown }): StoredEntity {
    const entity = row.data;
    const property = derivedProperty[file];
    if (property === undefined) return entity;
    if (Array.isArray(row.derived) && row.derived.length > 0) entity[property] = row.derived;
    else delete entity[property];
    return entity;
  }

  return {
    async list(tenantId: string, request: ListRequest): Promise<ListResult> {
      const spec = tableSpecs[request.file];
      // Whether a condition reads the JSONB: then no index answers the query, and its first ids are worth keeping.
      let unindexed = false;
      const resolve = fieldResolver(spec, 't', () => {
        unindexed = true;
      });
      const parameters = new SqlParameters([tenantId]);
      const conditions = ['t.tenant_id = $1'];
      if (!request.includeDeleted) conditions.push("t.status = 'active'");
      for (const filter of [request.where, request.filter]) {
        if (filter === undefined) continue;
        conditions.push(compileFilter(filter, resolve, parameters));
      }
      if (request.membership !== undefined) conditions.push(membershipSql(request.membership, parameters));
      const from = `from ${table(request.file)} t where ${conditions.join(' and ')}`;
      const queryParameters = [...parameters.values];
      const files = filesRead(request);
      const keyset = cache !== undefined && inSourcedIdOrder(request.sort);

      async function count(): Promise<{ stamp: string; totals: ListTotals }> {
        const counting = new SqlParameters(queryParameters);
        const stamp = versionStampSql(schema, '$1', counting.add(files));
        const interval = cache?.bookmarkInterval ?? 0;
        const maxIds = cache?.maxIds ?? 0;
        if (!keyset || (interval === 0 && maxIds === 0)) {
          const { rows } = await client.query<{ total: number; stamp: string }>(
            `select count(*)::int as total, ${stamp} as stamp ${from}`,
            counting.values,
          );
          return { stamp: String(rows[0]?.stamp), totals: { total: Number(rows[0]?.total ?? 0) } };
        }
        // One ordered pass gives the total, the sourcedId at every interval-th row, and the first maxIds + 1
        // sourcedIds: all of them are kept when there are at most maxIds, the first maxIds when no index answers.
        const { rows } = await client.query<{
          total: number;
          bookmarks: string[];
          ids: string[];
          stamp: string;
        }>(
          'select count(*)::int as total, ' +
            `coalesce(array_agg(x.sourced_id order by x.n) filter (where x.n % ${counting.add(Math.max(interval, 1))}::int = 0 and ${counting.add(interval)}::int > 0), '{}') as bookmarks, ` +
            `coalesce(array_agg(x.sourced_id order by x.n) filter (where x.n <= ${counting.add(maxIds + 1)}::int), '{}') as ids, ` +
            `${stamp} as stamp from (select t.sourced_id, row_number() over (order by t.sourced_id collate "C") as n ${from}) x`,
          counting.values,
        );
        const total = Number(rows[0]?.total ?? 0);
        const ids = rows[0]?.ids ?? [];
        return {
          stamp: String(rows[0]?.stamp),
          totals: {
            total,
            ...(interval > 0 ? { bookmarks: rows[0]?.bookmarks ?? [] } : {}),
            ...(total <= maxIds && ids.length === total
              ? { ids }
              : unindexed && maxIds > 0
                ? { ids: ids.slice(0, maxIds) }
                : {}),
          },
        };
      }

      /**
       * One page, started where `totals` says (from the first row without them), with the current stamp of the
       * files read in the same statement: the page is exact for `totals` only if that stamp is theirs.
       */
      async function readPage(
        totals: ListTotals | undefined,
      ): Promise<{ entities: StoredEntity[]; stamp: string | undefined }> {
        const pageParameters = new SqlParameters(queryParameters);
        const start = keyset
          ? pageStart(totals, cache?.bookmarkInterval ?? 0, request.offset, request.limit)
          : { skip: request.offset };
        let bounds: string;
        let skip = 0;
        if ('ids' in start) {
          if (start.ids.length === 0) {
            return { entities: [], stamp: cache === undefined ? undefined : await currentStamp() };
          }
          // The range too, so an index that answers the filter reads just the page; the ids alone, for a filter
          // no index answers, are looked up by primary key (the planner picks the cheaper).
          const first = start.ids[0] ?? '';
          const last = start.ids[start.ids.length - 1] ?? '';
          bounds =
            ` and t.sourced_id = any(${pageParameters.add(start.ids)}::text[])` +
            ` and t.sourced_id >= ${pageParameters.add(first)}::text and t.sourced_id <= ${pageParameters.add(last)}::text`;
        } else {
          bounds =
            start.after === undefined ? '' : ` and t.sourced_id > ${pageParameters.add(start.after)}::text`;
          skip = start.skip;
        }
        const stamp =
          cache === undefined ? '' : `, ${versionStampSql(schema, '$1', pageParameters.add(files))} as stamp`;
        const orderBy = compileOrderBy(request.sort, resolve, pageParameters, 't.sourced_id');
        const derived = derivedSql(request.file);
        const { rows } = await client.query<{ data: StoredEntity; derived?: unknown; stamp?: string }>(
          `select t.data${derived === undefined ? '' : `, ${derived} as derived`}${stamp} ${from}${bounds} ` +
            `order by ${orderBy} limit ${pageParameters.add(request.limit)}::int offset ${pageParameters.add(skip)}::int`,
          pageParameters.values,
        );
        const first = rows[0];
        return {
          entities: rows.map((row) => withDerived(request.file, row)),
          stamp:
            cache === undefined
              ? undefined
              : first === undefined
                ? await currentStamp()
                : String(first.stamp),
        };
      }

      async function currentStamp(): Promise<string> {
        const { rows } = await client.query<{ stamp: string }>(
          `select ${versionStampSql(schema, '$1', '$2')} as stamp`,
          [tenantId, files],
        );
        return String(rows[0]?.stamp);
      }

      if (cache === undefined) {
        const [counted, page] = await Promise.all([count(), readPage(undefined)]);
        return { entities: page.entities, total: counted.totals.total };
      }
      const key = `${request.file}\u0000${keyset}\u0000${from}\u0000${JSON.stringify(queryParameters)}`;
      // Optimistic: the page from what is remembered, checked against the stamp read with it (one round trip).
      const entry = cache.peek(key);
      if (entry !== undefined) {
        const page = await readPage(entry.totals);
        if (page.stamp === entry.stamp) return { entities: page.entities, total: entry.totals.total };
      }
      // Stale or never counted: count again (once for every concurrent reader), then read the page from it.
      let fresh = await cache.refresh(key, entry, count);
      for (let attempt = 0; ; attempt += 1) {
        const page = await readPage(attempt < 3 ? fresh.totals : undefined);
        // After three tries (files written faster than a count and a page take), the page from the first row.
        if (page.stamp === fresh.stamp || attempt >= 3) {
          return { entities: page.entities, total: fresh.totals.total };
        }
        fresh = await cache.refresh(key, fresh, count);
      }
    },

    async get(tenantId, file, sourcedId) {
      const derived = derivedSql(file);
      const { rows } = await client.query<{ data: StoredEntity; derived?: unknown }>(
        `select t.data${derived === undefined ? '' : `, ${derived} as derived`} from ${table(file)} t ` +
          'where t.tenant_id = $1 and t.sourced_id = $2',
        [tenantId, sourcedId],
      );
      const row = rows[0];
      return row === undefined ? undefined : withDerived(file, row);
    },

    async put(tenantId: string, file: WritableFile, entity: StoredEntity) {
      await ensurePartitions(client, schema, tenantId, [file], partitions);
      const sql = tableSql(schema, file);
      // Into the tenant's partition itself: `xmax` (inserted or updated) is not readable through the parent.
      const partition = partitionOf(schema, file, tenantId);
      // The row and its file's version counter in one statement, so a remembered total never outlives it.
      const { rows } = await client.query<{ created: boolean }>(
        `with written as (insert into ${partition} (${sql.columns}) select ${sql.values('$1::text', 'x.d')} from (select $2::jsonb as d) x ` +
          `on conflict (tenant_id, sourced_id) do update set ${sql.updates} returning (xmax = 0) as created), ` +
          `raised as (${raiseVersionsSql(schema, '$1', '$3', 'written')}) select created from written`,
        [tenantId, JSON.stringify(entity), [file]],
      );
      return { created: rows[0]?.created === true };
    },

    async markDeleted(tenantId, file, sourcedId, at) {
      const { rows } = await client.query(
        `with marked as (update ${table(file)} set status = 'tobedeleted', date_last_modified = date_trunc('milliseconds', $3::text::timestamptz), ` +
          `data = data || jsonb_build_object('status', 'tobedeleted', 'dateLastModified', $3::text) ` +
          "where tenant_id = $1 and sourced_id = $2 and status = 'active' returning 1), " +
          `raised as (${raiseVersionsSql(schema, '$1', '$4', 'marked')}) select 1 from marked`,
        [tenantId, sourcedId, at, [file]],
      );
      return rows.length > 0;
    },

    async *storedIds(tenantId, file) {
      // Keyset batches along the primary key: each one an index range, none held open between them.
      let after = '';
      for (;;) {
        const { rows } = await client.query<{ sourced_id: string }>(
          `select sourced_id from ${table(file)} where tenant_id = $1 and sourced_id > $2::text and status = 'active' ` +
            `order by sourced_id limit ${storedIdsBatch}`,
          [tenantId, after],
        );
        if (rows.length === 0) return;
        yield rows.map((row) => row.sourced_id);
        after = rows[rows.length - 1]?.sourced_id ?? after;
        if (rows.length < storedIdsBatch) return;
      }
    },

    async beginImport(tenantId, importOptions) {
      return createImportSession({
        client,
        schema,
        tenantId,
        importId: randomUUID(),
        importedAt: importOptions.importedAt,
        partitions,
      });
    },
  };
}
