/** The SQL of a roster table: its qualified name, and how to insert or upsert a row from the entity's JSONB. */
import type { FileName } from '../../model/files.ts';
import { qualify } from './sql.ts';
import { type TableSpec, tableSpecs } from './tables.ts';

/** The table SQL names of a store, and how to write a row of each. */
export interface TableSql {
  spec: TableSpec;
  name: string;
  /** Column list of an insert. */
  columns: string;
  /** Values of an insert, computed from a JSONB expression holding the whole entity. */
  values: (tenant: string, data: string) => string;
  /** SET list of an upsert's conflict branch. */
  updates: string;
}

export function tableSql(schema: string | undefined, file: FileName): TableSql {
  const spec = tableSpecs[file];
  const keyNames = spec.keys.map((key) => key.name);
  const columns = ['tenant_id', 'sourced_id', 'status', 'date_last_modified', ...keyNames, 'data'];
  return {
    spec,
    name: qualify(schema, spec.table),
    columns: columns.join(', '),
    values: (tenant, data) =>
      [
        tenant,
        `(${data}->>'sourcedId')`,
        `(${data}->>'status')`,
        `date_trunc('milliseconds', (${data}->>'dateLastModified')::timestamptz)`,
        ...spec.keys.map((key) => key.from(data)),
        data,
      ].join(', '),
    updates: columns
      .slice(2)
      .map((column) => `${column} = excluded.${column}`)
      .join(', '),
  };
}
