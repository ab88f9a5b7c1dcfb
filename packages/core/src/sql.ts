/**
 * The smallest SQL port the packages' PostgreSQL adapters need. Both `pg` (a Pool or a Client) and PGlite satisfy
 * it as they are, so an adapter works on the embedded database and on a PostgreSQL server with the same SQL.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}
