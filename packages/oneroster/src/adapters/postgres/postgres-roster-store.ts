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
import { createImportSession } from './postgres-import.ts';
import { checkSchemaName, qualify } from './sql.ts';
import { tableSql } from './table-sql.ts';
import { type TableSpec, tableSpecs } from './tables.ts';

export interface PostgresRosterStoreOptions {
  client: SqlClient;
  /** The schema holding the tables. Default: the connection's search path. */
  schema?: string;
}

/** Filter and sort fields on the table's typed columns where it has them, on its JSONB otherwise. */
function fieldResolver(spec: TableSpec, alias: string): FieldSqlResolver {
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
      const resolve = fieldResolver(spec, 't');
      const parameters = new SqlParameters([tenantId]);
      const conditions = ['t.tenant_id = $1'];
      if (!request.includeDeleted) conditions.push("t.status = 'active'");
      if (request.where !== undefined) conditions.push(compileFilter(request.where, resolve, parameters));
      if (request.filter !== undefined) conditions.push(compileFilter(request.filter, resolve, parameters));
      if (request.membership !== undefined) conditions.push(membershipSql(request.membership, parameters));
      const from = `from ${table(request.file)} t where ${conditions.join(' and ')}`;
      const countParameters = [...parameters.values];
      const orderBy = compileOrderBy(request.sort, resolve, parameters, 't.sourced_id');
      const derived = derivedSql(request.file);
      const page = await client.query<{ data: StoredEntity; derived?: unknown }>(
        `select t.data${derived === undefined ? '' : `, ${derived} as derived`} ${from} order by ${orderBy} ` +
          `limit ${parameters.add(request.limit)}::int offset ${parameters.add(request.offset)}::int`,
        parameters.values,
      );
      const count = await client.query<{ total: number }>(
        `select count(*)::int as total ${from}`,
        countParameters,
      );
      return {
        entities: page.rows.map((row) => withDerived(request.file, row)),
        total: Number(count.rows[0]?.total ?? 0),
      };
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
      const sql = tableSql(schema, file);
      const { rows } = await client.query<{ created: boolean }>(
        `insert into ${sql.name} (${sql.columns}) select ${sql.values('$1::text', 'x.d')} from (select $2::jsonb as d) x ` +
          `on conflict (tenant_id, sourced_id) do update set ${sql.updates} returning (xmax = 0) as created`,
        [tenantId, JSON.stringify(entity)],
      );
      return { created: rows[0]?.created === true };
    },

    async markDeleted(tenantId, file, sourcedId, at) {
      const { rows } = await client.query(
        `update ${table(file)} set status = 'tobedeleted', date_last_modified = date_trunc('milliseconds', $3::text::timestamptz), ` +
          `data = data || jsonb_build_object('status', 'tobedeleted', 'dateLastModified', $3::text) ` +
          "where tenant_id = $1 and sourced_id = $2 and status = 'active' returning 1",
        [tenantId, sourcedId, at],
      );
      return rows.length > 0;
    },

    async beginImport(tenantId, importOptions) {
      return createImportSession({
        client,
        schema,
        tenantId,
        importId: randomUUID(),
        importedAt: importOptions.importedAt,
      });
    },
  };
}
